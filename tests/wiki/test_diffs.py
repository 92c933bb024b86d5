"""wiki.diffs: word-level diffs, the size of a change, three-way merges; the diff page's cache."""

import pytest
from django.core.cache import cache

from tests.wiki.conftest import edit
from wiki import moderation, services
from wiki.diffs import change_size, merge_text, merge_value, word_diff, word_segments


def kinds(segments):
    return [(segment.kind, segment.text) for segment in segments]


def test_word_segments_mark_whole_words():
    assert kinds(word_segments("Le marché du samedi", "Le marché du dimanche")) == [
        ("equal", "Le marché du "),
        ("delete", "samedi"),
        ("insert", "dimanche"),
    ]


def test_word_diff_keeps_context_and_skips_far_lines():
    old = "\n".join(f"ligne {i}" for i in range(20))
    new = old.replace("ligne 10", "ligne dix")
    (hunk,) = word_diff(old, new)
    assert hunk.skipped_before and hunk.new_line == 9
    text = "".join(segment.text for segment in hunk.segments if segment.kind != "insert")
    assert text == "ligne 8\nligne 9\nligne 10\nligne 11\nligne 12"
    assert ("insert", "dix") in kinds(hunk.segments)


def test_word_diff_of_added_and_removed_lines():
    (hunk,) = word_diff("a\nb", "a\nb\nc")
    assert kinds(hunk.segments)[-1] == ("insert", "\nc")
    assert word_diff("même", "même") == []


@pytest.mark.parametrize(
    ("old", "new", "size"),
    [
        ("", "", 0),
        ("abc", "abc", 0),
        ("Le marché", "Le  marché\n\n", 0),
        ("Le marché", "Le marché couvert", len("couvert")),
        ("Le marché couvert", "Le marché", len("couvert")),
        ("un\ndeux\ntrois", "un\ntrois", len("deux")),
        ("samedi", "samedi matin", len("matin")),
        ("", "x" * 1000, 1000),
    ],
)
def test_change_size_ignores_whitespace(old, new, size):
    assert change_size(old, new) == size


def test_change_size_of_a_huge_replacement_is_fast():
    assert change_size("a" * 50_000, "b" * 50_000) == 100_000


def test_merge_of_edits_in_different_paragraphs():
    base = "un\n\ndeux\n\ntrois"
    result = merge_text(base, "UN\n\ndeux\n\ntrois", "un\n\ndeux\n\nTROIS")
    assert (result.text, result.conflict) == ("UN\n\ndeux\n\nTROIS", False)


def test_merge_of_overlapping_edits_is_a_conflict_that_keeps_yours():
    base = "un\n\ndeux"
    result = merge_text(base, "UN\n\ndeux", "Un !\n\ndeux")
    assert result.conflict and result.text == "UN\n\ndeux"


def test_merge_of_the_same_edit_and_of_edits_at_the_end():
    assert merge_text("a", "b", "b").text == "b"
    assert merge_text("a\n\nb", "a\n\nb\n\nc", "A\n\nb").text == "A\n\nb\n\nc"


def test_merge_value():
    assert merge_value("a", "a", "b") == ("b", False)
    assert merge_value("a", "b", "a") == ("b", False)
    assert merge_value("a", "b", "b") == ("b", False)
    assert merge_value("a", "b", "c") == ("b", True)


def test_a_huge_rewrite_is_shown_as_removed_then_added_quickly():
    import time

    old = " ".join(f"mot{i}" for i in range(20_000))
    new = " ".join(f"autre{i}" for i in range(20_000))
    started = time.monotonic()
    segments = word_segments(old, new)
    assert time.monotonic() - started < 1
    assert kinds(segments) == [("delete", old), ("insert", new)]


def test_a_long_page_with_every_paragraph_changed_is_diffed_quickly_and_precisely():
    import time

    old = "\n\n".join(f"Paragraphe {i} avec quelques mots pour faire du volume." for i in range(1_800))
    new = old.replace("quelques", "plusieurs")
    assert len(old) > 95_000
    started = time.monotonic()
    (hunk,) = word_diff(old, new)
    size = change_size(old, new)
    assert time.monotonic() - started < 2
    assert [s.text for s in hunk.segments if s.kind == "insert"] == ["plusieurs"] * 1_800
    assert size == 1_800 * change_size("quelques", "plusieurs")


def test_one_changed_character_in_a_long_line_costs_nothing_more():
    old = "le parc " * 120 + "ouvre" + " le parc" * 120
    new = old.replace("ouvre", "ferme")
    assert kinds(word_segments(old, new)) == [
        ("equal", "le parc " * 120),
        ("delete", "ouvre"),
        ("insert", "ferme"),
        ("equal", " le parc" * 120),
    ]
    assert change_size(old, new) == len("ouvr") + len("ferm")  # both end in "e"


def test_over_the_budget_changed_lines_are_shown_whole_and_the_diff_says_so():
    from wiki import diffs

    words = [" ".join(f"{w}{i}" for i in range(300)) for w in ("a", "b")]
    (hunk,) = word_diff(words[0], words[1])
    assert hunk.segments[0].kind == "delete" and hunk.segments[1].kind == "insert"
    assert word_diff(words[0], words[1]).too_large
    small = [f"ligne {i} un deux" for i in range(10)]
    assert not word_diff("\n".join(small), "\n".join(line.replace("deux", "trois") for line in small)).too_large
    assert diffs.WORD_PAIR_LIMIT < 300 * 300


def test_lines_found_once_anchor_long_blocks_of_changes():
    from wiki.diffs import BoundedMatcher

    old = [f"ligne {i}" for i in range(3_000)]
    new = [line if i % 3 else f"{line} modifiée" for i, line in enumerate(old)]
    opcodes = BoundedMatcher(None, old, new).get_opcodes()
    assert sum(i2 - i1 for tag, i1, i2, _j1, _j2 in opcodes if tag == "equal") == 2_000
    assert [tag for tag, *_ in opcodes if tag != "equal"] == ["replace"] * 1_000


def test_change_size_of_several_changes_in_a_line_is_an_upper_bound():
    # Linear estimate: the span from the first to the last change of the line.
    assert change_size("a b c d e", "x b c d y") == 10
    assert change_size("abc", "abc") == 0


# The diff page ---------------------------------------------------------------------------------


@pytest.fixture
def counted_diffs(monkeypatch):
    """Counts the body diffs the views compute."""
    from wiki import diffs

    calls = []
    original = diffs.word_diff

    def counting(old, new, *args, **kwargs):
        calls.append((old, new))
        return original(old, new, *args, **kwargs)

    monkeypatch.setattr(diffs, "word_diff", counting)
    return calls


@pytest.mark.django_db
def test_a_diff_of_two_revisions_is_computed_once_whatever_the_query_string(
    client, territory, write_page, other_resident, counted_diffs
):
    page = write_page(territory["genicart"], "Le marché", "Le marché a lieu le samedi.")
    old = page.latest_revision_id
    new = edit(page, other_resident, "Le marché a lieu le dimanche.", title="Le grand marché").revision.pk
    url = f"{page.url}diff/{old}/{new}/"
    first, second = client.get(url), client.get(url, {"utm": "x"})
    client.force_login(other_resident)
    third = client.get(url)
    assert len(counted_diffs) == 1
    for response in (first, second, third):
        assert response.status_code == 200 and "dimanche" in response.text and "grand" in response.text


@pytest.mark.django_db
def test_a_hidden_version_is_never_cached_and_never_shown_to_the_public(
    client, territory, write_page, other_resident, moderator, counted_diffs
):
    page = write_page(territory["genicart"], "Le marché", "Le marché a lieu le samedi.")
    vandalism = edit(page, other_resident, "INSULTE-SECRETE").revision
    page = page.specific_class.objects.get(pk=page.pk)
    services.undo(moderator, page, vandalism.pk)
    moderation.hide_revision(moderator, page, vandalism.pk, "Insulte")
    url = f"{page.url}diff/{services.previous_revision(page, vandalism).pk}/{vandalism.pk}/"
    client.force_login(moderator)
    assert "INSULTE-SECRETE" in client.get(url).text
    assert "INSULTE-SECRETE" in client.get(url).text
    assert len(counted_diffs) == 2  # computed each time for moderators, kept nowhere
    client.logout()
    response = client.get(url)
    assert response.status_code == 403 and "INSULTE-SECRETE" not in response.text
    assert not [key for key in cache._cache if "wiki:diff:" in key]  # locmem: nothing kept


@pytest.mark.django_db
def test_the_page_says_when_a_diff_is_too_large_to_show_word_by_word(client, territory, write_page, other_resident):
    old_body = " ".join(f"a{i}" for i in range(300))
    page = write_page(territory["genicart"], "Le marché", old_body)
    old = page.latest_revision_id
    new = edit(page, other_resident, " ".join(f"b{i}" for i in range(300))).revision.pk
    response = client.get(f"{page.url}diff/{old}/{new}/")
    assert response.status_code == 200
    assert "Cette différence est trop grande pour être montrée mot à mot" in response.text
