"""The self-assessment page: the student writes, saves and submits it; the placement's other
people read it once submitted; strangers get 404."""

import pytest
from django.urls import reverse

from assessments.models import Review, SelfAssessment
from tests.assessments import builders
from tests.assessments.pages import PEOPLE, STRANGERS, goes_to_login, messages_on, text_of
from tests.assessments.test_self_assessment import mark_signed, save, submitted


def page_url(placement, kind="midpoint") -> str:
    return reverse("assessments:self-assessment", kwargs={"pk": placement.pk, "kind": kind})


def form_data(placement, value=3, narrative="I showed it on a home visit.", **extra) -> dict:
    grade = builders.grade(placement, value)
    data = {}
    for domain in placement.framework.domains.all():
        data[f"grade_{domain.pk}"] = grade.pk
        data[f"narrative_{domain.pk}"] = narrative
    return {**data, **extra}


def test_the_student_sees_a_form_with_every_domain_and_the_scale(client, cast):
    client.force_login(cast.student)
    page = text_of(client.get(page_url(cast.placement)))

    assert "Your self-assessment before the midpoint review" in page
    for domain in cast.placement.framework.domains.all():
        assert f"{domain.order}. {domain.name}" in page
    for grade in cast.placement.grading_scale.grades.all():
        assert grade.label in page
    assert "Save draft" in page
    assert "Submit" in page


def test_the_student_saves_a_draft(client, cast):
    client.force_login(cast.student)
    response = client.post(page_url(cast.placement), form_data(cast.placement), follow=True)

    record = SelfAssessment.objects.get()
    assert record.status == SelfAssessment.Status.DRAFT
    assert record.ratings.count() == 9
    assert "Your draft is saved. Only you can see it until you submit it." in messages_on(response)


def test_the_student_submits_and_then_reads_it_without_a_form(client, cast):
    client.force_login(cast.student)
    response = client.post(
        page_url(cast.placement, "final"), form_data(cast.placement, submit="1"), follow=True
    )

    record = SelfAssessment.objects.get()
    assert (record.kind, record.status) == ("final", SelfAssessment.Status.SUBMITTED)
    page = text_of(response)
    assert "Submitted" in page
    assert "Save draft" not in page
    assert "I showed it on a home visit." in page


def test_submitting_with_gaps_keeps_the_draft_and_says_what_is_missing(client, cast):
    placement = cast.placement
    first = placement.framework.domains.get(order=1)
    client.force_login(cast.student)
    data = form_data(placement, submit="1", **{f"grade_{first.pk}": ""})

    response = client.post(page_url(placement), data)

    assert response.status_code == 200
    page = text_of(response)
    assert f"Still to do (1 domain): 1. {first.name}." in page
    assert "Choose a rating before submitting." in page
    assert SelfAssessment.objects.get().status == SelfAssessment.Status.DRAFT


def test_a_narrative_too_long_is_explained_beside_it(client, cast):
    client.force_login(cast.student)
    response = client.post(page_url(cast.placement), form_data(cast.placement, "3", "w " * 301))

    assert "Please keep this to 300 words or fewer; it has 301." in text_of(response)
    assert not SelfAssessment.objects.exists()


def test_a_grade_from_another_scale_is_explained_not_a_crash(client, cast):
    client.force_login(cast.student)
    first = cast.placement.framework.domains.get(order=1)
    data = form_data(cast.placement, **{f"grade_{first.pk}": "999999999999999999999"})

    response = client.post(page_url(cast.placement), data)

    assert response.status_code == 200
    assert "That rating is not on this placement's grading scale." in text_of(response)
    assert not SelfAssessment.objects.exists()


def test_once_the_review_is_signed_the_student_is_told_and_nothing_changes(client, cast):
    save(cast.placement)
    mark_signed(builders.start(cast.placement, Review.Kind.MIDPOINT))
    client.force_login(cast.student)

    page = text_of(client.get(page_url(cast.placement)))
    assert "has already been signed" in page
    assert "Save draft" not in page

    response = client.post(page_url(cast.placement), form_data(cast.placement, 1), follow=True)
    assert any("already been signed" in m for m in messages_on(response))
    assert {r.grade.value for r in SelfAssessment.objects.get().ratings.all()} == {3}


@pytest.mark.parametrize("who", PEOPLE)
def test_the_placements_people_read_a_submitted_self_assessment(client, cast, who):
    submitted(cast.placement)
    client.force_login(getattr(cast, who))

    page = text_of(client.get(page_url(cast.placement)))

    assert f"{cast.student.display_name}’s self-assessment before the midpoint review" in page
    assert "I showed it on a home visit." in page
    assert "Save draft" not in page


@pytest.mark.parametrize("who", PEOPLE)
def test_the_placements_people_do_not_see_a_draft(client, cast, who):
    save(cast.placement)
    client.force_login(getattr(cast, who))

    page = text_of(client.get(page_url(cast.placement)))

    assert "has not submitted a self-assessment before the midpoint review yet" in page
    assert "I showed it on a home visit." not in page


@pytest.mark.parametrize("who", PEOPLE)
def test_no_one_else_can_write_it(client, cast, who):
    client.force_login(getattr(cast, who))

    response = client.post(page_url(cast.placement), form_data(cast.placement))

    assert response.status_code == 403
    assert not SelfAssessment.objects.exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_not_found(client, cast, who):
    submitted(cast.placement)
    client.force_login(getattr(cast, who))

    assert client.get(page_url(cast.placement)).status_code == 404
    assert client.post(page_url(cast.placement), form_data(cast.placement)).status_code == 404


def test_an_unknown_review_kind_is_not_found(client, cast):
    client.force_login(cast.student)
    assert client.get(page_url(cast.placement, "annual")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, cast):
    assert goes_to_login(client.get(page_url(cast.placement)))
    assert goes_to_login(client.post(page_url(cast.placement), form_data(cast.placement)))
    assert not SelfAssessment.objects.exists()


# --- The link from the Reviews page -----------------------------------------------------------


def reviews_page(client, user, placement) -> str:
    client.force_login(user)
    return client.get(reverse("assessments:placement-reviews", kwargs={"pk": placement.pk}))


def test_the_student_is_invited_to_assess_themselves_before_each_review(client, cast):
    response = reviews_page(client, cast.student, cast.placement)

    page = text_of(response)
    assert "Assess yourself before the midpoint review" in page
    assert "Assess yourself before the final review" in page
    assert page_url(cast.placement, "final") in response.content.decode()


def test_the_invitation_goes_once_the_review_is_signed(client, cast):
    mark_signed(builders.start(cast.placement, Review.Kind.MIDPOINT))

    page = text_of(reviews_page(client, cast.student, cast.placement))

    assert "Assess yourself before the midpoint review" not in page
    assert "Assess yourself before the final review" in page


@pytest.mark.parametrize("who", PEOPLE)
def test_the_placements_people_see_whether_it_was_submitted(client, cast, who):
    submitted(cast.placement)

    page = text_of(reviews_page(client, getattr(cast, who), cast.placement))

    assert "Self-assessment before the midpoint review Submitted" in page
    assert "Self-assessment before the final review Not submitted" in page
    assert "Assess yourself" not in page
