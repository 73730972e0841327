"""The sign-off pages and buttons: sign, acknowledge, countersign, ratify, return, amend. Each
takes its step for the right person and state, and otherwise says why and changes nothing."""

import pytest

from assessments.models import Review, SignedReport
from portfolios.models import Placement
from tests import factories
from tests.assessments import builders
from tests.assessments.pages import STRANGERS, goes_to_login, messages_on, text_of, url

Status = Review.Status


def status_of(review) -> str:
    return builders.fresh(review).status


# --- Sign -------------------------------------------------------------------------------------


def test_the_educator_signs_from_the_sign_page(client, cast):
    review = builders.ready(cast.placement)
    client.force_login(cast.educator)
    assert client.get(url("review-sign", review)).status_code == 200
    response = client.post(url("review-sign", review), follow=True)
    assert response.redirect_chain[-1][0] == review.get_absolute_url()
    assert "Signed. The review is now locked." in messages_on(response)
    assert status_of(review) == Status.SIGNED


def test_the_sign_page_lists_what_stands_in_the_way(client, cast):
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    response = client.get(url("review-sign", review))
    page = text_of(response)
    assert "Before you can sign" in page
    assert "Every domain needs a grade. Not yet graded: Domain 1," in page
    assert b"Sign the final review</button>" not in response.content


def test_the_sign_page_shows_warnings_apart_and_they_do_not_stop_signing(client, cast):
    review = builders.ready(cast.placement)
    client.force_login(cast.educator)
    response = client.get(url("review-sign", review))
    page = text_of(response)
    assert "Every rule for signing is met" in page
    assert "Worth a second look (these do not stop you signing)" in page
    assert "rest on a single evidence item" in page
    assert b"Sign the final review</button>" in response.content
    client.post(url("review-sign", review))
    assert status_of(review) == Status.SIGNED


def test_signing_twice_from_two_tabs_records_one_signature(client, cast):
    review = builders.ready(cast.placement)
    client.force_login(cast.educator)
    client.post(url("review-sign", review))
    response = client.post(url("review-sign", review))
    assert "This review is already signed by the educator; nothing was changed." in messages_on(
        response
    )
    assert SignedReport.objects.filter(review=review).count() == 1


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "panel"])
def test_no_one_else_signs(client, cast, who):
    review = builders.ready(cast.placement)
    client.force_login(getattr(cast, who))
    assert client.get(url("review-sign", review)).status_code == 403
    assert client.post(url("review-sign", review)).status_code == 403
    assert status_of(review) == Status.DRAFT


@pytest.mark.parametrize("who", ["student", *STRANGERS])
def test_the_student_and_strangers_get_not_found_on_a_draft(client, cast, who):
    review = builders.ready(cast.placement)
    client.force_login(getattr(cast, who))
    assert client.post(url("review-sign", review)).status_code == 404
    assert status_of(review) == Status.DRAFT


def test_an_anonymous_visitor_cannot_sign(client, cast):
    review = builders.ready(cast.placement)
    assert goes_to_login(client.post(url("review-sign", review)))
    assert status_of(review) == Status.DRAFT


# --- Acknowledge ------------------------------------------------------------------------------


def test_the_student_acknowledges_with_a_comment(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.student)
    assert client.get(url("review-acknowledge", review)).status_code == 200
    response = client.post(
        url("review-acknowledge", review), {"comment": "I disagree on domain 4."}, follow=True
    )
    assert "Thank you: your acknowledgement is recorded." in messages_on(response)
    assert "I disagree on domain 4." in text_of(response)
    review = builders.fresh(review)
    assert (review.status, review.student_comment) == (
        Status.ACKNOWLEDGED,
        "I disagree on domain 4.",
    )


def test_the_student_acknowledges_the_midpoint_from_its_page(client, cast):
    review = builders.signed(cast.placement, Review.Kind.MIDPOINT)
    client.force_login(cast.student)
    assert (
        url("review-acknowledge", review) in client.get(review.get_absolute_url()).content.decode()
    )
    response = client.post(url("review-acknowledge", review), {"comment": "Fair."}, follow=True)
    assert "Thank you: your acknowledgement is recorded." in messages_on(response)
    assert status_of(review) == Status.ACKNOWLEDGED
    cast.placement.refresh_from_db()
    assert cast.placement.status == Placement.Status.ACTIVE


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor"])
def test_no_one_else_acknowledges(client, cast, who):
    review = builders.signed(cast.placement)
    client.force_login(getattr(cast, who))
    assert client.get(url("review-acknowledge", review)).status_code == 403
    response = client.post(url("review-acknowledge", review), {"comment": "x"}, follow=True)
    assert "Only the student acknowledges their review." in messages_on(response)
    assert status_of(review) == Status.SIGNED


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_acknowledge(client, cast, who):
    review = builders.signed(cast.placement)
    client.force_login(getattr(cast, who))
    assert client.post(url("review-acknowledge", review), {"comment": "x"}).status_code == 404
    assert status_of(review) == Status.SIGNED


# --- Countersign, ratify, return --------------------------------------------------------------


def test_the_tutor_countersigns_with_a_comment_after_confirming(client, cast):
    review = builders.acknowledged(cast.placement)
    client.force_login(cast.tutor)
    assert "Read the summary and countersign" in text_of(client.get(review.get_absolute_url()))
    page = text_of(client.get(url("review-countersign", review)))
    assert "I have read this report and countersign it" in page
    assert "Up to 2,000 characters." in page
    response = client.post(
        url("review-countersign", review),
        {"comment": "  A careful, fair report.  ", "confirmed": "on"},
        follow=True,
    )
    assert "Countersigned. The report goes to the panel." in messages_on(response)
    review = builders.fresh(review)
    assert review.status == Status.COUNTERSIGNED
    assert review.countersign_comment == "A careful, fair report."
    assert "A careful, fair report." in text_of(client.get(review.get_absolute_url()))


def test_countersigning_without_the_confirmation_is_refused_beside_the_box(client, cast):
    review = builders.acknowledged(cast.placement)
    client.force_login(cast.tutor)
    response = client.post(url("review-countersign", review), {"comment": "Kept."})
    assert response.status_code == 200
    page = text_of(response)
    assert "Please tick the box to confirm you have read the report" in page
    assert 'aria-describedby="id_confirmed_error"' in response.content.decode()
    assert "Kept.</textarea>" in response.content.decode()
    assert status_of(review) == Status.ACKNOWLEDGED


def test_the_tutor_is_told_to_wait_for_the_student(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.tutor)
    assert "countersign" not in text_of(client.get(review.get_absolute_url())).lower().replace(
        "countersignature", ""
    )
    response = client.post(url("review-countersign", review), {"confirmed": "on"}, follow=True)
    assert messages_on(response) == [
        "This review is not waiting for your countersignature: it is signed by the educator."
    ]
    assert status_of(review) == Status.SIGNED


@pytest.mark.parametrize("who", ["student", "educator", "supervisor", "coordinator", "panel"])
def test_no_one_else_countersigns(client, cast, who):
    review = builders.acknowledged(cast.placement)
    client.force_login(getattr(cast, who))
    response = client.post(url("review-countersign", review), {"confirmed": "on"})
    assert response.status_code == 403
    assert status_of(review) == Status.ACKNOWLEDGED


def test_the_panel_ratifies_at_a_meeting_with_a_note(client, cast):
    review = builders.countersigned(cast.placement)
    meeting = builders.meeting(cast.placement, cast.panel)
    client.force_login(cast.panel)
    assert "Ratify" in text_of(client.get(review.get_absolute_url()))
    response = client.post(
        url("review-ratify", review),
        {"meeting": meeting.pk, "note": "A model report."},
        follow=True,
    )
    assert "Ratified." in messages_on(response)
    review = builders.fresh(review)
    assert (review.status, review.panel_note, review.panel_meeting) == (
        Status.RATIFIED,
        "A model report.",
        meeting,
    )


def test_ratifying_needs_a_meeting_the_member_attended(client, cast):
    review = builders.countersigned(cast.placement)
    other = factories.PanelMemberFactory()
    cast.university.members.add(other)
    meeting = builders.meeting(cast.placement, other)
    client.force_login(cast.panel)
    response = client.post(url("review-ratify", review), {"meeting": meeting.pk, "note": "Kept"})
    assert response.status_code == 200
    assert "Choose a panel meeting of this placement's university that you attended." in (
        text_of(response)
    )
    assert "Kept</textarea>" in response.content.decode()
    assert status_of(review) == Status.COUNTERSIGNED


def test_the_coordinator_cannot_ratify(client, cast):
    review = builders.countersigned(cast.placement)
    client.force_login(cast.coordinator)
    assert client.post(url("review-ratify", review)).status_code == 403
    assert status_of(review) == Status.COUNTERSIGNED


def test_another_universitys_panel_gets_not_found(client, cast):
    review = builders.countersigned(cast.placement)
    member = factories.PanelMemberFactory()
    cast.other_placement.programme.university.members.add(member)
    client.force_login(member)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.get(url("review-ratify", review)).status_code == 404
    assert client.post(url("review-ratify", review)).status_code == 404
    assert client.post(url("review-return", review), {"reason": "x"}).status_code == 404
    assert status_of(review) == Status.COUNTERSIGNED


def test_the_panel_returns_it_with_a_reason_and_lands_on_the_new_version(client, cast):
    review = builders.countersigned(cast.placement)
    meeting = builders.meeting(cast.placement, cast.panel)
    client.force_login(cast.panel)
    response = client.post(
        url("review-return", review),
        {"meeting": meeting.pk, "reason": "More on domain 3."},
        follow=True,
    )
    new = Review.objects.get(previous=review)
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    assert "Returned to the educator; a new version is open for them." in messages_on(response)
    assert status_of(review) == Status.RETURNED
    assert builders.fresh(review).panel_meeting == meeting
    assert new.status == Status.DRAFT


def test_returning_without_a_reason_is_refused_beside_the_field(client, cast):
    review = builders.countersigned(cast.placement)
    meeting = builders.meeting(cast.placement, cast.panel)
    client.force_login(cast.panel)
    response = client.post(url("review-return", review), {"meeting": meeting.pk, "reason": ""})
    assert response.status_code == 200
    assert "Please say what the panel needs" in text_of(response)
    assert status_of(review) == Status.COUNTERSIGNED
    assert Review.objects.filter(kind=Review.Kind.FINAL).count() == 1


@pytest.mark.parametrize("name", ["review-countersign", "review-ratify", "review-return"])
def test_an_anonymous_visitor_cannot_take_a_step(client, cast, name):
    review = builders.countersigned(cast.placement)
    assert goes_to_login(client.post(url(name, review), {"reason": "x"}))
    assert status_of(review) == Status.COUNTERSIGNED


# --- Amend ------------------------------------------------------------------------------------


def test_the_educator_amends_and_both_versions_are_listed(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.educator)
    response = client.post(url("review-amend", review), {"reason": "Wrong grade."}, follow=True)
    new = Review.objects.get(previous=review)
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    page = text_of(response)
    assert "Version 2. Wrong grade." in page
    assert "Version 1 : Replaced by an amendment" in page
    assert status_of(review) == Status.SUPERSEDED
    old_page = client.get(review.get_absolute_url())
    assert old_page.status_code == 200
    assert " ".join(builders.narrative("Domain 1").split()[:20]) in text_of(old_page)
    cast.placement.refresh_from_db()
    assert cast.placement.status == Placement.Status.ACTIVE


def test_the_student_still_reads_the_signed_version_after_an_amendment(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.educator)
    client.post(url("review-amend", review), {"reason": "Wrong grade."})
    new = Review.objects.get(previous=review)
    client.force_login(cast.student)
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(new.get_absolute_url()).status_code == 404


def test_an_amendment_without_a_reason_is_refused(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.educator)
    response = client.post(url("review-amend", review), {"reason": ""}, follow=True)
    assert "Please give a reason." in messages_on(response)
    assert status_of(review) == Status.SIGNED


@pytest.mark.parametrize("who", ["supervisor", "tutor", "student"])
def test_no_one_else_amends(client, cast, who):
    review = builders.signed(cast.placement)
    client.force_login(getattr(cast, who))
    response = client.post(url("review-amend", review), {"reason": "Mine now."}, follow=True)
    assert "Only the practice educator can write or sign this review." in messages_on(response)
    assert status_of(review) == Status.SIGNED
    assert Review.objects.filter(kind=Review.Kind.FINAL).count() == 1
