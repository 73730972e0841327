"""Drafts are checked for likely identifiers when they are saved, not only on submission: the
save is refused with each finding beside the field it is in, until the student changes the text
or ticks that it does not identify anyone. Comments are checked the same way."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import ConfidentialityConfirmation, Evidence, EvidenceComment
from portfolios.services.evidence import IdentifiersFound, MappingInput

Kind = Evidence.Kind
NHS_NUMBER = "943 476 5919"


@pytest.fixture
def listed(cast):
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Funmi Adebayo", "Leon Walsh"]
    )
    return cast


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def first_domain(cast):
    return cast.placement.framework.domains.get(order=1)


def create(cast, **changes) -> Evidence:
    kwargs = {
        "actor": cast.student,
        "placement": cast.placement,
        "kind": Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": a_day_ago(),
        "reflection": "I listened more than I spoke.",
        "mappings": [MappingInput(first_domain(cast), "I kept to my role.")],
    }
    kwargs.update(changes)
    return services.evidence_create(**kwargs)


def refused(cast, **changes) -> dict:
    with pytest.raises(IdentifiersFound) as refusal:
        create(cast, **changes)
    return {field: [f.text for f in found] for field, found in refusal.value.findings.items()}


def form_data(cast, **changes) -> dict:
    one = first_domain(cast)
    data = {
        "kind": Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": a_day_ago().isoformat(),
        "reflection": "I listened more than I spoke.",
        f"map_{one.pk}": "on",
        f"note_{one.pk}": "I kept to my role as a student.",
    }
    data.update(changes)
    return data


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- The service ------------------------------------------------------------------------------


def test_a_title_with_a_postcode_is_not_saved(listed):
    assert refused(listed, title="Home visit at SW1A 1AA") == {"title": ["SW1A 1AA"]}
    assert not Evidence.objects.exists()


def test_a_listed_persons_surname_with_a_title_in_the_reflection_is_not_saved(listed):
    assert refused(listed, reflection="I met Mrs Adebayo at home.") == {
        "reflection": ["Mrs Adebayo"]
    }


def test_a_mapping_note_is_checked_and_reported_beside_that_note(listed):
    domain = first_domain(listed)
    found = refused(listed, mappings=[MappingInput(domain, "Leon's views came first.")])
    assert found == {f"note_{domain.pk}": ["Leon"]}


def test_the_observation_and_supervision_texts_are_checked(listed):
    observation = {
        "planning_notes": "We planned to meet F. Adebayo.",
        "observation_record": "Called 07700 900123.",
        "observer": "educator",
    }
    assert refused(listed, kind=Kind.DIRECT_OBSERVATION, details=observation) == {
        "planning_notes": ["F. Adebayo"],
        "observation_record": ["07700 900123"],
    }
    supervision = {
        "attendees": "Me and my educator",
        "agenda": "Mr Walsh",
        "notes": "leon@example.com",
        "agreed_actions": "Ring Funmi",
    }
    assert refused(listed, kind=Kind.SUPERVISION, details=supervision) == {
        "agenda": ["Mr Walsh"],
        "supervision_notes": ["leon@example.com"],
        "agreed_actions": ["Funmi"],
    }


def test_the_text_of_an_uploaded_file_is_checked(listed):
    upload = SimpleUploadedFile("visit notes.txt", f"NHS {NHS_NUMBER}\n".encode())
    assert refused(listed, files=[upload]) == {"files": [NHS_NUMBER]}


def test_a_held_upload_is_checked_and_stays_held_when_the_save_is_refused(listed):
    held, _ = services.pending_uploads_store(
        actor=listed.student,
        placement=listed.placement,
        files=[SimpleUploadedFile("notes.txt", b"Leon Walsh was there.\n")],
    )
    assert refused(listed, pending=held) == {"files": ["Leon Walsh"]}
    assert held[0].__class__.objects.filter(pk=held[0].pk).exists()


def test_confirming_every_finding_saves_and_keeps_only_fingerprints(listed):
    with pytest.raises(IdentifiersFound) as refusal:
        create(listed, title="Visit to Leon", reflection="Leon and Mrs Adebayo.")
    confirm = [f.fingerprint for fs in refusal.value.findings.values() for f in fs]
    evidence = create(
        listed,
        title="Visit to Leon",
        reflection="Leon and Mrs Adebayo.",
        confirmed_fingerprints=confirm,
    )
    stored = set(evidence.confidentiality_confirmations.values_list("fingerprint", flat=True))
    assert stored == set(confirm)
    assert len(stored) == 2
    assert not any("Leon" in fp or "Adebayo" in fp for fp in stored)
    assert services.evidence.evidence_confidentiality_findings(evidence=evidence) == []


def test_confirming_one_finding_is_not_enough_for_another(listed):
    with pytest.raises(IdentifiersFound) as refusal:
        create(listed, reflection="Leon and Mrs Adebayo.")
    leon = refusal.value.findings["reflection"][0].fingerprint
    assert refused(listed, reflection="Leon and Mrs Adebayo.", confirmed_fingerprints=[leon]) == {
        "reflection": ["Mrs Adebayo"]
    }
    assert not ConfidentialityConfirmation.objects.exists()


def test_a_change_is_checked_too_and_earlier_confirmations_still_count(listed):
    evidence = create(listed)
    kwargs = {
        "actor": listed.student,
        "evidence": evidence,
        "kind": Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": a_day_ago(),
        "mappings": [MappingInput(first_domain(listed), "I kept to my role.")],
    }
    with pytest.raises(IdentifiersFound) as refusal:
        services.evidence_update(**kwargs, reflection="Leon spoke first.")
    evidence.refresh_from_db()
    assert evidence.reflection == "I listened more than I spoke."
    [finding] = refusal.value.findings["reflection"]
    services.evidence_update(
        **kwargs, reflection="Leon spoke first.", confirmed_fingerprints=[finding.fingerprint]
    )
    services.evidence_update(**kwargs, reflection="Leon spoke first, then his sister.")
    evidence.refresh_from_db()
    assert evidence.reflection == "Leon spoke first, then his sister."


def test_a_comment_naming_a_listed_person_is_refused_until_confirmed(listed):
    evidence = services.evidence_submit(actor=listed.student, evidence=create(listed))
    with pytest.raises(IdentifiersFound) as refusal:
        services.evidence_comment_add(
            actor=listed.educator, evidence=evidence, text="Did Mr Walsh agree?"
        )
    assert not EvidenceComment.objects.exists()
    [finding] = refusal.value.findings["text"]
    services.evidence_comment_add(
        actor=listed.educator,
        evidence=evidence,
        text="Did Mr Walsh agree?",
        confirmed_fingerprints=[finding.fingerprint],
    )
    assert EvidenceComment.objects.count() == 1


def test_the_refusal_message_names_the_kind_of_identifier_not_the_text(listed):
    with pytest.raises(IdentifiersFound) as refusal:
        create(listed, title="Leon at SW1A 1AA")
    [message] = refusal.value.message_dict["title"]
    assert "name on your 'keep out' list and postcode" in message
    assert "Leon" not in message
    assert "SW1A" not in message


# --- The form ---------------------------------------------------------------------------------


def create_url(cast) -> str:
    return reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})


def test_the_form_shows_each_finding_beside_its_field_with_a_box_to_confirm(client, listed):
    client.force_login(listed.student)
    domain = first_domain(listed)
    data = form_data(listed, title="Visit to SW1A 1AA", **{f"note_{domain.pk}": "Mrs Adebayo led."})
    response = client.post(create_url(listed), data)
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    form = response.context["form"]
    assert "This may identify someone (postcode)" in " ".join(form.errors["title"])
    assert "name on your 'keep out' list" in " ".join(form.errors[f"note_{domain.pk}"])
    page = page_text(response)
    title_box = page.index('id="confirm-title-1"')
    note_box = page.index(f'id="confirm-note_{domain.pk}-1"')
    assert page.index('name="title"') < title_box < page.index('name="reflection"')
    assert page.index(f'name="note_{domain.pk}"') < note_box
    assert "“SW1A 1AA” does not identify anyone" in page
    assert "Visit to <mark>SW1A 1AA</mark>" in page


def test_ticking_the_boxes_saves_the_draft(client, listed):
    client.force_login(listed.student)
    data = form_data(listed, title="Visit to Leon", reflection="I met Leon at SW1A 1AA.")
    findings = client.post(create_url(listed), data).context["findings"]
    confirm = {f.fingerprint for fs in findings.values() for f in fs}
    assert len(confirm) == 2  # one tick for "Leon" answers for it in the title and reflection
    response = client.post(create_url(listed), {**data, "confirm": sorted(confirm)})
    assert response.status_code == 302
    assert Evidence.objects.get().title == "Visit to Leon"


def test_boxes_already_ticked_are_kept_while_the_student_fixes_something_else(client, listed):
    client.force_login(listed.student)
    data = form_data(listed, title="Visit to Leon")
    [finding] = client.post(create_url(listed), data).context["findings"]["title"]
    response = client.post(
        create_url(listed), {**data, "reflection": "Funmi", "confirm": [finding.fingerprint]}
    )
    assert list(response.context["findings"]) == ["reflection"]
    assert f'type="hidden" name="confirm" value="{finding.fingerprint}"' in page_text(response)


def test_a_refused_comment_keeps_what_was_typed_with_the_finding_beside_it(client, listed):
    evidence = services.evidence_submit(actor=listed.student, evidence=create(listed))
    client.force_login(listed.educator)
    target = reverse("portfolios:evidence-comment", kwargs={"pk": evidence.pk})
    response = client.post(target, {"text": "Did Mr Walsh agree?"})
    assert response.status_code == 200
    page = page_text(response)
    assert "Did Mr Walsh agree?</textarea>" in page
    assert "“Mr Walsh” does not identify anyone" in page
    assert not EvidenceComment.objects.exists()
    [finding] = response.context["findings"]["text"]
    client.post(target, {"text": "Did Mr Walsh agree?", "confirm": [finding.fingerprint]})
    assert EvidenceComment.objects.get().text == "Did Mr Walsh agree?"
