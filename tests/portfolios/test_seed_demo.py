import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
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
    assert Placement.objects.count() == 40
    assert set(Placement.objects.values_list("status", flat=True)) == set(Placement.Status.values)

    shared = Placement.objects.get(
        student__email="student@example.org", educator__email="educator@example.org"
    )
    assert shared.status == Placement.Status.ACTIVE
    assert shared.stage == Placement.Stage.FINAL
    # The demo educator finishes the midpoint: it is a draft with some domains still to grade.
    midpoint = shared.reviews.get(kind=Review.Kind.MIDPOINT)
    assert midpoint.status == Review.Status.DRAFT
    assert midpoint.judgements.filter(grade__isnull=True).exists()

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
    assert Placement.objects.count() == 40
