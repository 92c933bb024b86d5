"""Comparing and merging page texts: word-level diffs, change size, three-way merge.

Pure functions on strings, no database: the services and the views use them.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import merge3

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT_LINES = 2
# Above this product of lengths a replaced block is counted whole rather than compared
# character by character (keeps a 100,000-character edit fast).
CHAR_COMPARE_LIMIT = 1_000_000


@dataclass
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class Hunk:
    old_line: int  # first line shown, counted from 1
    new_line: int
    segments: list = field(default_factory=list)
    skipped_before: bool = False


def _lines(text):
    return (text or "").split("\n")


def _add(segments, kind, text):
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1].text += text
    else:
        segments.append(Segment(kind, text))


WORD_COMPARE_LIMIT = 1_000_000


def _line_matcher(a, b):
    """Lines compared as difflib does by default: a line repeated everywhere (a blank line) is
    "popular" and never anchors a match, which keeps a long page from taking quadratic time."""
    return SequenceMatcher(None, a, b)


def word_segments(old, new):
    """Word-level diff of two texts: a list of Segments.

    Two long, wholly different blocks are shown as removed then added rather
    than compared word by word (which would take seconds).
    """
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    if len(a) * len(b) > WORD_COMPARE_LIMIT:
        return [segment for segment in (Segment("delete", old), Segment("insert", new)) if segment.text]
    segments = []
    # Spaces never anchor a match (there are too many of them), but matches run through them.
    for tag, i1, i2, j1, j2 in SequenceMatcher(str.isspace, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _add(segments, "equal", "".join(a[i1:i2]))
        else:
            _add(segments, "delete", "".join(a[i1:i2]))
            _add(segments, "insert", "".join(b[j1:j2]))
    return segments


def _replaced_lines(old_lines, new_lines):
    """Segments for a block of replaced lines: line by line when the counts match, else as one text."""
    if len(old_lines) != len(new_lines):
        return word_segments("\n".join(old_lines), "\n".join(new_lines))
    segments = []
    for index, (old_line, new_line) in enumerate(zip(old_lines, new_lines, strict=True)):
        if index:
            _add(segments, "equal", "\n")
        for segment in [Segment("equal", old_line)] if old_line == new_line else word_segments(old_line, new_line):
            _add(segments, segment.kind, segment.text)
    return segments


def word_diff(old, new, context=CONTEXT_LINES):
    """The changes from `old` to `new` as hunks of word-level segments.

    Lines are compared first, then words inside the replaced lines; unchanged
    lines far from any change are left out (`skipped_before` marks the gaps).
    """
    a, b = _lines(old), _lines(new)
    hunks = []
    previous_end = 0
    for group in _line_matcher(a, b).get_grouped_opcodes(context):
        first = group[0]
        hunk = Hunk(old_line=first[1] + 1, new_line=first[3] + 1, skipped_before=first[1] > previous_end)
        for tag, i1, i2, j1, j2 in group:
            if hunk.segments:
                _add(hunk.segments, "equal" if tag == "equal" else _separator_kind(tag), "\n")
            if tag == "equal":
                _add(hunk.segments, "equal", "\n".join(a[i1:i2]))
            elif tag == "replace":
                for segment in _replaced_lines(a[i1:i2], b[j1:j2]):
                    _add(hunk.segments, segment.kind, segment.text)
            elif tag == "delete":
                _add(hunk.segments, "delete", "\n".join(a[i1:i2]))
            else:
                _add(hunk.segments, "insert", "\n".join(b[j1:j2]))
            previous_end = i2
        hunks.append(hunk)
    return hunks


def _separator_kind(tag):
    return {"delete": "delete", "insert": "insert"}.get(tag, "equal")


def _text_change(old, new):
    """Characters inserted plus deleted between two texts without whitespace."""
    if old == new:
        return 0
    if len(old) * len(new) <= CHAR_COMPARE_LIMIT:
        same = sum(block.size for block in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks())
        return len(old) + len(new) - 2 * same
    return len(old) + len(new)


def change_size(old, new):
    """Characters inserted plus characters deleted, whitespace ignored.

    0 means the edit only touched spaces and line breaks.
    """
    a = [squeezed for line in _lines(old) if (squeezed := "".join(line.split()))]
    b = [squeezed for line in _lines(new) if (squeezed := "".join(line.split()))]
    total = 0
    for tag, i1, i2, j1, j2 in _line_matcher(a, b).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            total += sum(_text_change(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True))
        else:
            total += _text_change("".join(a[i1:i2]), "".join(b[j1:j2]))
    return total


def _merge_lines(text):
    # Every line ends with "\n", so a change on the last line merges like any other.
    return [line + "\n" for line in (text or "").split("\n")]


@dataclass
class MergeResult:
    text: str
    conflict: bool


def merge_text(base, yours, theirs):
    """Three-way merge of two edits of `base` (line-based, with merge3)."""
    if yours == theirs or theirs == base:
        return MergeResult(yours, False)
    if yours == base:
        return MergeResult(theirs, False)
    merger = merge3.Merge3(_merge_lines(base), _merge_lines(yours), _merge_lines(theirs))
    merged, conflict = [], False
    for group in merger.merge_groups():
        if group[0] == "conflict":
            conflict = True
            break
        merged.extend(group[1])
    if conflict:
        return MergeResult(yours, True)
    text = "".join(merged)
    return MergeResult(text[:-1] if text.endswith("\n") else text, False)


def merge_value(base, yours, theirs):
    """Three-way merge of a single value (a title, a date): (value, conflict)."""
    if yours == theirs or theirs == base:
        return yours, False
    if yours == base:
        return theirs, False
    return yours, True
