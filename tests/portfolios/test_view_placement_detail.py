"""The placement page: its people and staff of its university see it; nobody else learns it
exists."""

import uuid

import pytest
from django.urls import reverse

from portfolios import services
from portfolios.models import Placement
from tests import factories

PERMITTED = ["student", "educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]


def detail_url(placement) -> str:
    return reverse("portfolios:placement-detail", kwargs={"pk": placement.pk})


@pytest.mark.parametrize("who", PERMITTED)
def test_the_placements_people_and_its_universitys_staff_see_it(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(detail_url(cast.placement))
    assert response.status_code == 200
    html = response.content.decode()
    assert cast.student.display_name in html
    assert cast.placement.setting_name in html


@pytest.mark.parametrize("who", STRANGERS)
def test_it_hides_the_placement_from_another_universitys_people(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(detail_url(cast.placement))
    assert response.status_code == 404
    assert cast.student.display_name not in response.content.decode()


def test_a_tutor_at_the_same_university_who_does_not_tutor_it_gets_404(client, cast):
    colleague = factories.TutorFactory()
    cast.university.members.add(colleague)
    client.force_login(colleague)
    assert client.get(detail_url(cast.placement)).status_code == 404


def test_a_replaced_educator_no_longer_sees_it(client, cast):
    # Through the service, as the update page would do it.
    newcomer = factories.EducatorFactory()
    services.placement_update(
        actor=cast.coordinator,
        placement=cast.placement,
        **{**_people_and_dates(cast.placement), "educator": newcomer},
    )
    client.force_login(cast.educator)
    assert client.get(detail_url(cast.placement)).status_code == 404
    client.force_login(newcomer)
    assert client.get(detail_url(cast.placement)).status_code == 200


def _people_and_dates(placement: Placement) -> dict:
    return {
        "educator": placement.educator,
        "supervisor": placement.supervisor,
        "tutor": placement.tutor,
        "setting_name": placement.setting_name,
        "start_date": placement.start_date,
        "end_date": placement.end_date,
        "required_days": placement.required_days,
    }


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    url = detail_url(cast.placement)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_an_unknown_placement_is_not_found(client, cast):
    client.force_login(cast.coordinator)
    url = reverse("portfolios:placement-detail", kwargs={"pk": uuid.uuid4()})
    assert client.get(url).status_code == 404


def test_a_malformed_placement_id_is_not_found(client, cast):
    client.force_login(cast.coordinator)
    assert client.get("/placements/not-a-uuid/").status_code == 404


def test_a_switched_off_account_is_sent_to_sign_in(client, cast):
    client.force_login(cast.student)
    cast.student.is_active = False
    cast.student.save()
    response = client.get(detail_url(cast.placement))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_speaks_in_the_frameworks_own_words(client, cast):
    framework = factories.CapabilityFrameworkFactory(
        educator_title="field instructor", domain_word_plural="competencies"
    )
    programme = factories.ProgrammeFactory(university=cast.university, framework=framework)
    placement = factories.PlacementFactory(programme=programme, student=cast.student)
    client.force_login(cast.student)
    html = client.get(detail_url(placement)).content.decode()
    assert "Field instructor" in html
    assert "Competencies assessed" in html
    assert "Domains assessed" not in html


def test_a_pcf_style_framework_keeps_its_usual_words(client, cast):
    client.force_login(cast.student)
    html = client.get(detail_url(cast.placement)).content.decode()
    assert "Practice educator" in html
    assert "Domains assessed" in html


def test_it_lists_the_frameworks_domains_and_the_level_for_the_stage(client, cast):
    client.force_login(cast.student)
    html = client.get(detail_url(cast.placement)).content.decode()
    for domain in cast.placement.framework.domains.all():
        assert domain.name in html
    # The cast's placement is a final placement.
    assert "End of last placement" in html


def test_it_shows_the_people_on_the_placement(client, cast):
    client.force_login(cast.tutor)
    html = client.get(detail_url(cast.placement)).content.decode()
    for person in (cast.student, cast.educator, cast.supervisor, cast.tutor):
        assert person.display_name in html


def test_what_a_coordinator_typed_is_shown_as_text_not_run_as_markup(client, cast):
    placement = factories.PlacementFactory(
        programme=cast.programme, setting_name='<script>alert("x")</script> Team'
    )
    client.force_login(cast.coordinator)
    html = client.get(detail_url(placement)).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_it_offers_the_coordinator_the_edit_link_and_nobody_else(client, cast):
    edit = reverse("portfolios:placement-update", kwargs={"pk": cast.placement.pk})
    client.force_login(cast.coordinator)
    assert edit in client.get(detail_url(cast.placement)).content.decode()
    for who in ("student", "educator", "supervisor", "tutor", "panel"):
        client.force_login(getattr(cast, who))
        assert edit not in client.get(detail_url(cast.placement)).content.decode(), who


def test_it_offers_the_coordinator_the_steps_they_may_take(client, cast):
    planned = factories.PlacementFactory(programme=cast.programme, status=Placement.Status.PLANNED)
    client.force_login(cast.coordinator)
    html = client.get(detail_url(planned)).content.decode()
    assert "Start placement" in html
    assert "Cancel placement" in html


def test_it_offers_the_student_no_status_steps(client, cast):
    client.force_login(cast.student)
    response = client.get(detail_url(cast.placement))
    assert response.context["actions"] == []
    assert "Change status" not in response.content.decode()


def test_it_shows_the_status_history_with_who_and_why(client, cast):
    services.placement_transition(
        actor=cast.coordinator,
        placement=cast.placement,
        to_status=Placement.Status.DEFERRED,
        reason="Student unwell for three weeks.",
    )
    client.force_login(cast.student)
    html = client.get(detail_url(cast.placement)).content.decode()
    assert "Active → Deferred" in html
    assert cast.coordinator.display_name in html
    assert "Student unwell for three weeks." in html
