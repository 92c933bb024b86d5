"""No lost update, ever: residents save the same page at the same instant (PostgreSQL only).

SQLite serialises every write, so the race cannot be staged there (the
interleaved edits of test_services.py run on both databases); on PostgreSQL
the page row lock taken by wiki.services makes concurrent saves queue up, and
each one is merged three ways with what the others saved before it.
"""

import threading

import pytest
from django.db import connection, connections

from wiki import services
from wiki.models import WikiPage
from wiki.services import EditConflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 6


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency proof needs PostgreSQL (row locks); run with DATABASE_URL=postgres://...")


def race(action, arguments):
    barrier = threading.Barrier(len(arguments))
    outcomes, errors = [], []

    def run(argument):
        try:
            barrier.wait(timeout=10)
            outcomes.append(action(argument))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


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


def test_simultaneous_edits_of_different_paragraphs_are_all_kept(postgres_only, page, editors):
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


def test_simultaneous_edits_of_the_same_line_save_one_and_refuse_the_others(postgres_only, page, editors):
    base = page.latest_revision_id

    def edit_first_line(i):
        return save(page, editors[i], page.body.replace("Paragraphe 0.", f"Version de l’éditeur {i}."), base)

    outcomes, errors = race(edit_first_line, range(THREADS))
    assert len(outcomes) == 1
    assert len(errors) == THREADS - 1 and all(isinstance(error, EditConflict) for error in errors)
    body = WikiPage.objects.get(pk=page.pk).body
    assert body.count("Version de l’éditeur") == 1
    assert services.page_revisions(page).count() == 2
