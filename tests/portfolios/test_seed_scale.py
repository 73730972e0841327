import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from accounts.models import User
from accounts.roles import Role
from assessments.models import Judgement, JudgementEvidence, Review, SignedReport
from portfolios import scale
from portfolios.models import (
    Evidence,
    EvidenceMapping,
    Placement,
    PlacementUserObjectPermission,
    University,
)
from portfolios.models.immutability import LockedError
from portfolios.permissions import expected_permissions
from portfolios.scale import MAIN_EVIDENCE, Sizes, handle_email, seed_scale
from portfolios.selectors import evidence_list_for_placement, placements_visible_to

pytestmark = pytest.mark.django_db

TINY = ["--universities", "2", "--placements", "6", "--largest", "4"]
TINY += ["--evidence-per-placement", "5", "--seed", "7"]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *(args or TINY), stdout=out)
    return out.getvalue()


def person(handle: str, university: int = 1) -> User:
    return User.objects.get(email=handle_email(handle, university))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the module (each test still runs in its own rolled-back transaction),
    then flushed as pytest-django flushes after a transactional test. The stored reports
    live in a media root of the module's own, returned beside the output."""
    media = tmp_path_factory.mktemp("seeded-media")
    with django_db_blocker.unblock():
        try:
            with override_settings(MEDIA_ROOT=media):
                output = seed()
            yield output, media
        finally:
            call_command("flush", interactive=False, verbosity=0)


def placement_of(handle: str) -> Placement:
    return Placement.objects.get(student=person(handle))


class RolledBack(Exception):
    pass


def test_the_same_seed_gives_the_same_data(db):
    # Runs before the module's seeded data exists (it is made on first use, below).
    assert not University.objects.exists()
    sizes = Sizes(universities=1, placements=3, largest=3, evidence_per_placement=2)
    with pytest.raises(RolledBack), transaction.atomic():
        seed_scale(sizes=sizes)
        first = sorted(Evidence.objects.values_list("id", "title", "reflection"))
        raise RolledBack
    assert not Evidence.objects.exists()
    seed_scale(sizes=sizes)
    assert sorted(Evidence.objects.values_list("id", "title", "reflection")) == first


def test_it_creates_the_sizes_asked_for_and_reports_the_counts(seeded):
    assert University.objects.count() == 2
    assert Placement.objects.count() == 6
    largest, other = University.objects.order_by("name")
    sizes = {
        u.name: Placement.objects.filter(programme__university=u).count() for u in (largest, other)
    }
    assert sorted(sizes.values()) == [2, 4]
    # The counts follow the "Seeded ..." line; progress lines before it vary by database.
    lines = seeded[0].splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("Seeded "))
    printed = dict(line.rsplit(None, 1) for line in lines[summary + 1 :])
    printed = {name.strip(): int(n.replace(",", "")) for name, n in printed.items()}
    assert printed["evidence"] == Evidence.objects.count()
    assert printed["judgement"] == Judgement.objects.count()
    assert printed["signed report"] == SignedReport.objects.count()
    assert Evidence.objects.filter(placement__student=person("student")).count() == MAIN_EVIDENCE
    assert EvidenceMapping.objects.count() >= 2 * Evidence.objects.count()
    assert JudgementEvidence.objects.exists()


def test_every_placement_carries_exactly_the_permissions_of_its_people(seeded):
    for placement in Placement.objects.all():
        held = set(
            PlacementUserObjectPermission.objects.filter(content_object=placement).values_list(
                "user_id", "permission__codename"
            )
        )
        assert held == expected_permissions(placement)


def test_the_fixed_logins_hold_their_roles_and_no_usable_password(seeded):
    for handle, role in [
        ("coordinator", Role.COORDINATOR),
        ("panel", Role.PANEL),
        ("tutor", Role.TUTOR),
        ("supervisor", Role.SUPERVISOR),
        ("educator", Role.EDUCATOR),
        ("student", Role.STUDENT),
    ]:
        user = person(handle)
        assert user.has_role(role)
        assert not user.has_usable_password()


def test_the_educator_and_student_see_their_placement_through_the_selectors(seeded):
    main = placement_of("student")
    educator, student = person("educator"), person("student")
    assert main.educator == educator and main.supervisor == person("supervisor")
    assert placements_visible_to(user=educator).filter(pk=main.pk).exists()
    assert list(placements_visible_to(user=student)) == [main]
    assert evidence_list_for_placement(user=educator, placement=main).count() == (
        main.evidence.exclude(status=Evidence.Status.DRAFT).count()
    )


def test_a_stranger_and_the_other_universitys_coordinator_do_not_see_it(seeded):
    main = placement_of("student")
    assert not placements_visible_to(user=person("student", 2)).filter(pk=main.pk).exists()
    assert not placements_visible_to(user=person("coordinator", 2)).filter(pk=main.pk).exists()
    overseen = placements_visible_to(user=person("coordinator"))
    assert overseen.count() == 4 and overseen.filter(pk=main.pk).exists()


def test_the_main_student_has_a_draft_final_review_citing_evidence(seeded):
    final = Review.objects.get(placement=placement_of("student"), kind=Review.Kind.FINAL)
    assert final.status == Review.Status.DRAFT and final.locked_at is None
    judgements = final.judgements.all()
    assert judgements.count() == 9
    assert JudgementEvidence.objects.filter(judgement__review=final).count() >= 9


def test_a_stored_reports_sha256_matches_its_file(seeded, settings):
    settings.MEDIA_ROOT = seeded[1]
    signed = Review.objects.get(placement=placement_of("student-signed"), kind=Review.Kind.FINAL)
    assert signed.status == Review.Status.SIGNED and signed.locked_at == signed.signed_at
    report = SignedReport.objects.get(review=signed)
    with report.pdf.open("rb") as stored:
        body = stored.read()
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == report.sha256 and len(body) == report.size
    others = SignedReport.objects.exclude(pk=report.pk).values_list("sha256", flat=True)
    assert report.sha256 not in set(others)


def test_signed_content_refuses_a_change_as_usual(seeded):
    signed = Review.objects.get(placement=placement_of("student-signed"), kind=Review.Kind.FINAL)
    judgement = Judgement.objects.filter(review=signed).first()
    judgement.narrative = "Rewritten after signing."
    with pytest.raises(LockedError):
        judgement.save()
    cited = Evidence.objects.filter(citations__judgement__review=signed).first()
    assert cited.locked_at is not None
    with pytest.raises(LockedError):
        Evidence.objects.filter(pk=cited.pk).update(title="Rewritten")
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE assessments_judgement SET narrative = 'x' WHERE id = %s", [judgement.pk]
            )


def test_history_rows_are_left_where_the_services_leave_them(seeded):
    signed = Review.objects.get(placement=placement_of("student-signed"), kind=Review.Kind.FINAL)
    kinds = list(signed.history.order_by("history_date").values_list("history_type", "status"))
    assert kinds[0] == ("+", Review.Status.DRAFT) and kinds[-1] == ("~", Review.Status.SIGNED)
    item = placement_of("student").evidence.exclude(status=Evidence.Status.DRAFT).first()
    assert item.history.filter(history_type="+").count() == 1


def test_a_second_run_creates_nothing_and_says_so(seeded):
    before = (Placement.objects.count(), Evidence.objects.count(), User.objects.count())
    assert "Nothing to do" in seed()
    assert (Placement.objects.count(), Evidence.objects.count(), User.objects.count()) == before


def test_other_sizes_on_top_of_seeded_data_are_refused_with_a_reason(seeded):
    with pytest.raises(CommandError, match="already has 2 placements, not 3"):
        seed(*TINY[:2], "--placements", "7", *TINY[4:])
    assert Placement.objects.count() == 6


def test_a_known_password_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    before = User.objects.count()
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        seed("--universities", "1", "--placements", "2", "--password", "practice-demo")
    assert User.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and triggers: PostgreSQL")
def test_its_bulk_copy_still_meets_the_lock_triggers(seeded):
    """The copy tells pgtrigger to ignore nothing (so its check is cheap); the locks hold."""
    signed = Review.objects.get(placement=placement_of("student-signed"), kind=Review.Kind.FINAL)
    judgement = Judgement.objects.filter(review=signed).first()
    evidence = Evidence.objects.filter(placement=signed.placement).first()
    columns = ["judgement_id", "evidence_id", "order"]
    with pytest.raises(Exception, match="locked"), transaction.atomic():
        scale._copy(JudgementEvidence, columns, [(judgement.pk, evidence.pk, 99)])
