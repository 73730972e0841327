"""What a signed final review rests on is frozen below the services too: a learning agreement
anyone has signed (its content and goals; signatures never change) and a confirmed attendance
day refuse a change through the models, their querysets and, on PostgreSQL, the database.
An amendment is still a new version, and the next signature and confirmation still land."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portfolios import services
from portfolios.models import AgreementSignature, AttendanceDay, LearningAgreement, LearningGoal
from portfolios.models.immutability import LockedError
from tests.portfolios.test_agreements import draft
from tests.portfolios.test_attendance import last_monday, record

SIGNED = "Someone has signed this learning agreement, so it can no longer change."
SIGNATURE = "A signature on a learning agreement can never be changed or removed."
CONFIRMED = "This day has been confirmed, so it can no longer be changed or removed"


def refused(write, message) -> None:
    with pytest.raises(LockedError) as exc, transaction.atomic():
        write()
    assert exc.value.messages[0].startswith(message)


@pytest.fixture
def agreement(cast):
    """Signed by the student only so far: content is frozen from the first signature."""
    made = draft(cast.placement, cast.student)
    return services.agreement_sign(actor=cast.student, agreement=made)


def content(agreement):
    return (
        LearningAgreement.objects.filter(pk=agreement.pk).values("workload", "version")[0],
        list(agreement.goals.order_by("pk").values("domain", "text")),
        list(agreement.signatures.order_by("pk").values()),
    )


def test_a_signed_agreement_refuses_a_change_to_what_was_signed(cast, agreement):
    before = content(agreement)
    agreement.workload = "Changed."
    refused(agreement.save, SIGNED)
    refused(lambda: LearningAgreement.objects.filter(pk=agreement.pk).update(workload="x"), SIGNED)
    refused(LearningAgreement.objects.filter(pk=agreement.pk).delete, SIGNED)
    goal = agreement.goals.first()
    goal.text = "Changed."
    refused(goal.save, SIGNED)
    refused(goal.delete, SIGNED)
    refused(lambda: agreement.goals.update(text="Changed."), SIGNED)
    third = cast.placement.framework.domains.get(order=3)
    refused(
        lambda: LearningGoal.objects.create(agreement=agreement, domain=third, text="x"), SIGNED
    )
    assert content(agreement) == before


def test_a_signature_never_changes(cast, agreement):
    before = content(agreement)
    signature = agreement.signatures.get()
    signature.signed_at = timezone.now()
    refused(signature.save, SIGNATURE)
    refused(signature.delete, SIGNATURE)
    refused(lambda: agreement.signatures.update(user=cast.educator), SIGNATURE)
    assert content(agreement) == before


def test_the_other_signatures_and_an_amendment_still_land(cast, agreement):
    for person in (cast.educator, cast.supervisor, cast.tutor):
        agreement = services.agreement_sign(actor=person, agreement=agreement)
    assert agreement.status == LearningAgreement.Status.SIGNED
    new = services.agreement_amend(actor=cast.educator, agreement=agreement, reason="New team.")
    services.agreement_save(
        actor=cast.educator,
        placement=cast.placement,
        goals={cast.placement.framework.domains.get(order=1): "Changed."},
        supervision_frequency="Weekly",
    )
    new.refresh_from_db()
    agreement.refresh_from_db()
    assert (new.version, new.supervision_frequency) == (2, "Weekly")
    assert agreement.status == LearningAgreement.Status.SUPERSEDED
    assert agreement.supervision_frequency == "Fortnightly"
    assert agreement.signatures.count() == 4


def test_a_draft_nobody_has_signed_still_changes(cast):
    made = draft(cast.placement, cast.student)
    made.workload = "Changed."
    made.save()
    made.goals.update(text="Changed.")
    made.goals.first().delete()
    assert set(made.goals.values_list("text", flat=True)) == {"Changed."}


# --- Attendance -------------------------------------------------------------------------------


@pytest.fixture
def confirmed(cast):
    record(cast, last_monday())
    services.attendance_confirm_week(
        actor=cast.educator, placement=cast.placement, week_start=last_monday()
    )
    return AttendanceDay.objects.get(placement=cast.placement)


def test_a_confirmed_day_refuses_every_change(confirmed):
    before = AttendanceDay.objects.filter(pk=confirmed.pk).values()[0]
    confirmed.portion = AttendanceDay.Portion.HALF
    refused(confirmed.save, CONFIRMED)
    refused(confirmed.delete, CONFIRMED)
    same = AttendanceDay.objects.filter(pk=confirmed.pk)
    refused(lambda: same.update(kind=AttendanceDay.Kind.ABSENCE), CONFIRMED)
    refused(lambda: same.update(confirmed_at=None), CONFIRMED)
    refused(same.delete, CONFIRMED)
    refused(lambda: AttendanceDay.objects.bulk_update([confirmed], ["portion"]), CONFIRMED)
    assert AttendanceDay.objects.filter(pk=confirmed.pk).values()[0] == before


def test_an_unconfirmed_day_still_changes_and_is_confirmed(cast):
    day = record(cast, last_monday())
    day.portion = AttendanceDay.Portion.HALF
    day.save()
    services.attendance_confirm_week(
        actor=cast.educator, placement=cast.placement, week_start=last_monday()
    )
    day.refresh_from_db()
    assert (day.portion, day.confirmed_by) == (AttendanceDay.Portion.HALF, cast.educator)


# --- The database itself (PostgreSQL) ---------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The triggers exist only on PostgreSQL; on SQLite the model and queryset guards "
    "above are the last layer.",
)


def raw_refused(sql: str, params, message) -> None:
    with (
        pytest.raises(IntegrityError, match=message),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@postgres_only
def test_the_database_refuses_changing_a_signed_agreement(agreement):
    before = content(agreement)
    raw_refused(
        "UPDATE portfolios_learningagreement SET workload = 'x' WHERE id = %s",
        [agreement.pk],
        SIGNED,
    )
    raw_refused(
        "DELETE FROM portfolios_learninggoal WHERE agreement_id = %s", [agreement.pk], SIGNED
    )
    raw_refused(
        "UPDATE portfolios_agreementsignature SET signed_at = now() WHERE agreement_id = %s",
        [agreement.pk],
        SIGNATURE,
    )
    assert content(agreement) == before


@postgres_only
def test_the_database_refuses_changing_a_confirmed_day(confirmed):
    raw_refused(
        "UPDATE portfolios_attendanceday SET portion = 'half' WHERE id = %s",
        [confirmed.pk],
        CONFIRMED,
    )
    raw_refused("DELETE FROM portfolios_attendanceday WHERE id = %s", [confirmed.pk], CONFIRMED)
    assert AttendanceDay.objects.filter(pk=confirmed.pk).exists()


@postgres_only
def test_the_database_lets_the_last_signature_sign_the_agreement(cast, agreement):
    for person in (cast.educator, cast.supervisor, cast.tutor):
        agreement = services.agreement_sign(actor=person, agreement=agreement)
    assert AgreementSignature.objects.filter(agreement=agreement).count() == 4
    assert LearningAgreement.objects.get(pk=agreement.pk).status == "signed"
