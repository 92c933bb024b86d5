"""Comparing and merging page texts: word-level diffs, change size, three-way merge.

Pure functions on strings, no database: the services and the views use them.
"""

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import merge3

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT_LINES = 2

# Bounded cost. Lines are compared first; words only inside the changed lines, after their common
# beginning and end are set aside (one changed character in a long line costs nothing more). Two
# changed parts are compared word by word only when the product of their numbers of words is under
# WORD_PAIR_LIMIT, and one diff spends at most WORD_BUDGET on them: beyond, the remaining changed
# lines are shown whole, removed then added, and the diff says it is too large to show word by word.
WORD_PAIR_LIMIT = 40_000
WORD_BUDGET = 400_000
# Lines: difflib compares two blocks of lines in time that can grow with the product of their
# lengths, so it is used only on blocks under LINE_PAIR_LIMIT (the product of their numbers of lines),
# for at most LINE_BUDGET in one comparison. Longer blocks are first cut at the lines found once on
# each side, in the same order (as in a "patience" diff, linear but for a logarithm); a block still
# over the limits is shown replaced as a whole.
LINE_PAIR_LIMIT = 40_000
LINE_BUDGET = 400_000


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


class Hunks(list):
    """The hunks of a diff; `too_large` when some changed lines are shown whole rather than word by word."""

    too_large = False


class _Budget:
    """Word comparisons left for one diff (products of numbers of words, see WORD_BUDGET)."""

    def __init__(self, total=WORD_BUDGET):
        self.left = total
        self.exceeded = False

    def spend(self, cost):
        if cost > WORD_PAIR_LIMIT or cost > self.left:
            self.exceeded = True
            return False
        self.left -= cost
        return True


def _lines(text):
    return (text or "").split("\n")


def _add(segments, kind, text):
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1].text += text
    else:
        segments.append(Segment(kind, text))


def _matching_blocks(a, b):
    """The lines common to `a` and `b` as difflib's (i, j, size) blocks, ending with (len a, len b, 0).

    Bounded cost: see LINE_PAIR_LIMIT.
    """
    start, end = _common_ends(a, b)
    blocks = [(0, 0, start)] if start else []
    budget = [LINE_BUDGET]
    pending = [(start, len(a) - end, start, len(b) - end)]  # ranges still to compare, last one first
    while pending:
        a1, a2, b1, b2 = pending.pop()
        if a1 == a2 or b1 == b2:
            continue
        size = (a2 - a1) * (b2 - b1)
        if size <= LINE_PAIR_LIMIT and size <= budget[0]:
            budget[0] -= size
            matcher = SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
            blocks += [(a1 + i, b1 + j, n) for i, j, n in matcher.get_matching_blocks() if n]
            continue
        anchors = _unique_anchors(a, a1, a2, b, b1, b2)
        if not anchors:
            continue  # shown replaced as a whole
        gaps, (previous_a, previous_b) = [], (a1, b1)
        for i, j in anchors:
            gaps.append((previous_a, i, previous_b, j))
            blocks.append((i, j, 1))
            previous_a, previous_b = i + 1, j + 1
        gaps.append((previous_a, a2, previous_b, b2))
        pending += reversed(gaps)
    if end:
        blocks.append((len(a) - end, len(b) - end, end))
    return _merged_blocks(sorted(blocks)) + [(len(a), len(b), 0)]


def _unique_anchors(a, a1, a2, b, b1, b2):
    """Pairs (i, j) of lines found once in a[a1:a2] and once in b[b1:b2], the longest run in the same order."""
    count_a, count_b = Counter(a[a1:a2]), Counter(b[b1:b2])
    where_b = {b[j]: j for j in range(b1, b2) if count_b[b[j]] == 1 and count_a[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(a1, a2) if a[i] in where_b]
    # Longest increasing run of j (patience sorting): O(k log k).
    tails, tail_index, previous = [], [], [None] * len(pairs)
    for index, (_i, j) in enumerate(pairs):
        position = bisect_left(tails, j)
        if position:
            previous[index] = tail_index[position - 1]
        if position == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[position] = j
            tail_index[position] = index
    run, index = [], tail_index[-1] if tail_index else None
    while index is not None:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _merged_blocks(blocks):
    merged = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    return merged


class BoundedMatcher:
    """What wiki.diffs and merge3 need of difflib.SequenceMatcher, for lines, at a bounded cost."""

    def __init__(self, isjunk=None, a=(), b=()):
        self.a, self.b = list(a), list(b)
        self._blocks = None

    def get_matching_blocks(self):
        if self._blocks is None:
            self._blocks = _matching_blocks(self.a, self.b)
        return self._blocks

    def get_opcodes(self):
        i = j = 0
        opcodes = []
        for ai, bj, size in self.get_matching_blocks():
            tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
            if tag:
                opcodes.append((tag, i, ai, j, bj))
            if size:
                opcodes.append(("equal", ai, ai + size, bj, bj + size))
            i, j = ai + size, bj + size
        return opcodes

    get_grouped_opcodes = SequenceMatcher.get_grouped_opcodes


def _line_matcher(a, b):
    return BoundedMatcher(None, a, b)


def _common_ends(a, b):
    """(length of the common beginning, of the common end) of two sequences, not overlapping: linear."""
    limit = min(len(a), len(b))
    start = 0
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def word_segments(old, new, budget=None):
    """Word-level diff of two texts: a list of Segments.

    The common beginning and end are set aside; the parts in between are compared word by word
    within the budget (`_Budget`), else shown as removed then added.
    """
    budget = budget or _Budget()
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    start, end = _common_ends(a, b)
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    segments = []
    _add(segments, "equal", "".join(a[:start]))
    if not middle_a or not middle_b or not budget.spend(len(middle_a) * len(middle_b)):
        _add(segments, "delete", "".join(middle_a))
        _add(segments, "insert", "".join(middle_b))
    else:
        # Spaces never anchor a match (there are too many of them), but matches run through them.
        matcher = SequenceMatcher(str.isspace, middle_a, middle_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                _add(segments, "equal", "".join(middle_a[i1:i2]))
            else:
                _add(segments, "delete", "".join(middle_a[i1:i2]))
                _add(segments, "insert", "".join(middle_b[j1:j2]))
    _add(segments, "equal", "".join(a[len(a) - end :]))
    return segments


def _replaced_lines(old_lines, new_lines, budget):
    """Segments for a block of replaced lines: line by line when the counts match, else as one text."""
    if len(old_lines) != len(new_lines):
        return word_segments("\n".join(old_lines), "\n".join(new_lines), budget)
    segments = []
    for index, (old_line, new_line) in enumerate(zip(old_lines, new_lines, strict=True)):
        if index:
            _add(segments, "equal", "\n")
        if old_line == new_line:
            _add(segments, "equal", old_line)
            continue
        for segment in word_segments(old_line, new_line, budget):
            _add(segments, segment.kind, segment.text)
    return segments


def word_diff(old, new, context=CONTEXT_LINES):
    """The changes from `old` to `new` as hunks of word-level segments (a `Hunks` list).

    Lines are compared first, then words inside the replaced lines, within a budget
    (WORD_BUDGET); unchanged lines far from any change are left out (`skipped_before`
    marks the gaps).
    """
    a, b = _lines(old), _lines(new)
    hunks, budget = Hunks(), _Budget()
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
                for segment in _replaced_lines(a[i1:i2], b[j1:j2], budget):
                    _add(hunk.segments, segment.kind, segment.text)
            elif tag == "delete":
                _add(hunk.segments, "delete", "\n".join(a[i1:i2]))
            else:
                _add(hunk.segments, "insert", "\n".join(b[j1:j2]))
            previous_end = i2
        hunks.append(hunk)
    hunks.too_large = budget.exceeded
    return hunks


def _separator_kind(tag):
    return {"delete": "delete", "insert": "insert"}.get(tag, "equal")


def _text_change(old, new):
    """Characters between the common beginning and the common end of two texts, on both sides.

    A linear estimate of the characters inserted plus deleted: exact for one change (typed,
    removed or replaced text), an upper bound when a line has several changes far apart.
    """
    if old == new:
        return 0
    start, end = _common_ends(old, new)
    return len(old) + len(new) - 2 * (start + end)


def change_size(old, new):
    """Characters inserted plus characters deleted, whitespace ignored (for the ledger's `chars_changed`).

    0 means the edit only touched spaces and line breaks. Lines are compared first; inside
    replaced lines the count is `_text_change`'s linear estimate, so saving stays fast
    whatever the text.
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
    merger = merge3.Merge3(
        _merge_lines(base), _merge_lines(yours), _merge_lines(theirs), sequence_matcher=BoundedMatcher
    )
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
