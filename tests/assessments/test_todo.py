"""What needs you: each role's to-do list, derived from the data, at a constant number of
queries, and gone once the thing is done."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Concern
from assessments.todo import todos_for
from portfolios import services as portfolio_services
from portfolios.models import AttendanceDay, Evidence, LearningAgreement, Placement
from tests import factories
from tests.assessments import builders


def texts(user) -> list[str]:
    return [t.text for t in todos_for(user=user)]


def has(user, fragment: str) -> bool:
    return any(fragment in t for t in texts(user))


def move_dates(placement, *, start_days_ago: int, length: int):
    start = datetime.date.today() - datetime.timedelta(days=start_days_ago)
    Placement.objects.filter(pk=placement.pk).update(
        start_date=start, end_date=start + datetime.timedelta(days=length)
    )
    placement.refresh_from_db()


def test_the_student_is_told_what_was_sent_back_and_it_goes_once_revised(cast):
    item = builders.evidence(cast.placement)
    portfolio_services.evidence_review(
        actor=cast.educator, evidence=item, accept=False, comment="Please anonymise."
    )
    (todo,) = [t for t in todos_for(user=cast.student) if "Revise" in t.text]
    assert todo.text.startswith("Revise 1 evidence item sent back to you")
    assert todo.url == reverse("portfolios:evidence-list", kwargs={"pk": cast.placement.pk})
    Evidence.objects.filter(pk=item.pk).update(status=Evidence.Status.RESUBMITTED)
    assert not has(cast.student, "Revise")


def test_the_student_acknowledges_a_signed_review_and_assesses_themselves_first(cast):
    assert has(cast.student, "Assess yourself before the midpoint review")
    review = builders.signed(cast.placement, builders.Kind.MIDPOINT)
    assert has(cast.student, "Read and acknowledge your midpoint review")
    services.review_acknowledge(actor=cast.student, review=review)
    assert not has(cast.student, "acknowledge")
    assert has(cast.student, "Assess yourself before the final review")


def test_the_student_is_reminded_to_record_attendance_after_a_quiet_week(cast):
    assert has(cast.student, "Record your attendance: nothing recorded yet")
    portfolio_services.attendance_record(
        actor=cast.student,
        placement=cast.placement,
        date=datetime.date.today(),
        portion="full",
        kind="placement",
    )
    assert not has(cast.student, "Record your attendance")


def test_everyone_is_asked_to_sign_the_agreement_until_they_have(cast):
    assert has(cast.educator, "Draft the learning agreement with")
    agreement = builders.agreement(cast.placement, signed=False)
    for person in (cast.student, cast.educator, cast.supervisor, cast.tutor):
        assert has(person, "Sign the learning agreement"), person
    LearningAgreement.objects.filter(pk=agreement.pk).update(status="signed")
    for person in (cast.student, cast.educator, cast.supervisor, cast.tutor):
        assert not has(person, "learning agreement"), person


def test_the_educator_sees_evidence_waiting_and_observations_without_feedback(cast):
    builders.evidence(cast.placement)
    assert has(cast.educator, "Accept or send back 1 evidence item from")
    observation = builders.observation(cast.placement)
    assert has(cast.educator, "Write feedback on 1 direct observation of")
    portfolio_services.observation_feedback_save(
        actor=cast.educator,
        evidence=observation,
        feedback={observation.mappings.first().domain: "Warm and clear."},
    )
    assert not has(cast.educator, "Write feedback")


def test_attendance_from_past_weeks_waits_for_the_supervisor_or_educator(cast):
    day = datetime.date.today() - datetime.timedelta(days=10)
    AttendanceDay.objects.create(placement=cast.placement, date=day, recorded_by=cast.student)
    for person in (cast.educator, cast.supervisor):
        assert has(person, "Confirm 1 day of attendance for"), person
    AttendanceDay.objects.update(confirmed_at=datetime.datetime.now(datetime.UTC))
    assert not has(cast.supervisor, "Confirm")


def test_an_educator_is_asked_what_they_owe_as_someone_elses_on_site_supervisor(cast):
    other = factories.PlacementFactory(supervisor=cast.educator)
    builders.agreement(other, signed=False)
    day = datetime.date.today() - datetime.timedelta(days=10)
    AttendanceDay.objects.create(placement=other, date=day, recorded_by=other.student)
    name = other.student.display_name
    assert has(cast.educator, f"Sign the learning agreement for {name}'s placement.")
    assert has(cast.educator, f"Confirm 1 day of attendance for {name} at")
    assert not has(cast.educator, f"Draft the learning agreement with {name}")


def test_a_midpoint_past_its_halfway_date_is_overdue(cast):
    move_dates(cast.placement, start_days_ago=60, length=100)
    (todo,) = [t for t in todos_for(user=cast.educator) if "midpoint" in t.text]
    assert todo.overdue
    assert "midpoint review was due on" in todo.text


def test_a_final_review_is_due_near_the_end_and_overdue_two_weeks_after(cast):
    services.review_acknowledge(
        actor=cast.student, review=builders.signed(cast.placement, builders.Kind.MIDPOINT)
    )
    move_dates(cast.placement, start_days_ago=90, length=100)
    (todo,) = [t for t in todos_for(user=cast.educator) if "final review" in t.text]
    assert (todo.overdue, "is due" in todo.text) == (False, True)
    move_dates(cast.placement, start_days_ago=120, length=100)
    (todo,) = [t for t in todos_for(user=cast.educator) if "final review" in t.text]
    assert todo.overdue


def test_a_concern_past_its_review_date_is_overdue_for_the_educator(cast):
    concern = services.concern_raise(
        actor=cast.educator,
        placement=cast.placement,
        description="Late records.",
        review_date=builders.days_ahead(7),
        targets={cast.placement.framework.domains.first(): "Records in 48 hours."},
    )
    assert not has(cast.educator, "Review the action plan")
    Concern.objects.filter(pk=concern.pk).update(review_date=builders.days_ago(1))
    (todo,) = [t for t in todos_for(user=cast.educator) if "action plan" in t.text]
    assert todo.overdue and todo.url == concern.get_absolute_url()


def test_the_tutor_countersigns_and_the_panel_reads_its_own_universitys_queue(cast):
    review = builders.acknowledged(cast.placement)
    (todo,) = [t for t in todos_for(user=cast.tutor) if "Countersign" in t.text]
    assert todo.url == reverse("assessments:review-countersign", kwargs={"pk": review.pk})
    services.review_countersign(actor=cast.tutor, review=review, confirmed=True)
    assert not has(cast.tutor, "Countersign")
    (todo,) = [t for t in todos_for(user=cast.panel) if "waiting for the panel" in t.text]
    assert todo.text.startswith("1 final report waiting for the panel")
    assert todo.url == reverse("assessments:panel-queue")
    stranger = factories.PanelMemberFactory()
    cast.other_placement.programme.university.members.add(stranger)
    assert not has(stranger, "final report")


def test_the_coordinator_chases_what_is_late_across_the_cohort(cast):
    move_dates(cast.placement, start_days_ago=60, length=100)
    (todo,) = todos_for(user=cast.coordinator)
    assert todo.text == "1 midpoint review overdue." and todo.overdue
    assert not todos_for(user=cast.other_coordinator)


@pytest.mark.parametrize("length", [100, 101])
@pytest.mark.parametrize("days_ago", [49, 50, 51, 52])
def test_the_coordinator_counts_a_midpoint_late_on_the_day_its_educator_is_told(
    cast, length, days_ago
):
    """The cohort's count is worked out in the database; the educator's item in Python."""
    move_dates(cast.placement, start_days_ago=days_ago, length=length)
    educator_told = any(
        t.overdue for t in todos_for(user=cast.educator) if "midpoint review" in t.text
    )
    counted = any("midpoint review overdue" in t for t in texts(cast.coordinator))
    assert counted == educator_told
    assert educator_told == (days_ago > length // 2)


def queries_for(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_educator_dashboard_asks_a_fixed_number_of_queries(client, cast):
    url = reverse("portfolios:dashboard-educator")
    builders.evidence(cast.placement)
    few = queries_for(client, cast.educator, url)
    for _ in range(3):
        placement = factories.PlacementFactory(educator=cast.educator)
        builders.evidence(placement)
        builders.observation(placement)
        AttendanceDay.objects.create(
            placement=placement, date=builders.days_ago(10), recorded_by=placement.student
        )
    assert queries_for(client, cast.educator, url) == few


def test_every_dashboard_shows_what_needs_you(client, cast):
    for user, name in [
        (cast.student, "dashboard-student"),
        (cast.educator, "dashboard-educator"),
        (cast.tutor, "dashboard-cohort"),
    ]:
        client.force_login(user)
        html = client.get(reverse(f"portfolios:{name}")).content.decode()
        assert "What needs you" in html, name
