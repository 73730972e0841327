import hashlib
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from assessments import rules
from assessments import services as review_services
from portfolios import services
from portfolios.demo_bank import kind_for_title
from portfolios.models import (
    AgreementSignature,
    CapabilityFramework,
    Domain,
    Evidence,
    EvidenceFile,
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
    """What seed_demo printed."""
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


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

    # It prints the sign-in address and the logins, nothing else (no mail).
    lines = seeded.splitlines()
    assert len(lines) == 1 + len(DEMO_EMAILS)
    assert "/accounts/login/" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == DEMO_EMAILS
    _assert_evidence_reads_true()
    _assert_files_carry_their_hashes()
    _assert_signatures_on_real_days_in_order()
    _assert_grades_fit_the_stage()
    _assert_each_supervisor_works_in_one_agency()

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


def _assert_evidence_reads_true():
    """Every title says its kind, none repeats within a placement and few across the demo."""
    evidence = list(Evidence.objects.values_list("placement_id", "kind", "title"))
    mismatched = [(kind, title) for _, kind, title in evidence if kind_for_title(title) != kind]
    assert not mismatched
    within = Counter((placement, title) for placement, _, title in evidence)
    assert [key for key, n in within.items() if n > 1] == []
    across = Counter(title for _, _, title in evidence)
    repeated = [title for title, n in across.items() if n > 1]
    assert len(repeated) < len(across) / 8, repeated


def _assert_files_carry_their_hashes():
    files = list(EvidenceFile.objects.all())
    assert len(files) >= 60
    assert {f.content_type for f in files} >= {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    }
    for row in files:
        with row.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == row.sha256


def _assert_signatures_on_real_days_in_order():
    """Each sign-off a day or more after the one before, all in the past and after the
    placement began; agreement signatures on different days too."""
    from assessments.models import Review

    now = timezone.now()
    chains = 0
    for review in Review.objects.select_related("placement"):
        steps = [review.signed_at, review.acknowledged_at, review.countersigned_at]
        steps = [s for s in [*steps, review.panel_at] if s is not None]
        days = [timezone.localdate(s) for s in steps]
        assert days == sorted(set(days)), review
        assert all(s < now for s in steps)
        if steps:
            assert days[0] >= review.placement.start_date
        chains += len(steps) == 4
    assert chains >= 5
    for placement in Placement.objects.all():
        reviews = {r.kind: r.signed_at for r in placement.reviews.all() if r.signed_at}
        if len(reviews) == 2:
            assert reviews[Review.Kind.MIDPOINT] < reviews[Review.Kind.FINAL]
    signed = AgreementSignature.objects.values_list("agreement_id", "signed_at")
    by_agreement: dict = {}
    for agreement, moment in signed:
        by_agreement.setdefault(agreement, []).append(timezone.localdate(moment))
    assert all(len(set(days)) == len(days) for days in by_agreement.values())


def _assert_grades_fit_the_stage():
    """Mostly on track at the midpoint, nobody exceeding there; at most two domains beyond the
    level in a final review; every narrative written for its student and domain."""
    from assessments.models import Judgement, Review

    graded = list(
        Judgement.objects.filter(grade__isnull=False).select_related(
            "grade__scale", "review__placement__grading_scale"
        )
    )
    midpoint = [j for j in graded if j.review.kind == Review.Kind.MIDPOINT]
    on_level = [j for j in midpoint if j.grade.value == j.grade.scale.pass_value]
    assert len(on_level) > 0.85 * len(midpoint)
    assert not [j for j in midpoint if j.grade.value > j.grade.scale.pass_value]
    above = Counter(
        j.review_id
        for j in graded
        if j.review.kind == Review.Kind.FINAL and j.grade.value > j.grade.scale.pass_value
    )
    assert max(above.values()) <= 2
    narratives = [j.narrative for j in graded]
    assert len(set(narratives)) == len(narratives)


def _assert_each_supervisor_works_in_one_agency():
    settings_by_supervisor: dict = {}
    for supervisor, setting in Placement.objects.exclude(supervisor=None).values_list(
        "supervisor", "setting_name"
    ):
        settings_by_supervisor.setdefault(supervisor, set()).add(setting)
    assert len(settings_by_supervisor) >= 5
    assert all(len(s) == 1 for s in settings_by_supervisor.values())
