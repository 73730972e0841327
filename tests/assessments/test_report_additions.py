"""What the report adds beside the educator's judgement: the student's self-assessment with the
points to discuss, the learning agreement, and the attendance log with any days short. Built on
a draft final review, so these tests do not depend on the sign-off rules."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Review
from assessments.report.data import report_data_for
from assessments.report.pdf import render_pdf
from assessments.services.self_assessment import self_assessment_save, self_assessment_submit
from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    LearningAgreement,
    LearningGoal,
    Placement,
)
from tests.assessments import builders
from tests.assessments.pages import text_of
from tests.assessments.test_report_data import pdf_pages

FINAL = Review.Kind.FINAL
MIDPOINT = Review.Kind.MIDPOINT


def self_assess(placement, kind, values: dict[int, int], narrative="I showed it on a visit."):
    """The student rates every domain (3 unless `values` says otherwise) and submits."""
    ratings = {
        d: (builders.grade(placement, values.get(d.order, 3)), f"{narrative} ({d.order})")
        for d in placement.framework.domains.all()
    }
    record = self_assessment_save(
        actor=placement.student, placement=placement, kind=kind, ratings=ratings
    )
    return self_assessment_submit(actor=placement.student, self_assessment=record)


def signed_agreement(cast) -> LearningAgreement:
    placement = cast.placement
    now = timezone.now()
    agreement = LearningAgreement.objects.create(
        placement=placement,
        status=LearningAgreement.Status.SIGNED,
        supervision_frequency="Fortnightly",
        supervision_length="90 minutes",
        created_by=cast.educator,
        signed_at=now,
    )
    LearningGoal.objects.create(
        agreement=agreement,
        domain=placement.framework.domains.get(order=2),
        text="Explain consent and capacity to an older person in plain words.",
    )
    for role, user in [
        (AgreementSignature.Role.STUDENT, cast.student),
        (AgreementSignature.Role.EDUCATOR, cast.educator),
        (AgreementSignature.Role.TUTOR, cast.tutor),
    ]:
        AgreementSignature.objects.create(agreement=agreement, role=role, user=user, signed_at=now)
    return agreement


def attendance(placement, recorder, days: list[tuple[str, str]]) -> None:
    """Confirmed days in the log, and days completed counted from them as the service does."""
    start = placement.start_date
    for n, (kind, portion) in enumerate(days):
        AttendanceDay.objects.create(
            placement=placement,
            date=start + datetime.timedelta(days=n),
            kind=kind,
            portion=portion,
            absence_reason="Unwell" if kind == AttendanceDay.Kind.ABSENCE else "",
            recorded_by=placement.student,
            confirmed_by=recorder,
            confirmed_at=timezone.now(),
        )
    counted = sum(
        Decimal(1) if portion == "full" else Decimal("0.5")
        for kind, portion in days
        if kind in AttendanceDay.COUNTED_KINDS
    )
    Placement.objects.filter(pk=placement.pk).update(days_completed=counted)


def draft_final(placement, value: int = 3) -> Review:
    review = builders.start(placement, FINAL)
    builders.grade_all(review, value=value)
    return services.review_outcome_save(
        actor=placement.educator,
        review=review,
        recommendation=Review.Recommendation.PASS,
        recommendation_justification="Meets the level.",
    )


@pytest.fixture
def placement(cast):
    return cast.placement


# --- The student's self-assessment -------------------------------------------------------------


def test_each_domain_carries_the_students_own_rating_and_narrative(placement):
    self_assess(placement, FINAL, {1: 1, 2: 4})
    data = report_data_for(draft_final(placement))

    first, second, third = data.domains[:3]
    assert (first.self_view.grade, first.self_view.to_discuss) == ("Not yet demonstrated", True)
    assert (second.self_view.grade, second.self_view.to_discuss) == ("Exceeds", False)
    assert third.self_view.narrative == "I showed it on a visit. (3)"
    assert data.final_self_assessed
    assert data.points_to_discuss == [f"1. {first.name}"]


def test_a_draft_self_assessment_is_not_reported(placement):
    self_assessment_save(
        actor=placement.student,
        placement=placement,
        kind=FINAL,
        ratings={placement.framework.domains.get(order=1): (None, "Not ready.")},
    )
    data = report_data_for(draft_final(placement))

    assert not data.final_self_assessed
    assert all(d.self_view is None for d in data.domains)


def test_the_midpoint_rows_carry_the_midpoint_self_assessment(placement):
    self_assess(placement, MIDPOINT, {4: 1})
    midpoint = builders.start(placement, MIDPOINT)
    builders.grade_all(midpoint, value=3)
    # The midpoint only reaches the report once signed; the rules are tested elsewhere.
    Review.objects.filter(pk=midpoint.pk).update(status=Review.Status.SIGNED)
    final = Review.objects.create(placement=placement, kind=FINAL)

    data = report_data_for(final)

    fourth = data.midpoint_grades[3]
    assert (fourth.grade, fourth.self_view.grade, fourth.self_view.to_discuss) == (
        "Meets the level",
        "Not yet demonstrated",
        True,
    )
    assert data.midpoint_self_assessed
    assert not data.final_self_assessed


# --- Learning agreement and attendance --------------------------------------------------------


def test_the_signed_learning_agreement_is_summarised(cast, placement):
    signed_agreement(cast)
    agreement = report_data_for(draft_final(placement)).agreement

    assert (agreement.supervision_frequency, agreement.supervision_length) == (
        "Fortnightly",
        "90 minutes",
    )
    assert (
        agreement.goals[0][1] == "Explain consent and capacity to an older person in plain words."
    )
    assert [(s.role, s.name) for s in agreement.signatures] == [
        ("Student", cast.student.display_name),
        ("Practice educator", cast.educator.display_name),
        ("Tutor", cast.tutor.display_name),
    ]


def test_an_unsigned_learning_agreement_is_not_summarised(cast, placement):
    LearningAgreement.objects.create(placement=placement, created_by=cast.educator)

    assert report_data_for(draft_final(placement)).agreement is None


def test_attendance_counts_confirmed_days_by_kind_with_half_days(cast, placement):
    P, S, A = AttendanceDay.Kind.PLACEMENT, AttendanceDay.Kind.STUDY, AttendanceDay.Kind.ABSENCE
    attendance(placement, cast.educator, [(P, "full"), (P, "half"), (S, "full"), (A, "full")])
    AttendanceDay.objects.create(
        placement=placement,
        date=placement.start_date + datetime.timedelta(days=30),
        recorded_by=cast.student,
    )  # not confirmed: not counted
    data = report_data_for(draft_final(placement))

    assert data.attendance == [
        ("Placement days", Decimal("1.5")),
        ("Study days", Decimal("1")),
        ("Days absent", Decimal("1")),
    ]
    assert data.days_completed_text == "2.5"
    assert data.days_short == data.required_days - Decimal("2.5")


def test_it_gathers_the_additions_in_a_fixed_number_of_queries(cast, placement):
    review = draft_final(placement)
    with CaptureQueriesContext(connection) as bare:
        report_data_for(review)
    signed_agreement(cast)
    self_assess(placement, FINAL, {})
    attendance(placement, cast.educator, [(AttendanceDay.Kind.PLACEMENT, "full")])
    with CaptureQueriesContext(connection) as full:
        report_data_for(review)

    # Two more for a signed agreement's goals and signatures; nothing per row.
    assert len(full) == len(bare) + 2


# --- In the PDF and the accessible page ----------------------------------------------------


@pytest.fixture
def full_data(cast, placement):
    signed_agreement(cast)
    self_assess(placement, FINAL, {1: 1})
    P = AttendanceDay.Kind.PLACEMENT
    attendance(placement, cast.educator, [(P, "full")] * 34 + [(P, "half")])
    return report_data_for(draft_final(placement))


def test_the_pdf_prints_the_self_assessment_agreement_and_attendance(full_data):
    text = " ".join(pdf_pages(render_pdf(full_data)))

    assert "The student's own rating before the final review: Not yet demonstrated" in text
    assert "A point to discuss: two or more steps from the grade above." in text
    assert "I showed it on a visit. (1)" in text
    assert "Learning agreement" in text
    assert "Fortnightly, 90 minutes" in text
    assert "Explain consent and capacity to an older person in plain words." in text
    assert f"34.5 of {full_data.required_days} required" in text
    assert "Placement days 34.5" in text


def test_the_pdf_shows_days_short_on_the_cover_near_the_recommendation(full_data):
    cover = pdf_pages(render_pdf(full_data))[0]
    short = full_data.required_days - Decimal("34.5")

    assert f"Recommendation Pass Days short of the requirement: {short.normalize():f}" in cover


def test_no_days_short_line_when_the_days_are_complete(cast, placement):
    Placement.objects.filter(pk=placement.pk).update(days_completed=placement.required_days)
    text = " ".join(pdf_pages(render_pdf(report_data_for(draft_final(placement)))))

    assert "Days short" not in text
    assert "No signed learning agreement." in text
    assert "The student did not submit a self-assessment before the final review." in text


def test_the_accessible_report_shows_the_same_additions(client, cast, full_data, placement):
    review = placement.reviews.get(kind=FINAL)
    client.force_login(cast.educator)
    page = text_of(client.get(reverse("assessments:review-report-html", kwargs={"pk": review.pk})))

    assert "Days short of the requirement" in page
    assert "The student’s own rating: Not yet demonstrated" in page
    assert "A point to discuss" in page
    assert "Fortnightly, 90 minutes" in page
    assert "Placement days 34.5" in page
