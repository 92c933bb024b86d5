"""No lost update, ever: residents save the same page at the same instant (PostgreSQL only).

SQLite serialises every write, so the race cannot be staged there (the
interleaved edits of test_services.py run on both databases); on PostgreSQL
the page row lock taken by wiki.services makes concurrent saves queue up, and
each one is merged three ways with what the others saved before it.
"""

import pytest

from tests.concurrency import postgres_only, race
from wiki import services
from wiki.models import WikiPage
from wiki.services import EditConflict

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 6


@pytest.fixture
def editors(make_user):
    return [make_user(f"editor{i}@example.fr", pseudonym=f"Editeur {i}") for i in range(THREADS)]


@pytest.fixture
def page(territory, editors):
    body = "\n\n".join(f"Paragraphe {i}." for i in range(THREADS))
    return services.create_page(editors[0], territory["genicart"], "Page disputée", body)


def save(page, user, body, base):
    return services.edit_page(
        user, WikiPage.objects.get(pk=page.pk), base_revision_id=base, title=page.title, body=body
    )


def test_simultaneous_edits_of_different_paragraphs_are_all_kept(page, editors):
    base = page.latest_revision_id
    paragraphs = page.body.split("\n\n")

    def edit_one(i):
        changed = list(paragraphs)
        changed[i] = f"Paragraphe {i}, complété par l’éditeur {i}."
        return save(page, editors[i], "\n\n".join(changed), base)

    outcomes, errors = race(edit_one, range(THREADS))
    assert errors == []
    body = WikiPage.objects.get(pk=page.pk).body
    assert all(f"complété par l’éditeur {i}." in body for i in range(THREADS))
    assert sum(outcome.merged for outcome in outcomes) == THREADS - 1
    assert services.page_revisions(page).count() == THREADS + 1


def test_simultaneous_edits_of_the_same_line_save_one_and_refuse_the_others(page, editors):
    base = page.latest_revision_id

    def edit_first_line(i):
        return save(page, editors[i], page.body.replace("Paragraphe 0.", f"Version de l’éditeur {i}."), base)

    outcomes, errors = race(edit_first_line, range(THREADS))
    assert len(outcomes) == 1
    assert len(errors) == THREADS - 1 and all(isinstance(error, EditConflict) for error in errors)
    body = WikiPage.objects.get(pk=page.pk).body
    assert body.count("Version de l’éditeur") == 1
    assert services.page_revisions(page).count() == 2
