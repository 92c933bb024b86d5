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


def word_segments(old, new):
    """Word-level diff of two short texts: a list of Segments."""
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    segments = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _add(segments, "equal", "".join(a[i1:i2]))
        else:
            _add(segments, "delete", "".join(a[i1:i2]))
            _add(segments, "insert", "".join(b[j1:j2]))
    return segments


def word_diff(old, new, context=CONTEXT_LINES):
    """The changes from `old` to `new` as hunks of word-level segments.

    Lines are compared first, then words inside the replaced lines; unchanged
    lines far from any change are left out (`skipped_before` marks the gaps).
    """
    a, b = _lines(old), _lines(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    hunks = []
    previous_end = 0
    for group in matcher.get_grouped_opcodes(context):
        first = group[0]
        hunk = Hunk(old_line=first[1] + 1, new_line=first[3] + 1, skipped_before=first[1] > previous_end)
        for tag, i1, i2, j1, j2 in group:
            old_text = "\n".join(a[i1:i2])
            new_text = "\n".join(b[j1:j2])
            if hunk.segments:
                _add(hunk.segments, "equal" if tag == "equal" else _separator_kind(tag), "\n")
            if tag == "equal":
                _add(hunk.segments, "equal", old_text)
            elif tag == "replace":
                for segment in word_segments(old_text, new_text):
                    _add(hunk.segments, segment.kind, segment.text)
            elif tag == "delete":
                _add(hunk.segments, "delete", old_text)
            else:
                _add(hunk.segments, "insert", new_text)
            previous_end = i2
        hunks.append(hunk)
    return hunks


def _separator_kind(tag):
    return {"delete": "delete", "insert": "insert"}.get(tag, "equal")


def change_size(old, new):
    """Characters inserted plus characters deleted, whitespace ignored.

    0 means the edit only touched spaces and line breaks.
    """
    a = [squeezed for line in _lines(old) if (squeezed := "".join(line.split()))]
    b = [squeezed for line in _lines(new) if (squeezed := "".join(line.split()))]
    total = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace" and len(old_text) * len(new_text) <= CHAR_COMPARE_LIMIT:
            same = sum(
                block.size for block in SequenceMatcher(None, old_text, new_text, autojunk=False).get_matching_blocks()
            )
            total += len(old_text) + len(new_text) - 2 * same
        else:
            total += len(old_text) + len(new_text)
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
