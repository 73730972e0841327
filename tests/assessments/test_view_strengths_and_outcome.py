"""The strengths-and-suitability page and the recommendation page: the educator's alone."""

import pytest

from assessments import services
from assessments.models import Review, Strength, Suitability
from tests import factories
from tests.assessments import builders
from tests.assessments.pages import STRANGERS, goes_to_login, messages_on, text_of, url


@pytest.fixture
def review(cast):
    return builders.start(cast.placement)


@pytest.fixture
def area(db):
    return factories.PracticeAreaFactory(code="community", name="Community work")


@pytest.fixture
def educator(client, cast):
    client.force_login(cast.educator)
    return client


# --- Strengths and suitability ----------------------------------------------------------------


def test_the_educator_adds_a_strength_with_domains(educator, cast, review):
    domain = cast.placement.framework.domains.get(order=2)
    response = educator.post(
        url("strengths-suitability", review),
        {"add_strength": "1", "text": "Gathers and writes up assessments.", "domains": [domain.pk]},
        follow=True,
    )
    assert "Saved." in messages_on(response)
    strength = Strength.objects.get()
    assert strength.text == "Gathers and writes up assessments."
    assert list(strength.domains.all()) == [domain]
    assert "Gathers and writes up assessments." in text_of(response)


def test_the_educator_rates_an_area_of_practice(educator, review, area):
    response = educator.post(
        url("strengths-suitability", review),
        {
            "save_suitability": "1",
            "practice_area": area.pk,
            "rating": "with_support",
            "rationale": "Good with groups.",
        },
        follow=True,
    )
    assert "Saved." in messages_on(response)
    row = Suitability.objects.get()
    assert (row.practice_area, row.rating, row.rationale) == (
        area,
        "with_support",
        "Good with groups.",
    )


def test_a_rating_without_a_rationale_is_shown_beside_the_field(educator, review, area):
    response = educator.post(
        url("strengths-suitability", review),
        {"save_suitability": "1", "practice_area": area.pk, "rating": "well_suited"},
    )
    assert response.status_code == 200
    form = response.context["suitability_form"]
    assert form.errors["rationale"] == [
        "Please give the reasons for this rating, drawn from what you saw."
    ]
    assert not Suitability.objects.exists()


def test_the_educator_removes_a_strength_and_a_rating(educator, cast, review, area):
    strength = services.strength_add(actor=cast.educator, review=review, text="Kind.")
    row = services.suitability_save(
        actor=cast.educator, review=review, practice_area=area, rating="not_observed", rationale=""
    )
    educator.post(url("strength-remove", strength))
    educator.post(url("suitability-remove", row))
    assert not Strength.objects.exists()
    assert not Suitability.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "panel"])
def test_no_one_else_records_strengths_or_suitability(client, cast, review, area, who):
    client.force_login(getattr(cast, who))
    page = url("strengths-suitability", review)
    assert client.get(page).status_code == 403
    response = client.post(page, {"add_strength": "1", "text": "Sneaky."})
    assert response.status_code == 403
    assert not Strength.objects.exists()


def test_others_cannot_remove_a_strength(client, cast, review):
    strength = services.strength_add(actor=cast.educator, review=review, text="Kind.")
    client.force_login(cast.supervisor)
    response = client.post(url("strength-remove", strength), follow=True)
    assert "Only the practice educator can write or sign this review." in messages_on(response)
    assert Strength.objects.count() == 1
    client.force_login(cast.other_educator)
    assert client.post(url("strength-remove", strength)).status_code == 404
    assert Strength.objects.count() == 1


@pytest.mark.parametrize("who", ["student", *STRANGERS])
def test_the_student_and_strangers_get_not_found(client, cast, review, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("strengths-suitability", review)).status_code == 404
    assert client.get(url("review-outcome", review)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, review):
    assert goes_to_login(client.get(url("strengths-suitability", review)))
    assert goes_to_login(client.get(url("review-outcome", review)))


# --- The recommendation -----------------------------------------------------------------------


def test_the_educator_writes_the_recommendation(educator, cast, review):
    domains = list(cast.placement.framework.domains.all())[:2]
    response = educator.post(
        url("review-outcome", review),
        {
            "summary": "A careful student.",
            "recommendation": "defer",
            "recommendation_justification": "Needs more time.",
            "recommendation_domains": [d.pk for d in domains],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == review.get_absolute_url()
    review = builders.fresh(review)
    assert (review.summary, review.recommendation) == ("A careful student.", "defer")
    assert list(review.recommendation_domains.all()) == domains
    assert "Rests on: Domain 1, Domain 2" in text_of(response)


def test_the_midpoint_page_asks_whether_the_student_is_on_track_not_for_a_recommendation(
    educator, cast
):
    midpoint = builders.start(cast.placement, Review.Kind.MIDPOINT)
    response = educator.get(url("review-outcome", midpoint))
    assert set(response.context["form"].fields) == {
        "summary",
        "midpoint_outcome",
        "no_concern_reason",
    }
    educator.post(
        url("review-outcome", midpoint),
        {"midpoint_outcome": "concerns", "no_concern_reason": "New to the team; on course."},
    )
    midpoint = builders.fresh(midpoint)
    assert (midpoint.midpoint_outcome, midpoint.no_concern_reason) == (
        "concerns",
        "New to the team; on course.",
    )


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "panel"])
def test_no_one_else_writes_the_recommendation(client, cast, review, who):
    client.force_login(getattr(cast, who))
    page = url("review-outcome", review)
    assert client.get(page).status_code == 403
    assert client.post(page, {"recommendation": "pass"}).status_code == 403
    assert builders.fresh(review).recommendation == ""
