"""Staging races between database connections (PostgreSQL only: SQLite serialises every write)."""

import threading

import pytest
from django.db import connection, connections

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the concurrency proof needs PostgreSQL (row locks); run with DATABASE_URL=postgres://...",
)


def race(action, arguments):
    """Run `action(argument)` for every argument in its own thread, all released at once.

    Returns (outcomes, errors): what the calls returned and what they raised.
    """
    barrier = threading.Barrier(len(arguments))
    outcomes, errors = [], []

    def run(argument):
        try:
            barrier.wait(timeout=10)
            outcomes.append(action(argument))
        except Exception as error:  # noqa: BLE001 - reported to the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors
