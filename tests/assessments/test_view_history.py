"""The history of judgement changes: who changed which grade and narrative, when. For the
educator and the tutor only."""

import pytest

from tests.assessments import builders
from tests.assessments.pages import STRANGERS, goes_to_login, text_of, url


@pytest.fixture
def review(cast, client):
    """A draft whose first domain the educator graded twice through the page."""
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    page = url("judgement-edit", review, order=1)
    client.post(page, {"grade": builders.grade(cast.placement, 2).pk, "narrative": "Early days."})
    client.post(page, {"grade": builders.grade(cast.placement, 3).pk, "narrative": "Now steady."})
    client.logout()
    return review


@pytest.mark.parametrize("who", ["educator", "tutor"])
def test_the_educator_and_tutor_see_who_changed_a_judgement(client, cast, review, who):
    client.force_login(getattr(cast, who))
    response = client.get(url("review-history", review))
    assert response.status_code == 200
    rows = [
        (r.history_user, d.name, g.label if g else None) for r, d, g in response.context["rows"]
    ]
    assert rows == [
        (cast.educator, "Domain 1", "Meets the level"),
        (cast.educator, "Domain 1", "Emerging"),
    ]
    page = text_of(response)
    assert cast.educator.display_name in page
    assert "Now steady." in page
    assert "Early days." in page


def test_the_review_page_links_to_the_history_for_the_tutor(client, cast, review):
    client.force_login(cast.tutor)
    assert url("review-history", review) in client.get(review.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["supervisor", "coordinator", "panel"])
def test_others_on_the_placement_are_forbidden(client, cast, review, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("review-history", review)).status_code == 403
    page = client.get(review.get_absolute_url()).content.decode()
    assert url("review-history", review) not in page


def test_the_student_is_forbidden_even_once_signed(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.student)
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(url("review-history", review)).status_code == 403


def test_the_student_gets_not_found_on_a_drafts_history(client, cast, review):
    client.force_login(cast.student)
    assert client.get(url("review-history", review)).status_code == 404


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_not_found(client, cast, review, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("review-history", review)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, review):
    assert goes_to_login(client.get(url("review-history", review)))
