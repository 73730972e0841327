import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from assessments import rules
from assessments import services as review_services
from portfolios import services
from portfolios.models import (
    CapabilityFramework,
    Domain,
    LevelDescriptor,
    Placement,
    PracticeArea,
    Programme,
    University,
)
from portfolios.selectors import placements_visible_to

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "student@example.org",
    "educator@example.org",
    "supervisor@example.org",
    "tutor@example.org",
    "coordinator@example.org",
    "panel@example.org",
]


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def test_the_fixtures_load_the_three_frameworks_and_load_again_without_duplicates():
    for _ in range(2):
        call_command("loaddata", "frameworks", "grading_scales", "practice_areas", verbosity=0)
    assert CapabilityFramework.objects.count() == 3
    assert Domain.objects.filter(framework__code="PCF").count() == 9
    assert Domain.objects.filter(framework__code="SWE").count() == 6
    assert Domain.objects.filter(framework__code="CSWE-EPAS").count() == 9
    pcf_levels = CapabilityFramework.objects.get(code="PCF").levels.values_list("name", flat=True)
    assert list(pcf_levels) == [
        "Readiness for direct practice",
        "End of first placement",
        "End of last placement",
    ]
    assert LevelDescriptor.objects.filter(domain__framework__code="PCF").count() == 27
    assert PracticeArea.objects.count() == 15
    cswe = CapabilityFramework.objects.get(code="CSWE-EPAS")
    assert (cswe.domain_word, cswe.educator_title) == ("competency", "field instructor")


def test_it_makes_the_demo_world_and_adds_nothing_the_second_time(seeded):
    from assessments.models import Review, SignedReport
    from portfolios.models import GradingScale

    uk = GradingScale.objects.get(code="UK-4")
    assert [g.label for g in uk.grades.all() if g.meets_threshold] == [
        "Meets the level",
        "Exceeds the level",
    ]
    us = GradingScale.objects.get(code="US-5")
    assert [g.value for g in us.grades.all() if g.meets_threshold] == [3, 4, 5]

    assert University.objects.count() == 2
    assert Programme.objects.count() == 3
    assert Programme.objects.filter(framework__code="CSWE-EPAS").count() == 1
    assert Placement.objects.count() == 42
    assert set(Placement.objects.values_list("status", flat=True)) == set(Placement.Status.values)

    shared = Placement.objects.get(
        student__email="student@example.org", educator__email="educator@example.org"
    )
    assert shared.status == Placement.Status.ACTIVE
    assert shared.stage == Placement.Stage.FINAL
    # The demo student's final review meets every rule but one: the last week's attendance,
    # which the on-site supervisor confirms; then the educator signs it.
    midpoint = shared.reviews.get(kind=Review.Kind.MIDPOINT)
    assert midpoint.status == Review.Status.ACKNOWLEDGED
    final = shared.reviews.get(kind=Review.Kind.FINAL)
    checks = rules.checklist(final)
    (unmet,) = [i for i in checks.items if not i.met]
    assert "required days are confirmed" in unmet.unmet.message
    waiting = shared.attendance.filter(confirmed_at__isnull=True).order_by("date").first()
    services.attendance_confirm_week(
        actor=shared.supervisor, placement=shared, week_start=waiting.date
    )
    assert rules.checklist(final).can_sign
    review_services.review_sign(actor=shared.educator, review=final)

    # The demo educator's other students: a midpoint to finish, and a pass the rules refuse.
    writing = Placement.objects.get(student__last_name="Okafor")
    assert writing.reviews.get().judgements.filter(grade__isnull=True).count() == 3
    blocked = Placement.objects.get(student__last_name="Brennan")
    problems = rules.checklist(blocked.reviews.get(kind=Review.Kind.FINAL)).problems
    assert any(p.startswith("A pass cannot be signed while Professionalism") for p in problems)
    assert any("is still open" in p for p in problems)
    assert any(p.startswith("Only ") and "of the 70 required days" in p for p in problems)

    # Days completed are what the confirmed log says, everywhere.
    for placement in Placement.objects.all():
        counted = placement.days_completed
        assert counted == services.attendance_recount(placement=placement), placement
    for placement in Placement.objects.exclude(status__in=["planned", "active"]):
        assert services.agreement_current(placement=placement).status == "signed", placement

    # Every placement past signing has a final review in step with it, and stored reports.
    for placement in Placement.objects.filter(status=Placement.Status.RATIFIED):
        assert placement.reviews.get(kind=Review.Kind.FINAL).status == Review.Status.RATIFIED
    assert SignedReport.objects.exists()

    for email in DEMO_EMAILS:
        user = User.objects.get(email=email)
        assert user.check_password("practice-demo")
        assert placements_visible_to(user=user).exists(), email

    counts = (User.objects.count(), Placement.objects.count(), University.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (User.objects.count(), Placement.objects.count(), University.objects.count()) == counts


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert Placement.objects.count() == 42
