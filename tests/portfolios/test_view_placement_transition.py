"""Status steps taken from the placement page: who may take each, reasons, and refusals
that leave the placement as it was."""

import pytest
from django.urls import reverse

from portfolios.models import Placement, PlacementStatusChange
from tests import factories

Status = Placement.Status


def transition_url(placement) -> str:
    return reverse("portfolios:placement-transition", kwargs={"pk": placement.pk})


def status_of(placement) -> str:
    placement.refresh_from_db(fields=["status"])
    return placement.status


def messages_on(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def planned(cast):
    return factories.PlacementFactory(
        programme=cast.programme,
        student=cast.student,
        educator=cast.educator,
        tutor=cast.tutor,
        status=Status.PLANNED,
    )


def test_a_coordinator_starts_a_planned_placement(client, cast, planned):
    client.force_login(cast.coordinator)
    response = client.post(transition_url(planned), {"to_status": Status.ACTIVE}, follow=True)
    assert response.redirect_chain[-1][0] == planned.get_absolute_url()
    assert "The placement is now active." in messages_on(response)
    assert status_of(planned) == Status.ACTIVE
    change = PlacementStatusChange.objects.get(placement=planned)
    assert change.actor == cast.coordinator
    assert (change.from_status, change.to_status) == (Status.PLANNED, Status.ACTIVE)


def test_a_tutor_may_start_their_planned_placement(client, cast, planned):
    client.force_login(cast.tutor)
    client.post(transition_url(planned), {"to_status": Status.ACTIVE})
    assert status_of(planned) == Status.ACTIVE
    assert PlacementStatusChange.objects.get(placement=planned).actor == cast.tutor


def test_deferring_records_the_reason(client, cast):
    client.force_login(cast.coordinator)
    client.post(
        transition_url(cast.placement),
        {"to_status": Status.DEFERRED, "reason": "  Student unwell for three weeks.  "},
    )
    assert status_of(cast.placement) == Status.DEFERRED
    change = PlacementStatusChange.objects.get(placement=cast.placement)
    assert change.reason == "Student unwell for three weeks."
    assert change.actor == cast.coordinator


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_deferring_without_a_reason_is_refused_with_a_message(client, cast, reason):
    client.force_login(cast.coordinator)
    response = client.post(
        transition_url(cast.placement),
        {"to_status": Status.DEFERRED, "reason": reason},
        follow=True,
    )
    assert response.status_code == 200
    assert "Please give a reason for this change." in messages_on(response)
    assert status_of(cast.placement) == Status.ACTIVE
    assert not PlacementStatusChange.objects.filter(placement=cast.placement).exists()


def test_a_student_cannot_defer_their_own_placement(client, cast):
    client.force_login(cast.student)
    response = client.post(
        transition_url(cast.placement),
        {"to_status": Status.DEFERRED, "reason": "I would like a break."},
        follow=True,
    )
    assert response.status_code == 200
    assert "You are not the person who can take this step." in messages_on(response)
    assert status_of(cast.placement) == Status.ACTIVE
    assert not PlacementStatusChange.objects.exists()


@pytest.mark.parametrize("who", ["educator", "supervisor", "panel"])
def test_others_on_the_placement_cannot_terminate_it(client, cast, who):
    client.force_login(getattr(cast, who))
    client.post(
        transition_url(cast.placement), {"to_status": Status.TERMINATED, "reason": "Because."}
    )
    assert status_of(cast.placement) == Status.ACTIVE


@pytest.mark.parametrize("who", ["other_coordinator", "other_tutor", "other_student"])
def test_a_stranger_gets_404_and_the_status_stays(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        transition_url(cast.placement), {"to_status": Status.DEFERRED, "reason": "Because."}
    )
    assert response.status_code == 404
    assert status_of(cast.placement) == Status.ACTIVE


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.post(
        transition_url(cast.placement), {"to_status": Status.DEFERRED, "reason": "Because."}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert status_of(cast.placement) == Status.ACTIVE


def test_an_unknown_placement_is_not_found(client, cast):
    client.force_login(cast.coordinator)
    url = reverse(
        "portfolios:placement-transition", kwargs={"pk": "00000000-0000-0000-0000-000000000000"}
    )
    assert client.post(url, {"to_status": Status.ACTIVE}).status_code == 404


def test_a_get_is_not_allowed(client, cast, planned):
    client.force_login(cast.coordinator)
    response = client.get(transition_url(planned), {"to_status": Status.ACTIVE})
    assert response.status_code == 405
    assert status_of(planned) == Status.PLANNED


@pytest.mark.parametrize("to_status", ["", "finished", "ACTIVE", "x" * 300])
def test_an_invalid_status_is_explained_not_an_error_page(client, cast, to_status):
    client.force_login(cast.coordinator)
    response = client.post(
        transition_url(cast.placement), {"to_status": to_status, "reason": "r"}, follow=True
    )
    assert response.status_code == 200
    assert "That change could not be made. Please try again." in messages_on(response)
    assert status_of(cast.placement) == Status.ACTIVE


def test_a_step_the_state_machine_does_not_have_is_explained(client, cast, planned):
    client.force_login(cast.coordinator)
    response = client.post(transition_url(planned), {"to_status": Status.RATIFIED}, follow=True)
    assert "A placement that is planned cannot be moved to ratified." in messages_on(response)
    assert status_of(planned) == Status.PLANNED


def test_a_reason_that_is_too_long_is_refused(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        transition_url(cast.placement),
        {"to_status": Status.DEFERRED, "reason": "x" * 2001},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_on(response)
    assert status_of(cast.placement) == Status.ACTIVE


def test_the_same_step_posted_twice_is_taken_once(client, cast, planned):
    client.force_login(cast.coordinator)
    client.post(transition_url(planned), {"to_status": Status.ACTIVE})
    response = client.post(transition_url(planned), {"to_status": Status.ACTIVE}, follow=True)
    assert "A placement that is active cannot be moved to active." in messages_on(response)
    assert status_of(planned) == Status.ACTIVE
    assert PlacementStatusChange.objects.filter(placement=planned).count() == 1


def test_a_deferred_placement_resumes_with_a_reason(client, cast):
    client.force_login(cast.coordinator)
    client.post(transition_url(cast.placement), {"to_status": Status.DEFERRED, "reason": "Ill."})
    client.post(transition_url(cast.placement), {"to_status": Status.ACTIVE, "reason": "Well."})
    assert status_of(cast.placement) == Status.ACTIVE
    trail = PlacementStatusChange.objects.filter(placement=cast.placement).order_by("pk")
    assert [c.to_status for c in trail] == [Status.DEFERRED, Status.ACTIVE]


def test_an_educator_cannot_sign_off_the_final_review_from_the_placement_page(client, cast):
    client.force_login(cast.educator)
    client.post(transition_url(cast.placement), {"to_status": Status.FINAL_REVIEW_SIGNED})
    assert status_of(cast.placement) == Status.ACTIVE


def test_the_panel_cannot_ratify_from_the_placement_page(client, cast):
    countersigned = factories.PlacementFactory(
        programme=cast.programme, status=Status.COUNTERSIGNED
    )
    client.force_login(cast.panel)
    client.post(transition_url(countersigned), {"to_status": Status.RATIFIED})
    assert status_of(countersigned) == Status.COUNTERSIGNED
