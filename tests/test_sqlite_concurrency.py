"""SQLite under concurrent writes (several failed sign-ins at once each record one): with the
settings' OPTIONS every transaction waits for the write lock instead of failing with
"database is locked"; without them the same load fails."""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

ALIAS = "sqlite_concurrency_check"


def _wrapper(path, options: dict) -> DatabaseWrapper:
    return DatabaseWrapper(
        {
            "NAME": str(path),
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": options,
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        },
        alias=ALIAS,
    )


def failures_under_load(path, options: dict, *, threads: int = 6, writes: int = 25) -> int:
    """Each thread, like a failed sign-in, reads and then writes in one transaction."""
    setup = _wrapper(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS attempt (n integer)")
    setup.close()
    failed = []

    def sign_ins():
        connections[ALIAS] = wrapper = _wrapper(path, options)
        try:
            for _ in range(writes):
                try:
                    with transaction.atomic(using=ALIAS), wrapper.cursor() as cursor:
                        cursor.execute("SELECT count(*) FROM attempt")
                        time.sleep(0.002)
                        cursor.execute("INSERT INTO attempt VALUES (1)")
                except OperationalError:
                    failed.append(1)
        finally:
            wrapper.close()

    workers = [threading.Thread(target=sign_ins) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(failed)


@pytest.fixture
def sqlite_options():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("The OPTIONS are set only when DATABASE_URL is SQLite.")
    return settings.DATABASES["default"]["OPTIONS"]


def test_concurrent_writes_wait_for_the_lock_with_the_settings_options(
    tmp_path, sqlite_options, django_db_blocker
):
    assert sqlite_options["transaction_mode"] == "IMMEDIATE"
    with django_db_blocker.unblock():
        assert failures_under_load(tmp_path / "db.sqlite3", sqlite_options) == 0


def test_without_them_the_same_load_fails_with_database_is_locked(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        assert failures_under_load(tmp_path / "db.sqlite3", {"timeout": 20}) > 0
