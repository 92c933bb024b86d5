"""Six simultaneous saves of one member: each is saved or refused cleanly, never "database is locked" (issue 12).

On SQLite the race runs against a file database (as a web server has), opened with the production
OPTIONS of civic.settings: WAL, IMMEDIATE transactions and a busy timeout. Without them a read that
turns into a write fails at once with "database is locked" while another request writes. On
PostgreSQL the same race runs against the test database.
"""

import sqlite3
from contextlib import closing

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 6


def use_a_file_database(tmp_path, monkeypatch):
    """On SQLite, point the threads' connections at a file copy of the test database as it is now."""
    if connection.vendor != "sqlite":
        return
    path = tmp_path / "web.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    # Each thread opens its own connection from these settings (the main thread keeps the test database).
    monkeypatch.setitem(connection.settings_dict, "NAME", str(path))


def test_sqlite_runs_with_a_web_servers_concurrency_settings():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout=" in options["init_command"]


def test_six_simultaneous_saves_of_one_member_all_succeed(make_user, territory, tmp_path, monkeypatch):
    user = make_user("race@example.fr", pseudonym="Rapide")
    communes = [territory["lormont"].pk, territory["cenon"].pk]
    use_a_file_database(tmp_path, monkeypatch)

    def save(i):
        client = Client(raise_request_exception=True)
        client.force_login(user)
        data = {"pseudonym": "Rapide", "commune": str(communes[i % 2]), "show_on_leaderboard": "on"}
        # The whole request in one transaction, as a slower server's would overlap: it reads (session,
        # member, consents) before it writes, the pattern that SQLite's DEFERRED transactions deadlock on.
        with transaction.atomic():
            return client.post("/me/", data).status_code

    outcomes, errors = race(save, range(THREADS))
    assert [str(error) for error in errors] == []
    assert sorted(outcomes) == [302] * THREADS
