"""The learning agreement's services: drafting, signing by everyone on the placement, and
amending a signed agreement into a new version with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portfolios import services
from portfolios.models import AgreementSignature, LearningAgreement, LearningGoal, Placement
from tests import factories

Status = LearningAgreement.Status
Role = AgreementSignature.Role
SIGNERS = ["student", "educator", "supervisor", "tutor"]


def domains(placement: Placement) -> list:
    return list(placement.framework.domains.order_by("order"))


def draft(placement: Placement, actor, **fields) -> LearningAgreement:
    first, second = domains(placement)[:2]
    fields.setdefault("goals", {first: "Run an assessment visit.", second: "Hold my values."})
    fields.setdefault("supervision_frequency", "Fortnightly")
    fields.setdefault("supervision_length", "90 minutes")
    fields.setdefault("workload", "Four cases by the midpoint.")
    return services.agreement_save(actor=actor, placement=placement, **fields)


def sign_all(cast, agreement: LearningAgreement) -> LearningAgreement:
    for name in SIGNERS:
        agreement = services.agreement_sign(actor=getattr(cast, name), agreement=agreement)
    return agreement


def roles_signed(agreement: LearningAgreement) -> set[str]:
    return set(agreement.signatures.values_list("role", flat=True))


# --- Drafting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("drafter", ["student", "educator"])
def test_the_student_or_the_educator_drafts_version_one(cast, drafter):
    agreement = draft(cast.placement, getattr(cast, drafter))

    agreement.refresh_from_db()
    assert agreement.version == 1
    assert agreement.status == Status.DRAFT
    assert agreement.created_by == getattr(cast, drafter)
    assert agreement.supervision_frequency == "Fortnightly"
    first, second = domains(cast.placement)[:2]
    assert dict(agreement.goals.values_list("domain", "text")) == {
        first.pk: "Run an assessment visit.",
        second.pk: "Hold my values.",
    }


def test_saving_again_updates_the_same_draft_and_a_blank_goal_removes_it(cast):
    first, second, third = domains(cast.placement)[:3]
    draft(cast.placement, cast.student)

    agreement = draft(
        cast.placement,
        cast.educator,
        goals={first: "  ", second: "Hold my values better.", third: "Use research."},
        supervision_frequency="Weekly",
    )

    assert LearningAgreement.objects.filter(placement=cast.placement).count() == 1
    agreement.refresh_from_db()
    assert agreement.supervision_frequency == "Weekly"
    assert dict(agreement.goals.values_list("domain", "text")) == {
        second.pk: "Hold my values better.",
        third.pk: "Use research.",
    }


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "other_educator"])
def test_only_the_student_or_educator_may_draft(cast, who):
    with pytest.raises(PermissionDenied):
        draft(cast.placement, getattr(cast, who))
    assert not LearningAgreement.objects.exists()


def test_goals_from_another_framework_are_refused(cast):
    elsewhere = domains(cast.other_placement)[0]
    assert elsewhere.framework_id != cast.placement.framework_id

    with pytest.raises(ValidationError) as error:
        draft(cast.placement, cast.student, goals={elsewhere: "Learn something."})

    assert "this placement's domains" in " ".join(error.value.messages)
    assert not LearningAgreement.objects.exists()


def test_a_draft_can_be_saved_part_written(cast):
    agreement = draft(cast.placement, cast.student, goals={}, supervision_frequency="")
    assert agreement.pk is not None and not agreement.goals.exists()


def test_editing_is_refused_once_anyone_has_signed(cast):
    agreement = draft(cast.placement, cast.student)
    services.agreement_sign(actor=cast.tutor, agreement=agreement)

    with pytest.raises(ValidationError) as error:
        draft(cast.placement, cast.educator, supervision_frequency="Monthly")

    assert "amend it instead" in " ".join(error.value.messages)
    agreement.refresh_from_db()
    assert agreement.supervision_frequency == "Fortnightly"


def test_a_closed_placement_takes_no_new_agreement(cast):
    Placement.objects.filter(pk=cast.placement.pk).update(status=Placement.Status.RATIFIED)
    cast.placement.refresh_from_db()
    with pytest.raises(ValidationError):
        draft(cast.placement, cast.student)
    assert not LearningAgreement.objects.exists()


# --- Signing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SIGNERS)
def test_each_person_on_the_placement_signs_in_their_own_part(cast, name):
    agreement = draft(cast.placement, cast.student)

    services.agreement_sign(actor=getattr(cast, name), agreement=agreement)

    signature = agreement.signatures.get()
    assert signature.role == name
    assert signature.user == getattr(cast, name)
    assert signature.signed_at is not None
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT
    assert agreement.signed_at is None


def test_it_is_signed_when_the_last_required_person_signs(cast):
    agreement = draft(cast.placement, cast.student)
    for name in SIGNERS[:-1]:
        services.agreement_sign(actor=getattr(cast, name), agreement=agreement)
        agreement.refresh_from_db()
        assert agreement.status == Status.DRAFT

    services.agreement_sign(actor=cast.tutor, agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    assert agreement.signed_at == agreement.signatures.get(role=Role.TUTOR).signed_at
    assert roles_signed(agreement) == set(SIGNERS)


def test_the_supervisor_signs_only_when_the_placement_has_one(cast):
    placement = factories.PlacementFactory(supervisor=None)
    agreement = draft(placement, placement.student)
    for person in (placement.student, placement.educator, placement.tutor):
        services.agreement_sign(actor=person, agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    assert roles_signed(agreement) == {"student", "educator", "tutor"}


def test_with_a_supervisor_the_agreement_waits_for_their_signature(cast):
    agreement = draft(cast.placement, cast.student)
    for name in ["student", "educator", "tutor"]:
        services.agreement_sign(actor=getattr(cast, name), agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


@pytest.mark.parametrize(
    "who", ["coordinator", "panel", "other_student", "other_educator", "other_tutor"]
)
def test_someone_not_on_the_placement_cannot_sign_and_nothing_changes(cast, who):
    agreement = draft(cast.placement, cast.student)

    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=getattr(cast, who), agreement=agreement)

    assert not AgreementSignature.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_a_superuser_is_not_on_the_placement_either(cast):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    agreement = draft(cast.placement, cast.student)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=admin, agreement=agreement)
    assert not AgreementSignature.objects.exists()


def test_signing_twice_is_refused_politely(cast):
    agreement = draft(cast.placement, cast.student)
    services.agreement_sign(actor=cast.educator, agreement=agreement)

    with pytest.raises(ValidationError) as error:
        services.agreement_sign(actor=cast.educator, agreement=agreement)

    assert "already signed" in " ".join(error.value.messages)
    assert agreement.signatures.count() == 1


def test_signing_a_fully_signed_agreement_again_changes_nothing(cast):
    agreement = sign_all(cast, draft(cast.placement, cast.student))
    agreement.refresh_from_db()
    signed_at = agreement.signed_at

    with pytest.raises(ValidationError):
        services.agreement_sign(actor=cast.student, agreement=agreement)

    agreement.refresh_from_db()
    assert agreement.signed_at == signed_at
    assert agreement.signatures.count() == 4


def test_it_cannot_be_signed_without_a_goal_or_the_supervision_frequency(cast):
    agreement = draft(cast.placement, cast.student, goals={}, supervision_frequency="")

    with pytest.raises(ValidationError) as error:
        services.agreement_sign(actor=cast.student, agreement=agreement)

    said = " ".join(error.value.messages)
    assert "at least one learning goal" in said
    assert "how often supervision will happen" in said
    assert not agreement.signatures.exists()


def test_one_person_in_two_parts_signs_for_both_at_once(cast):
    placement = factories.PlacementFactory(supervisor=factories.EducatorFactory())
    placement.supervisor = placement.educator
    Placement.objects.filter(pk=placement.pk).update(supervisor=placement.educator)
    agreement = draft(placement, placement.student)

    services.agreement_sign(actor=placement.educator, agreement=agreement)

    assert roles_signed(agreement) == {"educator", "supervisor"}


# --- Amending ---------------------------------------------------------------------------------


def test_amending_makes_version_two_with_the_reason_and_no_signatures(cast):
    first, second = domains(cast.placement)[:2]
    old = sign_all(cast, draft(cast.placement, cast.student, induction="A week shadowing."))

    new = services.agreement_amend(
        actor=cast.educator, agreement=old, reason="  The team moved to weekly supervision. "
    )

    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert old.signatures.count() == 4
    assert new.version == 2
    assert new.previous == old
    assert new.status == Status.DRAFT
    assert new.amendment_reason == "The team moved to weekly supervision."
    assert new.created_by == cast.educator
    assert new.induction == "A week shadowing."
    assert new.supervision_frequency == "Fortnightly"
    assert not new.signatures.exists()
    assert dict(new.goals.values_list("domain", "text")) == {
        first.pk: "Run an assessment visit.",
        second.pk: "Hold my values.",
    }
    assert services.agreement_current(placement=cast.placement) == new


def test_the_amended_draft_is_edited_and_signed_afresh_while_the_old_one_stays(cast):
    old = sign_all(cast, draft(cast.placement, cast.student))
    services.agreement_amend(actor=cast.student, agreement=old, reason="New team.")

    new = draft(cast.placement, cast.student, supervision_frequency="Weekly")
    new = sign_all(cast, new)

    new.refresh_from_db()
    old.refresh_from_db()
    assert new.version == 2 and new.status == Status.SIGNED
    assert old.supervision_frequency == "Fortnightly"
    assert old.status == Status.SUPERSEDED


def test_a_partly_signed_agreement_can_be_amended(cast):
    old = draft(cast.placement, cast.student)
    services.agreement_sign(actor=cast.student, agreement=old)

    new = services.agreement_amend(actor=cast.educator, agreement=old, reason="Dates moved.")

    assert new.version == 2
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED


def test_an_amendment_needs_a_reason(cast):
    old = sign_all(cast, draft(cast.placement, cast.student))

    with pytest.raises(ValidationError) as error:
        services.agreement_amend(actor=cast.educator, agreement=old, reason="   ")

    assert error.value.message_dict == {"reason": ["Please give the reason for the amendment."]}
    old.refresh_from_db()
    assert old.status == Status.SIGNED
    assert LearningAgreement.objects.count() == 1


def test_an_unsigned_draft_is_edited_not_amended(cast):
    agreement = draft(cast.placement, cast.student)
    with pytest.raises(ValidationError):
        services.agreement_amend(actor=cast.student, agreement=agreement, reason="Why not.")
    assert LearningAgreement.objects.count() == 1


def test_a_superseded_version_is_neither_amended_signed_nor_edited_again(cast):
    old = sign_all(cast, draft(cast.placement, cast.student))
    services.agreement_amend(actor=cast.student, agreement=old, reason="New team.")
    old.refresh_from_db()

    with pytest.raises(ValidationError):
        services.agreement_amend(actor=cast.student, agreement=old, reason="Again.")
    with pytest.raises(ValidationError):
        services.agreement_sign(actor=cast.student, agreement=old)
    assert LearningAgreement.objects.count() == 2
    assert old.signatures.count() == 4


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "other_student"])
def test_only_the_student_or_educator_may_amend(cast, who):
    old = sign_all(cast, draft(cast.placement, cast.student))

    with pytest.raises(PermissionDenied):
        services.agreement_amend(actor=getattr(cast, who), agreement=old, reason="Because.")

    old.refresh_from_db()
    assert old.status == Status.SIGNED
    assert LearningAgreement.objects.count() == 1


def test_goals_are_kept_in_framework_order(cast):
    first, second, third = domains(cast.placement)[:3]
    agreement = draft(cast.placement, cast.student, goals={third: "C", first: "A", second: "B"})
    assert [g.text for g in LearningGoal.objects.filter(agreement=agreement)] == ["A", "B", "C"]
