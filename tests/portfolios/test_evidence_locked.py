"""Evidence cited in a signed review (`locked_at` set) refuses a change below the services:
the model's save() and delete(), its queryset's update() and delete(), and on PostgreSQL the
database itself. The educator's verification of service user feedback still lands."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portfolios.models import Evidence
from portfolios.models.immutability import LockedError
from tests import factories

LOCKED = "This evidence is cited in a signed review"


@pytest.fixture
def locked(cast):
    item = factories.EvidenceFactory(
        placement=cast.placement,
        created_by=cast.student,
        status=Evidence.Status.ACCEPTED,
        title="Home visit reflection",
    )
    Evidence.objects.filter(pk=item.pk).update(locked_at=timezone.now())
    item.refresh_from_db()
    return item


def stored(item) -> dict:
    return Evidence.objects.filter(pk=item.pk).values()[0]


def refused(write) -> None:
    with pytest.raises(LockedError, match=LOCKED), transaction.atomic():
        write()


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "Rewritten"),
        ("reflection", "Rewritten."),
        ("status", Evidence.Status.DRAFT),
        ("locked_at", None),
    ],
)
def test_locked_evidence_refuses_save_of_its_content(locked, field, value):
    before = stored(locked)
    setattr(locked, field, value)
    refused(locked.save)
    assert stored(locked) == before


def test_locked_evidence_refuses_delete_and_queryset_writes(locked):
    refused(locked.delete)
    refused(lambda: Evidence.objects.filter(pk=locked.pk).update(title="Rewritten"))
    refused(lambda: Evidence.objects.filter(pk=locked.pk).delete())
    refused(lambda: locked.placement.evidence.update(reflection=""))
    assert stored(locked)["title"] == "Home visit reflection"


def test_locked_evidence_still_takes_a_save_that_changes_nothing_and_a_verification(cast, locked):
    locked.save()
    Evidence.objects.filter(pk=locked.pk).update(verified_by=cast.educator)
    assert stored(locked)["verified_by_id"] == cast.educator.pk


def test_unlocked_evidence_still_changes(cast):
    item = factories.EvidenceFactory(placement=cast.placement, created_by=cast.student)
    item.title = "A better title"
    item.save()
    Evidence.objects.filter(pk=item.pk).update(locked_at=timezone.now())
    assert stored(item)["title"] == "A better title"


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The trigger exists only on PostgreSQL."
)


def raw(sql: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgres_only
@pytest.mark.parametrize(
    "assignment",
    ["title = 'Rewritten'", "reflection = ''", "locked_at = NULL", "status = 'draft'"],
)
def test_the_database_refuses_changing_locked_evidence(locked, assignment):
    before = stored(locked)
    with pytest.raises(IntegrityError, match=LOCKED):
        raw(f"UPDATE portfolios_evidence SET {assignment} WHERE id = %s", [locked.pk])
    with pytest.raises(IntegrityError, match=LOCKED):
        raw("DELETE FROM portfolios_evidence WHERE id = %s", [locked.pk])
    assert stored(locked) == before


@postgres_only
def test_the_database_lets_verification_and_unlocked_evidence_change(cast, locked):
    raw(
        "UPDATE portfolios_evidence SET verified_by_id = %s, verified_at = %s WHERE id = %s",
        [cast.educator.pk, timezone.now(), locked.pk],
    )
    item = factories.EvidenceFactory(placement=cast.placement, created_by=cast.student)
    raw("UPDATE portfolios_evidence SET title = 'Changed' WHERE id = %s", [item.pk])
    assert stored(item)["title"] == "Changed"
    assert stored(locked)["verified_by_id"] == cast.educator.pk
