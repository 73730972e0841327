"""After the placement: the educator and on-site supervisor keep reading what they signed at
every closed status, and a coordinator can reopen writing for a set number of days, with a
reason, recorded; the write services honour it and signed reviews stay locked."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from portfolios import services
from portfolios.models import AttendanceDay, Placement, PlacementWriteReopening
from portfolios.services.placements import CLOSED_STATUSES
from tests.assessments import builders


def close(placement, status) -> Placement:
    Placement.objects.filter(pk=placement.pk).update(status=status)
    placement.refresh_from_db()
    return placement


@pytest.mark.parametrize("status", CLOSED_STATUSES)
@pytest.mark.parametrize("who", ["educator", "supervisor"])
def test_the_educator_and_supervisor_keep_reading_what_they_signed(client, cast, who, status):
    builders.agreement(cast.placement)
    close(cast.placement, status)
    client.force_login(getattr(cast, who))
    pk = cast.placement.pk
    for name in ("placement-detail", "agreement-detail", "attendance", "evidence-list"):
        assert client.get(reverse(f"portfolios:{name}", args=[pk])).status_code == 200, name
    dashboard = client.get(reverse("portfolios:dashboard-educator")).content.decode()
    assert escape(cast.placement.setting_name) in dashboard


def test_the_coordinator_reopens_writing_with_a_reason_and_it_is_recorded(cast):
    close(cast.placement, Placement.Status.TERMINATED)
    with pytest.raises(ValidationError):
        services.evidence_create(
            actor=cast.student,
            placement=cast.placement,
            kind="critical_reflection",
            title="Late",
            practice_date=timezone.localdate(),
            mappings=[],
        )
    reopening = services.placement_write_reopen(
        actor=cast.coordinator, placement=cast.placement, days=7, reason="  Last week's log.  "
    )
    cast.placement.refresh_from_db()
    assert (reopening.actor, reopening.days, reopening.reason) == (
        cast.coordinator,
        7,
        "Last week's log.",
    )
    assert cast.placement.write_open_until == reopening.open_until
    assert reopening.open_until - timezone.now() > datetime.timedelta(days=6, hours=23)
    day = services.attendance_record(
        actor=cast.student,
        placement=cast.placement,
        date=cast.placement.start_date + datetime.timedelta(days=1),
        portion=AttendanceDay.Portion.FULL,
        kind=AttendanceDay.Kind.PLACEMENT,
    )
    assert day.pk


def test_writing_closes_again_when_the_days_run_out(cast):
    close(cast.placement, Placement.Status.RATIFIED)
    services.placement_write_reopen(
        actor=cast.coordinator, placement=cast.placement, days=1, reason="One correction."
    )
    Placement.objects.filter(pk=cast.placement.pk).update(
        write_open_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    cast.placement.refresh_from_db()
    with pytest.raises(ValidationError):
        services.feedback_request_create(
            actor=cast.student, placement=cast.placement, work_description="A visit"
        )


@pytest.mark.parametrize(
    ("days", "reason", "field"), [(0, "Why.", "days"), (31, "Why.", "days"), (5, "  ", "reason")]
)
def test_reopening_needs_a_sensible_period_and_a_reason(cast, days, reason, field):
    close(cast.placement, Placement.Status.TERMINATED)
    with pytest.raises(ValidationError) as exc:
        services.placement_write_reopen(
            actor=cast.coordinator, placement=cast.placement, days=days, reason=reason
        )
    assert field in exc.value.message_dict
    assert not PlacementWriteReopening.objects.exists()


@pytest.mark.parametrize("who", ["tutor", "educator", "panel", "other_coordinator"])
def test_only_the_universitys_coordinator_reopens(cast, who):
    close(cast.placement, Placement.Status.TERMINATED)
    with pytest.raises(PermissionDenied):
        services.placement_write_reopen(
            actor=getattr(cast, who), placement=cast.placement, days=5, reason="Why."
        )


def test_an_open_placement_has_nothing_to_reopen(cast):
    with pytest.raises(ValidationError):
        services.placement_write_reopen(
            actor=cast.coordinator, placement=cast.placement, days=5, reason="Why."
        )


def test_the_reopen_page_keeps_what_was_typed_and_strangers_get_not_found(client, cast):
    close(cast.placement, Placement.Status.TERMINATED)
    url = reverse("portfolios:placement-write-reopen", args=[cast.placement.pk])
    client.force_login(cast.other_coordinator)
    assert client.post(url, {"days": 5, "reason": "x"}).status_code == 404
    client.force_login(cast.coordinator)
    response = client.post(url, {"days": 5, "reason": ""})
    assert response.status_code == 200
    assert "Please say why the placement is reopened" in response.content.decode()
    response = client.post(url, {"days": 5, "reason": "The last week's attendance."})
    assert response.status_code == 302
    page = client.get(cast.placement.get_absolute_url()).content.decode()
    assert "Reopened for writing until" in page and "The last week&#x27;s attendance." in page


def test_a_feedback_link_made_while_reopened_works_until_the_window_closes(client, cast):
    close(cast.placement, Placement.Status.TERMINATED)
    services.placement_write_reopen(
        actor=cast.coordinator, placement=cast.placement, days=3, reason="Late feedback."
    )
    cast.placement.refresh_from_db()
    _, token = services.feedback_request_create(
        actor=cast.student, placement=cast.placement, work_description="A group session"
    )
    assert services.feedback_request_for_token(token) is not None
    Placement.objects.filter(pk=cast.placement.pk).update(
        write_open_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.feedback_request_for_token(token) is None
