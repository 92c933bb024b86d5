"""Bounded cost: pathological input through the renderer, the link extractor, the diff, the preview and the save.

Each input once cost seconds to minutes (Python-Markdown and difflib grew with the square of the
text, or worse). The renderer (wiki.markup), the diff (wiki.diffs) and what calls them must stay
linear: each case must take well under a second. The time measured is this process's CPU time,
so that other programs running on the same machine do not make the test flaky; a quadratic step
would still take seconds of it.
"""

import random
import time

import pytest

from tests.wiki.conftest import edit
from wiki import diffs, links, markup, services
from wiki.models import WikiPage

LIMIT = 1.0  # seconds of CPU for one call


def cpu_time(function, *args, **kwargs):
    started = time.process_time()
    function(*args, **kwargs)
    return time.process_time() - started


TEXTS = {
    "open brackets": "[" * 24_000,
    "double brackets": "[[" * 12_000,
    "unclosed wiki links": "[[a|b" * 4_800,
    "wiki links": "[[Page]] " * 2_500,
    "nested emphasis": "*a " * 4_000 + "b" + " a*" * 4_000,
    "emphasis runs": "*a **a " * 3_500,
    "nested quotes": ">" * 24_000 + " a",
    "nested lists": "\n".join("  " * i + "- a" for i in range(150)),
    "backtick runs": "".join("`" * i + "a" for i in range(1, 200)),
    "backtick pairs": "a`" * 12_000,
    "link chain": "[a](b)" * 4_000,
    "nested links": "[" * 8_000 + "a" + "](b)" * 4_000,
    "unclosed link destinations": "[a](" * 6_000,
    "image chain": "![a](" * 5_000,
    "raw HTML nesting": "<b>" * 8_000,
    "misnested raw HTML": "<b><i>x</b></i>" * 1_600,
    "angle brackets": "<" * 24_000,
    "bare URLs": "https://a.fr/ " * 1_800 + "https://" + "." * 1_000,
    "a line of pipes": "|" * 24_000 + "x",
    "blank lines": "a" + "\n" * 24_000 + "a",
    "very long line": "mot " * 6_000,
    "wide table": "|a" * 600 + "\n" + "|-" * 600 + "\n" + ("|b" * 600 + "\n") * 5,
    # At the longest body allowed (100,000 characters)
    "50,000 table cells": "|a" * 2_000 + "\n" + "|-" * 2_000 + "\n" + ("|b" * 2_000 + "\n") * 23,
    "50,000 code spans": "a`" * 50_000,
}


def _words_line(rng, length=999):
    words = []
    while sum(len(word) + 1 for word in words) < length:
        words.append("".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 3))))
    return " ".join(words)[:length]


def _one_character_changed(line, index):
    at = (index * 37) % len(line)
    return line[:at] + ("Z" if line[at] != "Z" else "Y") + line[at + 1 :]


def _hundred_long_lines_each_changed():
    rng = random.Random(12)
    lines = [_words_line(rng) for _ in range(100)]
    return "\n".join(lines), "\n".join(_one_character_changed(line, i) for i, line in enumerate(lines))


PAIRS = {
    "100 lines of 999 characters, one changed in each": _hundred_long_lines_each_changed(),
    "one very long line of words": (
        " ".join(f"m{i}" for i in range(12_000)),
        " ".join(f"m{i}" if i % 7 else f"n{i}" for i in range(12_000)),
    ),
    "brackets": ("[" * 24_000, "[" * 12_000 + "a" + "[" * 12_000),
    "repeated lines reordered": (
        "\n".join(f"l{i % 300}" for i in range(12_000)),
        "\n".join(f"l{(i * 7) % 300}" for i in range(12_000)),
    ),
    "every third line changed": (
        "\n".join(f"ligne {i} a b" for i in range(8_000)),
        "\n".join(f"ligne {i} a {'c' if i % 3 else 'b'}" for i in range(8_000)),
    ),
}


@pytest.mark.parametrize("name", TEXTS)
def test_rendering_is_fast(name):
    assert cpu_time(markup.render, TEXTS[name]) < LIMIT


@pytest.mark.parametrize("name", TEXTS)
def test_extracting_links_and_plain_text_is_fast(name):
    assert cpu_time(markup.wiki_link_titles, TEXTS[name]) < LIMIT
    assert cpu_time(markup.plain_text, TEXTS[name]) < LIMIT


@pytest.mark.parametrize("name", PAIRS)
def test_diffing_is_fast(name):
    old, new = PAIRS[name]
    assert cpu_time(diffs.word_diff, old, new) < LIMIT
    assert cpu_time(diffs.word_segments, old, new) < LIMIT
    assert cpu_time(diffs.change_size, old, new) < LIMIT
    assert cpu_time(diffs.merge_text, old, new, old + "\nfin") < LIMIT


def test_the_long_lines_diff_is_still_precise():
    old, new = PAIRS["100 lines of 999 characters, one changed in each"]
    hunks = diffs.word_diff(old, new)
    assert not hunks.too_large
    assert diffs.change_size(old, new) <= 2 * 100 * 3  # one changed word of 1 to 3 letters per line


SLOW_BEFORE = ["open brackets", "double brackets", "nested emphasis", "unclosed link destinations", "blank lines"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", SLOW_BEFORE)
def test_the_preview_is_fast(client, territory, write_page, resident, name):
    page = write_page(territory["genicart"], "Le marché", "Le marché a lieu le samedi.")
    client.force_login(resident)
    data = {"title": page.title, "body": TEXTS[name], "base_revision_id": page.latest_revision_id, "preview": "1"}
    started = time.process_time()
    response = client.post(page.url + "edit/", data)
    assert time.process_time() - started < LIMIT
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", SLOW_BEFORE)
def test_saving_and_showing_a_page_is_fast(client, territory, resident, name):
    started = time.process_time()
    page = services.create_page(resident, territory["genicart"], "Le marché", TEXTS[name])
    assert time.process_time() - started < LIMIT
    started = time.process_time()
    links.render_page_body(WikiPage.objects.get(pk=page.pk))
    assert time.process_time() - started < LIMIT


@pytest.mark.django_db
def test_saving_and_comparing_long_changed_lines_is_fast(client, territory, resident, other_resident):
    old, new = PAIRS["100 lines of 999 characters, one changed in each"]
    page = services.create_page(resident, territory["genicart"], "Le marché", old)
    first = page.latest_revision_id
    started = time.process_time()
    second = edit(page, other_resident, new).revision.pk
    assert time.process_time() - started < LIMIT
    started = time.process_time()
    response = client.get(f"{page.url}diff/{first}/{second}/")
    assert time.process_time() - started < LIMIT
    assert response.status_code == 200
