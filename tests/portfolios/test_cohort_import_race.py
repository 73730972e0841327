"""The same cohort file imported twice at the same moment (two coordinators, two tabs): the
placements and accounts are created once. Needs concurrent transactions: PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import Invitation, User
from portfolios.models import Placement, University
from portfolios.services.cohort_import import cohort_import
from tests.portfolios.cohort_csv import ImportWorld, csv_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writes, so a race cannot happen there.",
    ),
]


def test_two_imports_of_one_file_at_once_create_each_placement_once():
    world = ImportWorld()
    raw = csv_bytes([world.row(n) for n in range(1, 6)])
    barrier = threading.Barrier(2, timeout=20)
    results: list = []

    def run():
        try:
            actor = User.objects.get(pk=world.coordinator.pk)
            university = University.objects.get(pk=world.university.pk)
            barrier.wait()
            results.append(
                len(cohort_import(actor=actor, university=university, raw=raw).placements)
            )
        except Exception as error:  # kept: a thread's exception would otherwise be lost
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [0, 5]
    assert Placement.objects.count() == 5
    assert User.objects.filter(email__startswith="student").count() == 5
    assert Invitation.objects.count() == 5
