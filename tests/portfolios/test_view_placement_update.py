"""A coordinator of the placement's university changes its people, dates and framework;
access moves with the people; the framework is fixed once evidence exists."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portfolios.models import Placement
from tests import factories


def update_url(placement) -> str:
    return reverse("portfolios:placement-update", kwargs={"pk": placement.pk})


def field_block(response, name: str) -> str:
    """The rendered markup of one form field: its label, input, help and errors."""
    html = response.content.decode()
    start = html.index(f'id="div_id_{name}"')
    following = re.search(r'id="div_id_|</form>', html[start + 1 :])
    return html[start : start + 1 + following.start()]


def field_errors(response, name: str) -> str:
    block = field_block(response, name)
    return block[block.index("invalid-feedback") :] if "invalid-feedback" in block else ""


def form_data(placement: Placement, **changes) -> dict:
    data = {
        "educator": placement.educator_id,
        "supervisor": placement.supervisor_id or "",
        "tutor": placement.tutor_id,
        "setting_name": placement.setting_name,
        "practice_area": placement.practice_area_id or "",
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
        "required_days": placement.required_days,
        "framework": placement.framework_id,
        "grading_scale": placement.grading_scale_id,
    }
    data.update(changes)
    return data


def test_a_coordinator_sees_the_form_filled_in_from_the_placement(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(update_url(cast.placement))
    assert response.status_code == 200
    assert f'value="{cast.educator.pk}" selected' in field_block(response, "educator")
    assert f'value="{cast.supervisor.pk}" selected' in field_block(response, "supervisor")
    assert f'value="{cast.placement.framework_id}" selected' in field_block(response, "framework")
    assert f'value="{cast.placement.required_days}"' in field_block(response, "required_days")


def test_the_edit_form_fills_in_the_dates_so_a_date_picker_can_read_them(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(update_url(cast.placement))
    start, end = cast.placement.start_date.isoformat(), cast.placement.end_date.isoformat()
    assert f'value="{start}"' in field_block(response, "start_date")
    assert f'value="{end}"' in field_block(response, "end_date")


def test_a_coordinator_changes_the_setting_and_dates(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement),
        form_data(cast.placement, setting_name="Eastgate CMHT"),
    )
    assert response.status_code == 302
    assert response.url == cast.placement.get_absolute_url()
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name == "Eastgate CMHT"
    assert "Placement updated." in client.get(response.url).content.decode()


def test_replacing_the_educator_moves_access_to_the_new_one(client, cast):
    newcomer = factories.EducatorFactory()
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, educator=newcomer.pk)
    )
    assert response.status_code == 302

    client.force_login(cast.educator)
    assert client.get(cast.placement.get_absolute_url()).status_code == 404
    assert (
        cast.placement.get_absolute_url()
        not in client.get(reverse("portfolios:dashboard-educator")).content.decode()
    )

    client.force_login(newcomer)
    assert client.get(cast.placement.get_absolute_url()).status_code == 200
    assert (
        cast.placement.get_absolute_url()
        in client.get(reverse("portfolios:dashboard-educator")).content.decode()
    )


def test_removing_the_supervisor_takes_away_their_access(client, cast):
    client.force_login(cast.coordinator)
    client.post(update_url(cast.placement), form_data(cast.placement, supervisor=""))
    client.force_login(cast.supervisor)
    assert client.get(cast.placement.get_absolute_url()).status_code == 404


def test_replacing_the_tutor_moves_the_placement_to_the_new_tutors_cohort(client, cast):
    newcomer = factories.TutorFactory()
    client.force_login(cast.coordinator)
    client.post(update_url(cast.placement), form_data(cast.placement, tutor=newcomer.pk))
    cohort = reverse("portfolios:dashboard-cohort")
    client.force_login(cast.tutor)
    assert cast.placement.get_absolute_url() not in client.get(cohort).content.decode()
    client.force_login(newcomer)
    assert cast.placement.get_absolute_url() in client.get(cohort).content.decode()


def test_an_end_date_before_the_start_is_explained_beside_the_end_date(client, cast):
    client.force_login(cast.coordinator)
    start = cast.placement.start_date.isoformat()
    response = client.post(
        update_url(cast.placement),
        form_data(cast.placement, end_date="2000-01-01", setting_name="Eastgate CMHT"),
    )
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in field_errors(response, "end_date")
    assert 'value="2000-01-01"' in field_block(response, "end_date")
    assert f'value="{start}"' in field_block(response, "start_date")
    assert 'value="Eastgate CMHT"' in field_block(response, "setting_name")
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name != "Eastgate CMHT"


def test_someone_without_the_educator_role_is_refused_beside_the_educator_field(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, educator=cast.panel.pk)
    )
    assert response.status_code == 200
    assert field_errors(response, "educator")
    cast.placement.refresh_from_db()
    assert cast.placement.educator == cast.educator


def test_days_completed_cannot_be_typed_it_comes_from_the_attendance_log(client, cast):
    Placement.objects.filter(pk=cast.placement.pk).update(days_completed=Decimal("7.5"))
    client.force_login(cast.coordinator)
    assert 'name="days_completed"' not in client.get(update_url(cast.placement)).content.decode()
    response = client.post(
        update_url(cast.placement),
        form_data(cast.placement, setting_name="Eastgate CMHT", days_completed=90),
    )
    assert response.status_code == 302
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name == "Eastgate CMHT"
    assert cast.placement.days_completed == Decimal("7.5")


def test_the_framework_can_change_before_any_evidence(client, cast):
    newer = factories.CapabilityFrameworkFactory()
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, framework=newer.pk)
    )
    assert response.status_code == 302
    cast.placement.refresh_from_db()
    assert cast.placement.framework == newer


def test_the_framework_cannot_change_once_evidence_exists(client, cast):
    factories.EvidenceFactory(placement=cast.placement)
    original = cast.placement.framework
    newer = factories.CapabilityFrameworkFactory()
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, framework=newer.pk)
    )
    assert response.status_code == 200
    assert "cannot change once the student has added evidence" in field_errors(
        response, "framework"
    )
    assert f'value="{newer.pk}" selected' in field_block(response, "framework")
    cast.placement.refresh_from_db()
    assert cast.placement.framework == original


def test_the_grading_scale_cannot_change_once_evidence_exists(client, cast):
    factories.EvidenceFactory(placement=cast.placement)
    other_scale = factories.GradingScaleFactory()
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, grading_scale=other_scale.pk)
    )
    assert response.status_code == 200
    assert "cannot change once the student has added evidence" in field_errors(
        response, "grading_scale"
    )


def test_other_changes_still_save_once_evidence_exists(client, cast):
    factories.EvidenceFactory(placement=cast.placement)
    client.force_login(cast.coordinator)
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, setting_name="Eastgate CMHT")
    )
    assert response.status_code == 302
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name == "Eastgate CMHT"


@pytest.mark.parametrize("status", [Placement.Status.RATIFIED, Placement.Status.TERMINATED])
def test_a_finished_placement_cannot_be_changed(client, cast, status):
    finished = factories.PlacementFactory(programme=cast.programme, status=status)
    client.force_login(cast.coordinator)
    response = client.post(update_url(finished), form_data(finished, setting_name="Elsewhere"))
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    finished.refresh_from_db()
    assert finished.setting_name != "Elsewhere"


@pytest.mark.parametrize(
    "changes",
    [
        {"start_date": "soon"},
        {"required_days": "-4"},
        {"framework": "999999"},
        {"grading_scale": "abc"},
        {"tutor": "99999999999999999999999"},
    ],
)
def test_nothing_typed_into_the_form_causes_an_error_page(client, cast, changes):
    client.force_login(cast.coordinator)
    response = client.post(update_url(cast.placement), form_data(cast.placement, **changes))
    assert response.status_code == 200
    assert field_errors(response, next(iter(changes)))


@pytest.mark.parametrize("who", ["student", "educator", "supervisor", "tutor", "panel"])
def test_people_who_can_see_the_placement_but_do_not_coordinate_it_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(update_url(cast.placement)).status_code == 403
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, setting_name="Hijacked")
    )
    assert response.status_code == 403
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name != "Hijacked"


@pytest.mark.parametrize(
    "who", ["other_coordinator", "other_student", "other_educator", "other_tutor"]
)
def test_another_universitys_people_get_404(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(update_url(cast.placement)).status_code == 404
    response = client.post(
        update_url(cast.placement), form_data(cast.placement, setting_name="Hijacked")
    )
    assert response.status_code == 404
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name != "Hijacked"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(update_url(cast.placement))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
