"""A placement's reviews and concerns page, and starting a review from it."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Review
from tests.assessments import builders
from tests.assessments.pages import PEOPLE, STRANGERS, goes_to_login, messages_on, text_of


def reviews_url(placement) -> str:
    return reverse("assessments:placement-reviews", kwargs={"pk": placement.pk})


def start_url(placement) -> str:
    return reverse("assessments:review-start", kwargs={"pk": placement.pk})


def test_the_educator_can_start_either_review(client, cast):
    client.force_login(cast.educator)
    page = text_of(client.get(reviews_url(cast.placement)))
    assert "Start the midpoint review" in page
    assert "Start the final review" in page


def test_the_educator_starts_a_review_and_lands_on_it(client, cast):
    client.force_login(cast.educator)
    response = client.post(start_url(cast.placement), {"kind": "midpoint"})
    review = Review.objects.get()
    assert response.url == review.get_absolute_url()
    assert review.judgements.count() == 9


def test_starting_the_same_kind_twice_says_so(client, cast):
    builders.start(cast.placement, Review.Kind.MIDPOINT)
    client.force_login(cast.educator)
    response = client.post(start_url(cast.placement), {"kind": "midpoint"}, follow=True)
    assert response.redirect_chain[-1][0] == reviews_url(cast.placement)
    assert any("already has a midpoint review" in m for m in messages_on(response))
    assert Review.objects.count() == 1


def test_an_unknown_kind_is_refused_with_a_message(client, cast):
    client.force_login(cast.educator)
    response = client.post(start_url(cast.placement), {"kind": "annual"}, follow=True)
    assert "Choose a midpoint or a final review." in messages_on(response)
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "panel", "student"])
def test_no_one_else_starts_a_review(client, cast, who):
    client.force_login(getattr(cast, who))
    assert "Start the" not in text_of(client.get(reviews_url(cast.placement)))
    response = client.post(start_url(cast.placement), {"kind": "final"}, follow=True)
    assert any("can write or sign this review" in m for m in messages_on(response))
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_not_found(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reviews_url(cast.placement)).status_code == 404
    assert client.post(start_url(cast.placement), {"kind": "final"}).status_code == 404
    assert not Review.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, cast):
    assert goes_to_login(client.get(reviews_url(cast.placement)))
    assert goes_to_login(client.post(start_url(cast.placement), {"kind": "final"}))
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", PEOPLE)
def test_the_placements_people_see_a_draft_listed(client, cast, who):
    review = builders.start(cast.placement)
    client.force_login(getattr(cast, who))
    assert review.get_absolute_url() in client.get(reviews_url(cast.placement)).content.decode()


def test_the_student_sees_a_review_listed_only_once_signed(client, cast):
    review = builders.ready(cast.placement)
    client.force_login(cast.student)
    assert review.get_absolute_url() not in client.get(reviews_url(cast.placement)).content.decode()
    services.review_sign(actor=cast.educator, review=review)
    assert review.get_absolute_url() in client.get(reviews_url(cast.placement)).content.decode()
