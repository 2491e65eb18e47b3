"""Rows built once for a module of read-only tests, and rolled back when the module ends.

A module-scoped fixture calls ``rows_for_the_module(django_db_blocker, build)``: ``build``
runs in a transaction of its own, each test's transaction nests in it (a savepoint, as
``django_db`` gives every test), and the rows are gone when the last test of the module has
run. Only for tests that write nothing they rely on afterwards; transactional tests (which
empty the tables) must not use it.
"""

from django.db import transaction


def rows_for_the_module(django_db_blocker, build):
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            built = build()
        except BaseException as error:
            atomic.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
