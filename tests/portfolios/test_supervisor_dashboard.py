"""The on-site supervisor's dashboard: per placement they support, the attendance weeks
they confirm, the observations they made, the agreement to sign and the draft final review
to add a statement to; nothing of grading, nothing of anyone else's placements."""

import datetime

import pytest
from django.urls import reverse

from assessments.supervisor_desk import supervised_placements
from portfolios.models import AttendanceDay, DirectObservation, Placement
from tests import factories
from tests.assessments import builders

URL = reverse("portfolios:dashboard-educator")
GRADING_WORDS = ("Assess", "Grade", "Sign the review", "Write the recommendation")


def last_monday_but(weeks: int) -> datetime.date:
    today = datetime.date.today()
    return today - datetime.timedelta(days=today.weekday() + 7 * weeks)


def record_day(placement: Placement, day: datetime.date) -> AttendanceDay:
    return AttendanceDay.objects.create(
        placement=placement, date=day, recorded_by=placement.student
    )


def supervised_world(cast, *, placements: int = 1) -> list[Placement]:
    """`placements` active placements of this supervisor, each with two unconfirmed weeks,
    one observation by the supervisor, one by the educator, and a draft final review."""
    made = [cast.placement] + [
        factories.PlacementFactory(supervisor=cast.supervisor) for _ in range(placements - 1)
    ]
    for placement in made:
        record_day(placement, last_monday_but(1))
        record_day(placement, last_monday_but(1) + datetime.timedelta(days=1))
        record_day(placement, last_monday_but(3))
        builders.observation(placement, observer=DirectObservation.Observer.SUPERVISOR)
        builders.observation(placement, observer=DirectObservation.Observer.EDUCATOR)
        builders.start(placement)
    return made


def test_the_supervisor_sees_their_own_page_with_what_they_confirm_and_add(client, cast):
    supervised_world(cast)
    client.force_login(cast.supervisor)
    page = client.get(URL).content.decode()
    assert "Your students on placement" in page
    attendance = reverse("portfolios:attendance", kwargs={"pk": cast.placement.pk})
    for monday in (last_monday_but(1), last_monday_but(3)):
        assert f'{attendance}#week-{monday:%Y-%m-%d}">Confirm the week of' in page
    assert "Direct observation by supervisor" in page
    assert "Direct observation by educator" not in page
    assert 'class="badge evidence-submitted">Submitted</span>' in page
    assert "Add your statement to" in page
    for word in GRADING_WORDS:
        assert word not in page, word
    assert "judgement" not in page and "/domains/" not in page


def test_a_finished_week_counts_and_the_current_week_does_not(cast):
    today = datetime.date.today()
    record_day(cast.placement, today - datetime.timedelta(days=today.weekday()))
    (row,) = supervised_placements(user=cast.supervisor)
    assert row.weeks_to_confirm == []
    record_day(cast.placement, last_monday_but(2))
    (row,) = supervised_placements(user=cast.supervisor)
    assert row.weeks_to_confirm == [last_monday_but(2)]
    AttendanceDay.objects.update(confirmed_at=datetime.datetime.now(datetime.UTC))
    assert supervised_placements(user=cast.supervisor)[0].weeks_to_confirm == []


def test_a_draft_observation_and_a_signed_final_review_are_not_offered(cast):
    item = builders.evidence(
        cast.placement,
        kind="direct_observation",
        submit=False,
        details={"observer": DirectObservation.Observer.SUPERVISOR},
    )
    (row,) = supervised_placements(user=cast.supervisor)
    assert item not in row.observations
    builders.signed(cast.placement)
    # Once signed there is nothing left to add: the placement leaves the page altogether.
    assert all(row.final_review is None for row in supervised_placements(user=cast.supervisor))


def test_the_statement_link_opens_the_supervisor_statement_page(client, cast):
    review = builders.start(cast.placement, kind="final")
    (row,) = supervised_placements(user=cast.supervisor)
    assert row.statement_url == reverse(
        "assessments:supervisor-statement", kwargs={"pk": review.pk}
    )
    client.force_login(cast.supervisor)
    assert client.get(row.statement_url).status_code == 200


def test_the_agreement_to_sign_shows_until_the_supervisor_has_signed(client, cast):
    agreement = builders.agreement(cast.placement, signed=False)
    client.force_login(cast.supervisor)
    assert "Read and sign the learning agreement" in client.get(URL).content.decode()
    agreement.signatures.create(
        role="supervisor", user=cast.supervisor, signed_at=datetime.datetime.now(datetime.UTC)
    )
    assert "Read and sign the learning agreement" not in client.get(URL).content.decode()


def test_the_supervisor_sees_only_the_placements_they_supervise(client, cast):
    supervised_world(cast)
    other = factories.PlacementFactory()  # another supervisor's
    record_day(other, last_monday_but(1))
    builders.observation(other, observer=DirectObservation.Observer.SUPERVISOR)
    client.force_login(cast.supervisor)
    page = client.get(URL).content.decode()
    assert cast.placement.student.display_name in page
    assert other.student.display_name not in page
    assert str(other.pk) not in page


def test_the_educator_keeps_the_educator_dashboard(client, cast):
    supervised_world(cast)
    client.force_login(cast.educator)
    page = client.get(URL).content.decode()
    assert "My students" in page and "Your students on placement" not in page
    assert cast.placement.student.display_name in page


def test_someone_both_educator_and_supervisor_keeps_the_educator_dashboard(client, cast):
    from accounts.roles import Role

    cast.supervisor.groups.add(*factories.EducatorFactory().groups.filter(name=Role.EDUCATOR))
    client.force_login(cast.supervisor)
    page = client.get(URL).content.decode()
    assert "My students" in page and "Your students on placement" not in page


def test_a_stranger_is_refused_and_a_supervisor_with_nobody_sees_an_empty_page(client, cast):
    client.force_login(cast.other_student)
    assert client.get(URL).status_code == 403
    client.force_login(factories.SupervisorFactory())
    page = client.get(URL).content.decode()
    assert "No students are on placement with you at the moment." in page


@pytest.mark.parametrize("placements", [1, 3])
def test_the_dashboard_takes_the_same_queries_whatever_the_number_of_placements(
    client, cast, django_assert_num_queries, placements
):
    supervised_world(cast, placements=placements)
    builders.agreement(cast.placement, signed=False)
    client.force_login(cast.supervisor)
    client.get(URL)  # warm the session and content types
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.content.decode().count("Add your statement to") == placements


def test_an_observation_shows_when_the_educator_has_written_feedback_on_it(client, cast):
    from portfolios import services

    item = builders.observation(cast.placement, observer=DirectObservation.Observer.SUPERVISOR)
    client.force_login(cast.supervisor)
    assert "has written feedback" not in client.get(URL).content.decode()
    services.observation_feedback_save(
        actor=cast.educator, evidence=item, feedback={item.mappings.first().domain: "Calm."}
    )
    assert "The practice educator has written feedback" in client.get(URL).content.decode()
