"""The three dashboards, the home page that picks one, and who may open each."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.models import Concern
from portfolios.models import Evidence, Placement
from tests import factories

STUDENT_DASHBOARD = reverse("portfolios:dashboard-student")
EDUCATOR_DASHBOARD = reverse("portfolios:dashboard-educator")
COHORT_DASHBOARD = reverse("portfolios:dashboard-cohort")
LOGIN = reverse("accounts:login")

# The most queries each list page may run, whatever its length: session, user, roles and
# the rows; the student and educator pages add the evidence coverage of each domain (two
# queries for all rows), the cohort its counts by status (which give the page count too), the
# ids on the page shown, and the programmes.
# Above them, "What needs you" runs one query per kind of item (assessments/todo.py): four for
# a student, nine for an educator (two of them as someone's on-site supervisor), two for an
# on-site supervisor, three for a tutor, one for a coordinator or a panel member. The on-site
# supervisor's own page adds one for the finished placements they can still read.
STUDENT_DASHBOARD_QUERIES = 6 + 4
EDUCATOR_DASHBOARD_QUERIES = 6 + 9
SUPERVISOR_DASHBOARD_QUERIES = 6 + 3
COHORT_DASHBOARD_QUERIES = 7 + 1
TUTOR_COHORT_QUERIES = 7 + 3


def shows(response, placement) -> bool:
    return placement.get_absolute_url() in response.content.decode()


def assert_constant_queries(client, django_assert_max_num_queries, *, url, most, make):
    """The page runs at most `most` queries with 3 rows, and still at most `most` with 18.

    Each row has evidence, so a per-row query for its evidence or coverage would show."""

    def make_with_evidence():
        placement = make()
        factories.EvidenceFactory(placement=placement)
        return placement

    placements = [make_with_evidence() for _ in range(3)]
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert all(shows(response, p) for p in placements)

    placements += [make_with_evidence() for _ in range(15)]
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert all(shows(response, p) for p in placements)


# --- Home ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "dashboard"),
    [
        ("student", STUDENT_DASHBOARD),
        ("educator", EDUCATOR_DASHBOARD),
        ("supervisor", EDUCATOR_DASHBOARD),
        ("tutor", COHORT_DASHBOARD),
        ("coordinator", COHORT_DASHBOARD),
        ("panel", COHORT_DASHBOARD),
    ],
)
def test_home_sends_each_role_to_its_dashboard(client, cast, who, dashboard):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == dashboard


def test_home_sends_someone_who_is_student_and_educator_to_my_students(client, db):
    person = factories.UserFactory(roles=["student", "practice educator"])
    client.force_login(person)
    assert client.get(reverse("home")).url == EDUCATOR_DASHBOARD


def test_home_sends_a_superuser_to_the_cohort(client, db):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("home")).url == COHORT_DASHBOARD


def test_home_tells_someone_without_a_role_to_ask_for_one(client, db):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Your account has no role yet" in response.content.decode()


def test_home_sends_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == LOGIN


# --- Who may open which dashboard -----------------------------------------------------------


@pytest.mark.parametrize("url", [STUDENT_DASHBOARD, EDUCATOR_DASHBOARD, COHORT_DASHBOARD])
def test_it_sends_an_anonymous_visitor_to_sign_in_and_back(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("student", EDUCATOR_DASHBOARD),
        ("student", COHORT_DASHBOARD),
        ("educator", STUDENT_DASHBOARD),
        ("educator", COHORT_DASHBOARD),
        ("supervisor", COHORT_DASHBOARD),
        ("tutor", STUDENT_DASHBOARD),
        ("tutor", EDUCATOR_DASHBOARD),
        ("coordinator", EDUCATOR_DASHBOARD),
        ("panel", STUDENT_DASHBOARD),
    ],
)
def test_it_refuses_a_dashboard_outside_the_users_role(client, cast, who, url):
    client.force_login(getattr(cast, who))
    response = client.get(url)
    assert response.status_code == 403
    assert "not part of your role" in response.content.decode()


def test_it_refuses_every_dashboard_to_someone_without_a_role(client, db):
    client.force_login(factories.UserFactory())
    for url in (STUDENT_DASHBOARD, EDUCATOR_DASHBOARD, COHORT_DASHBOARD):
        assert client.get(url).status_code == 403


# --- Student ------------------------------------------------------------------------------


def test_a_student_sees_their_own_placements_only(client, cast):
    client.force_login(cast.student)
    response = client.get(STUDENT_DASHBOARD)
    assert response.status_code == 200
    assert shows(response, cast.placement)
    assert not shows(response, cast.other_placement)


def test_a_student_sees_the_educator_called_by_the_frameworks_title(client, cast):
    framework = factories.CapabilityFrameworkFactory(educator_title="field instructor")
    programme = factories.ProgrammeFactory(university=cast.university, framework=framework)
    factories.PlacementFactory(student=cast.student, programme=programme)
    client.force_login(cast.student)
    assert "Field instructor" in client.get(STUDENT_DASHBOARD).content.decode()


def test_a_student_with_no_placement_is_told_one_will_appear(client, db):
    client.force_login(factories.StudentFactory())
    response = client.get(STUDENT_DASHBOARD)
    assert "You have no placements yet" in response.content.decode()


def test_the_student_dashboard_runs_the_same_queries_for_3_or_18_placements(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.student)
    assert_constant_queries(
        client,
        django_assert_max_num_queries,
        url=STUDENT_DASHBOARD,
        most=STUDENT_DASHBOARD_QUERIES,
        make=lambda: factories.PlacementFactory(student=cast.student),
    )


# --- Educator and on-site supervisor --------------------------------------------------------


@pytest.mark.parametrize("who", ["educator", "supervisor"])
def test_educator_and_supervisor_see_their_student(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(EDUCATOR_DASHBOARD)
    assert response.status_code == 200
    assert "My students" in response.content.decode()
    assert shows(response, cast.placement)
    assert not shows(response, cast.other_placement)


def test_an_educator_who_also_supervises_on_site_is_told_which_placements(client, cast):
    # Someone who only supervises gets their own page (test_supervisor_dashboard.py).
    cast.supervisor.groups.add(*cast.educator.groups.all())
    client.force_login(cast.supervisor)
    assert "You supervise on site" in client.get(EDUCATOR_DASHBOARD).content.decode()
    client.force_login(cast.educator)
    assert "You supervise on site" not in client.get(EDUCATOR_DASHBOARD).content.decode()


def test_an_educator_does_not_see_another_educators_student_at_the_same_university(client, cast):
    colleagues = factories.PlacementFactory(programme=cast.programme)
    client.force_login(cast.educator)
    assert not shows(client.get(EDUCATOR_DASHBOARD), colleagues)


def test_the_educator_dashboard_runs_the_same_queries_for_3_or_18_placements(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.educator)
    assert_constant_queries(
        client,
        django_assert_max_num_queries,
        url=EDUCATOR_DASHBOARD,
        most=EDUCATOR_DASHBOARD_QUERIES,
        make=lambda: factories.PlacementFactory(educator=cast.educator),
    )


def test_the_educator_dashboard_stays_constant_for_a_supervisor_too(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.supervisor)
    assert_constant_queries(
        client,
        django_assert_max_num_queries,
        url=EDUCATOR_DASHBOARD,
        most=SUPERVISOR_DASHBOARD_QUERIES,
        make=lambda: factories.PlacementFactory(supervisor=cast.supervisor),
    )


# --- Cohort -------------------------------------------------------------------------------


def test_a_tutor_sees_only_the_placements_they_tutor(client, cast):
    someone_elses = factories.PlacementFactory(programme=cast.programme)
    client.force_login(cast.tutor)
    response = client.get(COHORT_DASHBOARD)
    assert response.status_code == 200
    assert shows(response, cast.placement)
    assert not shows(response, someone_elses)
    assert not shows(response, cast.other_placement)
    assert "1 placement." in response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_coordinator_and_panel_see_their_universitys_placements(client, cast, who):
    another_here = factories.PlacementFactory(programme=cast.programme)
    client.force_login(getattr(cast, who))
    response = client.get(COHORT_DASHBOARD)
    assert response.status_code == 200
    assert shows(response, cast.placement)
    assert shows(response, another_here)
    assert "2 placements." in response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_it_hides_another_universitys_placements(client, cast, who):
    client.force_login(getattr(cast, who))
    assert not shows(client.get(COHORT_DASHBOARD), cast.other_placement)


def test_another_universitys_coordinator_sees_theirs_not_ours(client, cast):
    client.force_login(cast.other_coordinator)
    response = client.get(COHORT_DASHBOARD)
    assert shows(response, cast.other_placement)
    assert not shows(response, cast.placement)


def test_only_a_coordinator_is_offered_a_new_placement(client, cast):
    new_placement = reverse("portfolios:placement-create")
    client.force_login(cast.coordinator)
    assert new_placement in client.get(COHORT_DASHBOARD).content.decode()
    for who in (cast.panel, cast.tutor):
        client.force_login(who)
        assert new_placement not in client.get(COHORT_DASHBOARD).content.decode()


def test_the_cohort_filters_by_programme(client, cast):
    second = factories.ProgrammeFactory(university=cast.university)
    on_second = factories.PlacementFactory(programme=second)
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, {"programme": second.pk})
    assert shows(response, on_second)
    assert not shows(response, cast.placement)
    assert "1 placement." in response.content.decode()


def test_the_cohort_filters_by_stage(client, cast):
    first = factories.PlacementFactory(programme=cast.programme, stage=Placement.Stage.FIRST)
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, {"stage": Placement.Stage.FIRST})
    assert shows(response, first)
    assert not shows(response, cast.placement)
    response = client.get(COHORT_DASHBOARD, {"stage": Placement.Stage.FINAL})
    assert shows(response, cast.placement)
    assert not shows(response, first)


def test_the_cohort_filters_by_status(client, cast):
    planned = factories.PlacementFactory(programme=cast.programme, status=Placement.Status.PLANNED)
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, {"status": Placement.Status.PLANNED})
    assert shows(response, planned)
    assert not shows(response, cast.placement)


def test_the_cohort_combines_filters(client, cast):
    planned_first = factories.PlacementFactory(
        programme=cast.programme,
        stage=Placement.Stage.FIRST,
        status=Placement.Status.PLANNED,
    )
    factories.PlacementFactory(programme=cast.programme, stage=Placement.Stage.FIRST)
    client.force_login(cast.coordinator)
    response = client.get(
        COHORT_DASHBOARD,
        {"programme": cast.programme.pk, "stage": "first", "status": "planned"},
    )
    assert shows(response, planned_first)
    assert "1 placement." in response.content.decode()


def test_the_cohort_counts_placements_by_status(client, cast):
    factories.PlacementFactory(programme=cast.programme, status=Placement.Status.PLANNED)
    factories.PlacementFactory(programme=cast.programme, status=Placement.Status.PLANNED)
    client.force_login(cast.coordinator)
    status_counts = client.get(COHORT_DASHBOARD).context["status_counts"]
    counts = {status.value: count for status, count in status_counts}
    assert counts["planned"] == 2
    assert counts["active"] == 1
    assert counts["ratified"] == 0


def test_a_filter_matching_nothing_says_so(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, {"status": Placement.Status.RATIFIED})
    assert "No placements match these filters." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"programme": "not-a-number"},
        {"programme": "99999999999999999999999999"},
        {"programme": "-1"},
        {"stage": "middle"},
        {"status": "lost"},
        {"status": "x" * 500},
        {"page": "abc"},
        {"page": "9999"},
        {"page": "-3"},
    ],
)
def test_a_bad_filter_value_shows_the_cohort_rather_than_an_error(client, cast, query):
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, query)
    assert response.status_code == 200
    assert shows(response, cast.placement)


def test_filtering_by_another_universitys_programme_reveals_none_of_its_placements(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, {"programme": cast.other_placement.programme_id})
    assert response.status_code == 200
    assert not shows(response, cast.other_placement)


def test_the_cohort_offers_only_the_users_own_programmes(client, cast):
    client.force_login(cast.coordinator)
    choices = list(client.get(COHORT_DASHBOARD).context["form"].fields["programme"].queryset)
    assert choices == [cast.programme]


def test_the_cohort_pages_after_50_placements_and_keeps_the_filter(client, cast):
    for _ in range(51):
        factories.PlacementFactory(programme=cast.programme, stage=Placement.Stage.FIRST)
    client.force_login(cast.coordinator)
    html = client.get(COHORT_DASHBOARD, {"stage": "first"}).content.decode()
    assert "51 placements." in html
    assert "Page 1 of 2" in html
    assert "?stage=first&page=2" in html
    html = client.get(COHORT_DASHBOARD, {"stage": "first", "page": "2"}).content.decode()
    assert "Page 2 of 2" in html
    assert "?stage=first&page=1" in html


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_the_cohort_runs_the_same_queries_for_3_or_18_placements(
    client, cast, django_assert_max_num_queries, who
):
    client.force_login(getattr(cast, who))
    assert_constant_queries(
        client,
        django_assert_max_num_queries,
        url=COHORT_DASHBOARD,
        most=COHORT_DASHBOARD_QUERIES,
        make=lambda: factories.PlacementFactory(programme=cast.programme),
    )


def test_the_tutors_cohort_runs_the_same_queries_for_3_or_18_placements(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.tutor)
    assert_constant_queries(
        client,
        django_assert_max_num_queries,
        url=COHORT_DASHBOARD,
        most=TUTOR_COHORT_QUERIES,
        make=lambda: factories.PlacementFactory(tutor=cast.tutor),
    )


def _named_placement(cast, last_name: str, *, evidence: int, open_concerns: int = 0):
    student = factories.StudentFactory(last_name=last_name)
    placement = factories.PlacementFactory(programme=cast.programme, student=student)
    for _ in range(evidence):
        factories.EvidenceFactory(placement=placement, status=Evidence.Status.SUBMITTED)
    factories.EvidenceFactory(placement=placement, status=Evidence.Status.DRAFT)
    for outcome in [Concern.Outcome.OPEN] * open_concerns + [Concern.Outcome.RESOLVED]:
        Concern.objects.create(
            placement=placement,
            raised_by=placement.educator,
            description="Late to visits.",
            review_date=placement.end_date,
            outcome=outcome,
        )
    return placement


def test_page_2_of_the_cohort_shows_the_next_rows_with_their_own_counts(client, cast):
    """Counts are worked out for the rows on the page only: page 2's must still be right."""
    names = [f"Zz{i:02d}" for i in range(53)]
    made = {
        name: _named_placement(cast, name, evidence=i % 4, open_concerns=i % 3)
        for i, name in enumerate(names)
    }
    client.force_login(cast.coordinator)
    response = client.get(COHORT_DASHBOARD, {"page": "2"})
    page = response.context["page"]
    # The cast's own placement sorts before the Zz students, so page 2 starts at Zz49.
    assert [p.student.last_name for p in page.object_list] == names[49:]
    for i, row in enumerate(page.object_list, start=49):
        assert row.evidence_count == i % 4
        assert row.open_concern_count == i % 3
        assert row.own_draft_count == 0
    html = response.content.decode()
    assert "54 placements." in html
    assert "Page 2 of 2" in html
    assert shows(response, made["Zz52"])
    assert not shows(response, made["Zz00"])


def test_a_page_past_the_end_shows_the_last_page(client, cast):
    for _ in range(51):
        factories.PlacementFactory(programme=cast.programme)
    client.force_login(cast.coordinator)
    page = client.get(COHORT_DASHBOARD, {"page": "9"}).context["page"]
    assert page.number == 2
    assert len(page.object_list) == 2


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_the_cohort_runs_the_same_queries_on_page_2_of_a_longer_cohort(
    client, cast, django_assert_max_num_queries, who
):
    client.force_login(getattr(cast, who))
    for _ in range(55):
        placement = factories.PlacementFactory(programme=cast.programme)
        factories.EvidenceFactory(placement=placement)
    for page in ("1", "2"):
        with django_assert_max_num_queries(COHORT_DASHBOARD_QUERIES):
            response = client.get(COHORT_DASHBOARD, {"page": page})
        assert response.status_code == 200


def test_a_coordinator_who_also_tutors_elsewhere_sees_both_cohorts(client, cast):
    """Their university's placements by the university filter, the other by their tutor's
    permission."""
    coordinator = cast.coordinator
    factories._add_roles(coordinator, True, [Role.TUTOR])
    tutored = factories.PlacementFactory(tutor=coordinator)
    client.force_login(coordinator)
    response = client.get(COHORT_DASHBOARD)
    assert shows(response, cast.placement)
    assert shows(response, tutored)
    assert not shows(response, cast.other_placement)
    assert client.get(tutored.get_absolute_url()).status_code == 200
    assert client.get(cast.other_placement.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_another_universitys_placement_page_is_not_found(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(cast.other_placement.get_absolute_url()).status_code == 404
    assert client.get(cast.placement.get_absolute_url()).status_code == 200
