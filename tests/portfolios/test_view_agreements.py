"""The learning agreement's pages: reading it, drafting and editing it, signing it, and
amending it once signed."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from portfolios import services
from portfolios.models import AgreementSignature, LearningAgreement, Placement
from tests import factories

Status = LearningAgreement.Status
SIGNERS = ["student", "educator", "supervisor", "tutor"]
VIEWERS = [*SIGNERS, "coordinator", "panel"]
DRAFTERS = ["student", "educator"]
NOT_DRAFTERS = ["supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
LOGIN = reverse("accounts:login")
SIGN_BUTTON = "Sign the learning agreement"
DRAFT_BUTTON = "Draft the learning agreement"
AMEND_BUTTON = "Amend the learning agreement"


def url(name: str, placement: Placement) -> str:
    return reverse(f"portfolios:agreement-{name}", kwargs={"pk": placement.pk})


def text(response) -> str:
    return html.unescape(response.content.decode())


def words(response) -> str:
    """The page's text as a reader sees it: no tags, single spaces."""
    return " ".join(strip_tags(text(response)).split())


def domains(placement: Placement) -> list:
    return list(placement.framework.domains.order_by("order"))


def draft(cast, **fields) -> LearningAgreement:
    fields.setdefault("goals", {domains(cast.placement)[1]: "Hold my values under pressure."})
    fields.setdefault("supervision_frequency", "Fortnightly")
    return services.agreement_save(actor=cast.student, placement=cast.placement, **fields)


def signed(cast) -> LearningAgreement:
    agreement = draft(cast)
    for name in SIGNERS:
        services.agreement_sign(actor=getattr(cast, name), agreement=agreement)
    agreement.refresh_from_db()
    return agreement


def form_data(cast, **changes) -> dict:
    first, second = domains(cast.placement)[:2]
    data = {
        "supervision_frequency": "Weekly",
        "supervision_length": "An hour",
        "induction": "Two weeks shadowing the duty team.",
        "study_days": "One a month.",
        "workload": "Three cases, rising to six.",
        "concerns_process": "Speak to the educator first; the tutor is told within a week.",
        "supervisor_role": "Day-to-day case direction.",
        f"goal_{first.pk}": "Keep to professional boundaries.",
        f"goal_{second.pk}": "",
    }
    data.update(changes)
    return data


# --- The agreement page -----------------------------------------------------------------------


@pytest.mark.parametrize("who", VIEWERS)
def test_everyone_on_the_placement_and_its_staff_read_the_agreement(client, cast, who):
    agreement = draft(cast)
    services.agreement_sign(actor=cast.educator, agreement=agreement)
    client.force_login(getattr(cast, who))

    response = client.get(url("detail", cast.placement))

    assert response.status_code == 200
    page = text(response)
    assert "Hold my values under pressure." in page
    assert "Fortnightly" in page
    assert "Still to sign" in page
    assert cast.educator.display_name in page


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_gets_not_found(client, cast, who):
    draft(cast)
    client.force_login(getattr(cast, who))
    for name in ["detail", "edit"]:
        assert client.get(url(name, cast.placement)).status_code == 404
    for name in ["sign", "amend"]:
        assert client.post(url(name, cast.placement), {"reason": "x"}).status_code == 404
    assert not AgreementSignature.objects.exists()


def test_signing_in_is_required(client, cast):
    response = client.get(url("detail", cast.placement))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("who", DRAFTERS)
def test_with_no_agreement_the_student_and_educator_are_offered_a_draft(client, cast, who):
    client.force_login(getattr(cast, who))
    page = text(client.get(url("detail", cast.placement)))
    assert "There is no learning agreement for this placement yet." in page
    assert DRAFT_BUTTON in page


@pytest.mark.parametrize("who", NOT_DRAFTERS)
def test_with_no_agreement_others_are_told_who_drafts_it(client, cast, who):
    client.force_login(getattr(cast, who))
    page = text(client.get(url("detail", cast.placement)))
    assert "There is no learning agreement for this placement yet." in page
    assert DRAFT_BUTTON not in page


def test_goals_are_shown_per_domain_in_framework_order_with_the_frameworks_word(client, cast):
    # A framework in use is frozen, so this placement starts on one that says "competency".
    cast.placement = factories.PlacementFactory(
        student=cast.student,
        educator=cast.educator,
        supervisor=cast.supervisor,
        tutor=cast.tutor,
        programme=factories.ProgrammeFactory(
            university=cast.university, framework__domain_word="competency"
        ),
    )
    first, second, third = domains(cast.placement)[:3]
    draft(cast, goals={third: "Third goal.", first: "First goal."})
    client.force_login(cast.tutor)

    page = text(client.get(url("detail", cast.placement)))

    assert "Learning goals by competency" in page
    assert page.index("First goal.") < page.index(second.name) < page.index("Third goal.")
    assert "No learning goal for this competency." in page


@pytest.mark.parametrize("who", SIGNERS)
def test_the_sign_button_shows_for_someone_who_has_not_signed(client, cast, who):
    draft(cast)
    client.force_login(getattr(cast, who))
    assert SIGN_BUTTON in text(client.get(url("detail", cast.placement)))


def test_the_sign_button_is_gone_once_you_have_signed(client, cast):
    agreement = draft(cast)
    services.agreement_sign(actor=cast.tutor, agreement=agreement)
    client.force_login(cast.tutor)
    assert SIGN_BUTTON not in text(client.get(url("detail", cast.placement)))


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_staff_not_on_the_placement_are_not_offered_the_sign_button(client, cast, who):
    draft(cast)
    client.force_login(getattr(cast, who))
    assert SIGN_BUTTON not in text(client.get(url("detail", cast.placement)))


def test_an_incomplete_draft_says_what_is_missing_instead_of_offering_to_sign(client, cast):
    draft(cast, goals={}, supervision_frequency="")
    client.force_login(cast.educator)

    page = text(client.get(url("detail", cast.placement)))

    assert SIGN_BUTTON not in page
    assert "at least one learning goal" in page
    assert "how often supervision will happen" in page


def test_the_edit_link_shows_only_for_the_student_and_educator_while_unsigned(client, cast):
    agreement = draft(cast)
    edit = url("edit", cast.placement)
    client.force_login(cast.educator)
    assert edit in text(client.get(url("detail", cast.placement)))
    client.force_login(cast.tutor)
    assert edit not in text(client.get(url("detail", cast.placement)))

    services.agreement_sign(actor=cast.tutor, agreement=agreement)
    client.force_login(cast.educator)
    page = text(client.get(url("detail", cast.placement)))
    assert edit not in page
    assert AMEND_BUTTON in page


# --- Drafting and editing ---------------------------------------------------------------------


@pytest.mark.parametrize("who", DRAFTERS)
def test_the_student_or_educator_drafts_the_agreement_on_one_form(client, cast, who):
    client.force_login(getattr(cast, who))
    form_page = text(client.get(url("edit", cast.placement)))
    assert "How often supervision happens" in form_page
    assert domains(cast.placement)[8].name in form_page

    response = client.post(url("edit", cast.placement), form_data(cast))

    assert response.status_code == 302
    assert response.url == url("detail", cast.placement)
    agreement = LearningAgreement.objects.get(placement=cast.placement)
    assert agreement.created_by == getattr(cast, who)
    assert agreement.supervision_frequency == "Weekly"
    assert agreement.concerns_process.startswith("Speak to the educator")
    assert list(agreement.goals.values_list("text", flat=True)) == [
        "Keep to professional boundaries."
    ]


def test_the_edit_form_starts_from_the_current_draft(client, cast):
    draft(cast, induction="A fortnight on duty.")
    client.force_login(cast.educator)
    page = text(client.get(url("edit", cast.placement)))
    assert "A fortnight on duty." in page
    assert "Hold my values under pressure." in page


@pytest.mark.parametrize("who", NOT_DRAFTERS)
def test_others_may_not_draft(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("edit", cast.placement)).status_code == 403
    assert client.post(url("edit", cast.placement), form_data(cast)).status_code == 403
    assert not LearningAgreement.objects.exists()


def test_a_too_long_answer_is_shown_beside_its_field(client, cast):
    client.force_login(cast.student)
    response = client.post(
        url("edit", cast.placement), form_data(cast, supervision_frequency="x" * 200)
    )
    assert response.status_code == 200
    assert "supervision_frequency" in response.context["form"].errors
    assert not LearningAgreement.objects.exists()


def test_editing_after_a_signature_sends_you_to_amend(client, cast):
    agreement = draft(cast)
    services.agreement_sign(actor=cast.tutor, agreement=agreement)
    client.force_login(cast.student)

    response = client.post(url("edit", cast.placement), form_data(cast), follow=True)

    assert "amend it" in text(response)
    agreement.refresh_from_db()
    assert agreement.supervision_frequency == "Fortnightly"


# --- Signing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", SIGNERS)
def test_each_person_on_the_placement_signs_from_the_page(client, cast, who):
    agreement = draft(cast)
    client.force_login(getattr(cast, who))

    response = client.post(url("sign", cast.placement), follow=True)

    assert "You have signed the learning agreement." in text(response)
    assert agreement.signatures.get().user == getattr(cast, who)


def test_the_last_signature_completes_the_agreement(client, cast):
    agreement = draft(cast)
    for name in SIGNERS[:-1]:
        services.agreement_sign(actor=getattr(cast, name), agreement=agreement)
    client.force_login(cast.tutor)

    page = text(client.post(url("sign", cast.placement), follow=True))

    assert "Everyone has now signed" in page
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_posting_a_signature_as_someone_not_on_the_placement_changes_nothing(client, cast, who):
    agreement = draft(cast)
    client.force_login(getattr(cast, who))

    response = client.post(url("sign", cast.placement), follow=True)

    assert "Only the people on this placement sign" in text(response)
    assert not AgreementSignature.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_signing_twice_from_the_page_is_refused_politely(client, cast):
    draft(cast)
    client.force_login(cast.student)
    client.post(url("sign", cast.placement))

    page = text(client.post(url("sign", cast.placement), follow=True))

    assert "You have already signed this learning agreement" in page
    assert AgreementSignature.objects.count() == 1


def test_signing_is_a_post(client, cast):
    draft(cast)
    client.force_login(cast.student)
    assert client.get(url("sign", cast.placement)).status_code == 405
    assert not AgreementSignature.objects.exists()


def test_signing_before_there_is_an_agreement_is_not_found(client, cast):
    client.force_login(cast.student)
    assert client.post(url("sign", cast.placement)).status_code == 404


# --- Amending ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", DRAFTERS)
def test_the_student_or_educator_amends_a_signed_agreement(client, cast, who):
    old = signed(cast)
    client.force_login(getattr(cast, who))

    response = client.post(url("amend", cast.placement), {"reason": "Supervision is weekly now."})

    assert response.status_code == 302
    assert response.url == url("edit", cast.placement)
    new = services.agreement_current(placement=cast.placement)
    assert new.version == 2
    assert new.amendment_reason == "Supervision is weekly now."
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED


def test_the_reason_is_required_and_shown_beside_the_field(client, cast):
    old = signed(cast)
    client.force_login(cast.educator)

    response = client.post(url("amend", cast.placement), {"reason": "  "})

    assert response.status_code == 200
    assert response.context["amend_form"].errors["reason"] == [
        "Please give the reason for the amendment."
    ]
    assert LearningAgreement.objects.count() == 1
    old.refresh_from_db()
    assert old.status == Status.SIGNED


@pytest.mark.parametrize("who", NOT_DRAFTERS)
def test_others_may_not_amend(client, cast, who):
    signed(cast)
    client.force_login(getattr(cast, who))
    response = client.post(url("amend", cast.placement), {"reason": "Because."})
    assert response.status_code == 403
    assert LearningAgreement.objects.count() == 1


def test_earlier_versions_are_listed_with_their_reason_and_signatures(client, cast):
    signed(cast)
    services.agreement_amend(
        actor=cast.educator,
        agreement=services.agreement_current(placement=cast.placement),
        reason="The on-site supervisor changed.",
    )
    client.force_login(cast.panel)

    page = words(client.get(url("detail", cast.placement)))

    assert f"Version 2 · amended by {cast.educator.display_name}" in page
    assert "Why this version was made: The on-site supervisor changed." in page
    assert "Earlier versions" in page
    assert "Version 1, signed by everyone on" in page
    assert "Replaced by version 2 because: The on-site supervisor changed." in page
    assert f"Tutor: {cast.tutor.display_name}" in page


def test_the_amended_version_is_signed_afresh_from_the_page(client, cast):
    old = signed(cast)
    services.agreement_amend(actor=cast.educator, agreement=old, reason="New supervisor.")
    client.force_login(cast.student)

    assert SIGN_BUTTON in text(client.get(url("detail", cast.placement)))
    client.post(url("sign", cast.placement))

    new = services.agreement_current(placement=cast.placement)
    assert new.signatures.get().user == cast.student
    assert old.signatures.count() == 4


def test_the_page_runs_the_same_number_of_queries_however_many_versions(client, cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("detail", cast.placement)).status_code == 200
        return len(captured)

    signed(cast)
    client.force_login(cast.student)
    one_version = queries()
    for n in range(3):
        current = services.agreement_current(placement=cast.placement)
        services.agreement_amend(actor=cast.student, agreement=current, reason=f"Change {n}")
        current = services.agreement_current(placement=cast.placement)
        for name in SIGNERS:
            services.agreement_sign(actor=getattr(cast, name), agreement=current)

    assert queries() == one_version


def test_a_placement_without_a_supervisor_does_not_wait_for_one(client, cast):
    placement = factories.PlacementFactory(supervisor=None)
    services.agreement_save(
        actor=placement.student,
        placement=placement,
        goals={domains(placement)[0]: "Learn."},
        supervision_frequency="Weekly",
    )
    client.force_login(placement.tutor)
    page = text(client.get(url("detail", placement)))
    assert "On-site supervisor" not in page
    assert "Still to sign" in page


# --- The admin --------------------------------------------------------------------------------


def admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


def test_the_admin_shows_a_signed_agreement_but_cannot_change_or_delete_it(client, cast):
    agreement = signed(cast)
    goal = agreement.goals.get()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    assert client.get(admin_url(agreement)).status_code == 200
    response = client.post(admin_url(agreement), {"supervision_frequency": "Never"})
    assert response.status_code == 403
    assert client.post(admin_url(agreement, "delete"), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(goal), {"text": "Changed."}).status_code == 403
    signature = agreement.signatures.first()
    assert client.post(admin_url(signature, "delete"), {"post": "yes"}).status_code == 403

    agreement.refresh_from_db()
    goal.refresh_from_db()
    assert agreement.supervision_frequency == "Fortnightly"
    assert goal.text == "Hold my values under pressure."
    assert agreement.signatures.count() == 4


def test_the_admin_may_correct_a_draft_nobody_has_signed(client, cast):
    agreement = draft(cast)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    page = text(client.get(admin_url(agreement)))
    assert 'name="supervision_frequency"' in page
