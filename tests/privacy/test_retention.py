"""`apply_retention`: a finished placement past the retention period loses what people wrote
on it, keeps its signed reports and outcome, and says what it removed; an account goes only
when nothing else needs it. Runs on PostgreSQL too, where the lock triggers apply."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Judgement, Review, ReviewComment, SignedReport
from notifications.events import Event
from notifications.models import Notification
from portfolios.models import (
    AttendanceDay,
    ConfidentialName,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    Placement,
)
from privacy.models import Anonymisation
from privacy.retention import REMOVED_TITLE, retention_apply, retention_cutoff
from tests import factories
from tests.assessments.test_report_data import signed_final, stored_bytes

LONG_AGO = datetime.date.today() - datetime.timedelta(days=7 * 366)
RECENT = datetime.date.today() - datetime.timedelta(days=2 * 366)


def ended(placement: Placement, end: datetime.date) -> None:
    Placement.objects.filter(pk=placement.pk).update(
        start_date=end - datetime.timedelta(days=170), end_date=end
    )


def created_long_ago(*users) -> None:
    moment = timezone.now() - datetime.timedelta(days=8 * 366)
    type(users[0]).objects.filter(pk__in=[u.pk for u in users]).update(created_at=moment)


@pytest.fixture
def finished(cast):
    """A ratified placement that ended long ago, holding every kind of thing people write."""
    story = signed_final(cast)
    placement = cast.placement
    item = story.evidence[0]
    EvidenceComment.objects.create(evidence=item, author=cast.educator, text="Good links to law.")
    ConfidentialName.objects.create(placement=placement, name="Funmi Adebayo")
    AttendanceDay.objects.create(
        placement=placement,
        date=placement.start_date,
        kind=AttendanceDay.Kind.ABSENCE,
        absence_reason="Hospital appointment",
        recorded_by=cast.student,
        confirmed_by=cast.educator,
        confirmed_at=timezone.now(),
    )
    ReviewComment.objects.create(review=story.final, author=cast.supervisor, text="Agreed.")
    ended(placement, LONG_AGO)
    return story


def run(**kwargs):
    return retention_apply(years=6, **kwargs)


def reports(placement) -> list[tuple[str, str, bytes]]:
    return [
        (r.sha256, r.verification_code, stored_bytes(r))
        for r in SignedReport.objects.filter(review__placement=placement).order_by("version")
    ]


def test_the_cutoff_counts_whole_years_back_from_today():
    assert retention_cutoff(today=datetime.date(2033, 6, 1), years=6) == datetime.date(2027, 6, 1)
    assert retention_cutoff(today=datetime.date(2032, 2, 29), years=1) == datetime.date(2031, 2, 28)


def test_it_removes_what_people_wrote_and_keeps_the_signed_reports_and_outcome(
    cast, finished, settings, django_capture_on_commit_callbacks
):
    placement = cast.placement
    kept_reports = reports(placement)
    grades = list(
        Judgement.objects.filter(review__placement=placement).order_by("pk").values_list("grade")
    )
    stored = list((settings.MEDIA_ROOT / "evidence").rglob("*"))
    assert [p for p in stored if p.is_file()]

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = run()

    assert [o.placement for o in outcomes] == [placement]
    # Kept: the signed reports, byte for byte, and the outcome.
    assert reports(placement) == kept_reports
    assert all(hashlib.sha256(b).hexdigest() == h for h, _, b in kept_reports)
    final = Review.objects.get(pk=finished.final.pk)
    assert (final.status, final.recommendation) == (Review.Status.RATIFIED, "pass")
    assert final.signed_by == cast.educator
    assert Placement.objects.get(pk=placement.pk).status == Placement.Status.RATIFIED
    assert list(
        Judgement.objects.filter(review__placement=placement).order_by("pk").values_list("grade")
    ) == (grades)
    # Removed: the words, the files (rows and stored bytes), comments, names, notes, history.
    evidence = Evidence.objects.filter(placement=placement)
    assert set(evidence.values_list("title", "reflection")) == {(REMOVED_TITLE, "")}
    assert not EvidenceFile.objects.filter(evidence__placement=placement).exists()
    assert not [p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    assert not EvidenceComment.objects.filter(evidence__placement=placement).exists()
    assert not ReviewComment.objects.filter(review__placement=placement).exists()
    assert not ConfidentialName.objects.filter(placement=placement).exists()
    assert AttendanceDay.objects.get(placement=placement).absence_reason == ""
    assert set(
        Judgement.objects.filter(review__placement=placement).values_list("narrative", flat=True)
    ) == {""}
    assert (final.summary, final.student_comment, final.recommendation_justification) == (
        "",
        "",
        "",
    )
    assert not Evidence.history.filter(placement_id=placement.pk).exists()
    assert not Review.history.filter(placement_id=placement.pk).exists()


def test_it_records_when_and_how_much_it_removed(cast, finished):
    run()

    record = Anonymisation.objects.get(placement=cast.placement)
    assert record.retention_years == 6
    assert record.created_at is not None
    assert record.counts["evidence files"] == 1
    assert record.counts["comments"] == 1
    assert record.counts["names kept out"] == 1
    assert record.counts["attendance notes"] == 1
    assert (
        record.counts["evidence items"] == Evidence.objects.filter(placement=cast.placement).count()
    )
    assert "Funmi" not in str(record.counts)


def test_running_it_again_changes_nothing(cast, finished):
    run()
    after = list(Evidence.objects.filter(placement=cast.placement).values())

    assert run() == []
    assert list(Evidence.objects.filter(placement=cast.placement).values()) == after
    assert Anonymisation.objects.count() == 1


def test_a_dry_run_lists_what_would_change_and_changes_nothing(
    cast, finished, settings, django_capture_on_commit_callbacks
):
    before = list(Evidence.objects.filter(placement=cast.placement).values())
    files = sorted(p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcomes = run(dry_run=True)

    assert callbacks == []
    assert [o.placement.pk for o in outcomes] == [cast.placement.pk]
    assert outcomes[0].counts["comments"] == 1
    assert list(Evidence.objects.filter(placement=cast.placement).values()) == before
    assert sorted(p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()) == (
        files
    )
    assert EvidenceComment.objects.count() == 1
    assert not Anonymisation.objects.exists()


def test_it_leaves_placements_that_are_recent_or_not_finished(cast, finished):
    recent = factories.PlacementFactory(status=Placement.Status.RATIFIED)
    ended(recent, RECENT)
    deferred = factories.PlacementFactory(status=Placement.Status.DEFERRED)
    ended(deferred, LONG_AGO)

    outcomes = run()

    assert [o.placement for o in outcomes] == [cast.placement]


def test_an_account_is_anonymised_only_when_nothing_else_needs_it(cast, finished):
    student = cast.student
    second = factories.PlacementFactory(student=student, status=Placement.Status.ACTIVE)
    created_long_ago(student, cast.educator)

    outcomes = run()
    # The educator is on nothing else; the student is still on placement.
    assert {o.user for o in outcomes if o.user} == {cast.educator}
    student.refresh_from_db()
    assert "anonymised" not in student.email
    assert student.is_active

    Placement.objects.filter(pk=second.pk).update(status=Placement.Status.TERMINATED)
    ended(second, LONG_AGO)
    Notification.objects.create(recipient=student, event=Event.REVIEW_TO_ACKNOWLEDGE, link="/")
    outcomes = run()

    student.refresh_from_db()
    assert [o.user for o in outcomes if o.user] == [student]
    assert (student.first_name, student.last_name) == ("", "")
    assert student.email.endswith("@anonymised.invalid")
    assert not student.is_active and not student.has_usable_password()
    counts = Anonymisation.objects.get(user=student).counts
    assert counts["accounts"] == 1 and counts["notifications"] >= 1
    assert not Notification.objects.filter(recipient=student).exists()
    # The tutor's account is new; the coordinator is a university's staff: both stay.
    for person in (cast.tutor, cast.coordinator):
        person.refresh_from_db()
        assert "anonymised" not in person.email


def test_the_record_is_shown_read_only_in_the_admin(client, cast, finished):
    run()
    record = Anonymisation.objects.get()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:privacy_anonymisation_change", args=[record.pk]))

    assert page.status_code == 200
    assert "evidence files" in page.content.decode()
    assert 'name="retention_years"' not in page.content.decode()


def test_the_command_lists_identifiers_only(cast, finished):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)

    text = out.getvalue()
    assert f"Would anonymise placement {cast.placement.pk}" in text
    assert cast.student.last_name not in text
    assert Anonymisation.objects.count() == 0
