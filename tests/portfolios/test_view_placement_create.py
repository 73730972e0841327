"""A coordinator creates a placement; its people can see it at once; mistakes are explained
beside the field, with what was typed kept."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from portfolios.models import Placement
from tests import factories

CREATE = reverse("portfolios:placement-create")


def field_block(response, name: str) -> str:
    """The rendered markup of one form field: its label, input, help and errors."""
    html = response.content.decode()
    start = html.index(f'id="div_id_{name}"')
    following = re.search(r'id="div_id_|</form>', html[start + 1 :])
    return html[start : start + 1 + following.start()]


def field_errors(response, name: str) -> str:
    block = field_block(response, name)
    return block[block.index("invalid-feedback") :] if "invalid-feedback" in block else ""


def form_data(cast, **changes) -> dict:
    data = {
        "student": cast.student.pk,
        "programme": cast.programme.pk,
        "stage": Placement.Stage.FIRST,
        "educator": cast.educator.pk,
        "supervisor": "",
        "tutor": cast.tutor.pk,
        "setting_name": "Northtown Adults Team",
        "practice_area": "",
        "start_date": "2026-09-07",
        "end_date": "2026-12-18",
        "required_days": "",
    }
    data.update(changes)
    return data


def test_a_coordinator_sees_the_new_placement_form(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(CREATE)
    assert response.status_code == 200
    assert "New placement" in response.content.decode()


def test_a_coordinator_is_offered_only_their_own_universitys_programmes(client, cast):
    client.force_login(cast.coordinator)
    choices = client.get(CREATE).context["form"].fields["programme"].queryset
    assert list(choices) == [cast.programme]


def test_a_coordinator_creates_a_placement_and_lands_on_it(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast))
    placement = Placement.objects.get(setting_name="Northtown Adults Team")
    assert response.status_code == 302
    assert response.url == placement.get_absolute_url()
    assert placement.student == cast.student
    assert placement.educator == cast.educator
    assert placement.status == Placement.Status.PLANNED
    assert placement.framework == cast.programme.framework
    assert placement.required_days == 70
    response = client.get(response.url)
    assert "Placement created. Its people can now see it." in response.content.decode()


def test_the_new_placements_people_can_see_it_at_once(client, cast):
    student = factories.StudentFactory()
    client.force_login(cast.coordinator)
    client.post(CREATE, form_data(cast, student=student.pk, supervisor=cast.supervisor.pk))
    placement = Placement.objects.get(student=student)
    for person in (student, cast.educator, cast.supervisor, cast.tutor):
        client.force_login(person)
        assert client.get(placement.get_absolute_url()).status_code == 200
    client.force_login(student)
    assert (
        placement.get_absolute_url()
        in client.get(reverse("portfolios:dashboard-student")).content.decode()
    )


def test_strangers_cannot_see_the_new_placement(client, cast):
    client.force_login(cast.coordinator)
    client.post(CREATE, form_data(cast, student=factories.StudentFactory().pk))
    placement = Placement.objects.get(setting_name="Northtown Adults Team")
    for stranger in (cast.other_student, cast.other_educator, cast.other_coordinator):
        client.force_login(stranger)
        assert client.get(placement.get_absolute_url()).status_code == 404


def test_required_days_can_be_set(client, cast):
    client.force_login(cast.coordinator)
    client.post(CREATE, form_data(cast, required_days="85"))
    assert Placement.objects.get(setting_name="Northtown Adults Team").required_days == 85


def test_an_end_date_before_the_start_is_explained_beside_the_end_date(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, start_date="2026-09-07", end_date="2026-08-01"))
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in field_errors(response, "end_date")
    assert 'value="2026-09-07"' in field_block(response, "start_date")
    assert 'value="2026-08-01"' in field_block(response, "end_date")
    assert 'value="Northtown Adults Team"' in field_block(response, "setting_name")
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_a_student_cannot_be_their_own_educator(client, cast):
    # Someone who is a student and also a registered practice educator elsewhere.
    cast.student.groups.add(Group.objects.get_or_create(name=Role.EDUCATOR)[0])
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, educator=cast.student.pk))
    assert response.status_code == 200
    assert "A student cannot be their own practice educator." in field_errors(response, "educator")
    assert 'value="Northtown Adults Team"' in field_block(response, "setting_name")
    assert f'value="{cast.student.pk}" selected' in field_block(response, "student")
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_a_student_without_the_educator_role_cannot_be_picked_as_educator(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, educator=cast.student.pk))
    assert response.status_code == 200
    assert field_errors(response, "educator")
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_someone_without_the_educator_role_is_refused_beside_the_educator_field(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, educator=cast.tutor.pk))
    assert response.status_code == 200
    assert "not one of the available choices" in field_errors(response, "educator")
    assert 'value="Northtown Adults Team"' in field_block(response, "setting_name")
    assert 'value="2026-09-07"' in field_block(response, "start_date")
    assert f'value="{cast.tutor.pk}" selected' in field_block(response, "tutor")
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_the_educator_field_offers_only_practice_educators(client, cast):
    client.force_login(cast.coordinator)
    offered = set(client.get(CREATE).context["form"].fields["educator"].queryset)
    assert cast.educator in offered
    assert cast.tutor not in offered
    assert cast.student not in offered


def test_missing_fields_are_each_explained(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, setting_name="", start_date=""))
    assert response.status_code == 200
    assert "This field is required." in field_errors(response, "setting_name")
    assert "This field is required." in field_errors(response, "start_date")


@pytest.mark.parametrize(
    "changes",
    [
        {"start_date": "next Tuesday"},
        {"start_date": "2026-02-30"},
        {"required_days": "0"},
        {"required_days": "many"},
        {"stage": "middle"},
        {"student": "not-a-number"},
        {"programme": "99999999999999999999999"},
        {"setting_name": "x" * 201},
    ],
)
def test_nothing_typed_into_the_form_causes_an_error_page(client, cast, changes):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, **changes))
    assert response.status_code == 200
    assert field_errors(response, next(iter(changes)))
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_another_universitys_coordinator_cannot_choose_this_programme(client, cast):
    client.force_login(cast.other_coordinator)
    response = client.post(CREATE, form_data(cast, student=factories.StudentFactory().pk))
    assert response.status_code == 200
    assert field_errors(response, "programme")
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_a_coordinator_who_tutors_elsewhere_cannot_create_on_that_programme(client, cast):
    # The programme is offered because they can see a placement on it, but it is not theirs.
    cast.coordinator.groups.add(Group.objects.get(name=Role.TUTOR))
    factories.PlacementFactory(programme=cast.other_placement.programme, tutor=cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.post(CREATE, form_data(cast, programme=cast.other_placement.programme.pk))
    assert response.status_code == 200
    assert "You can only create placements for your own university." in field_errors(
        response, "programme"
    )
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


@pytest.mark.parametrize("who", ["student", "educator", "supervisor", "tutor", "panel"])
def test_only_a_coordinator_may_create_a_placement(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(cast)).status_code == 403
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.post(CREATE, form_data(cast))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Placement.objects.filter(setting_name="Northtown Adults Team").exists()
