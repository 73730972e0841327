"""Adding and changing evidence through the form: only the student, only while it is a draft
or sent back, and every mistake explained beside its field with what was typed kept."""

import datetime
import html
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import (
    DirectObservation,
    Evidence,
    EvidenceMapping,
    ObservationFeedback,
    SupervisionRecord,
)
from portfolios.services.evidence import MappingInput

STAFF = ["educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
LOGIN = reverse("accounts:login")
Kind = Evidence.Kind
Status = Evidence.Status


def create_url(placement) -> str:
    return reverse("portfolios:evidence-create", kwargs={"pk": placement.pk})


def update_url(evidence) -> str:
    return reverse("portfolios:evidence-update", kwargs={"pk": evidence.pk})


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def domain(placement, order: int):
    return placement.framework.domains.get(order=order)


def form_data(cast, **changes) -> dict:
    one = domain(cast.placement, 1)
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


def text(response) -> str:
    """The page as a reader sees it, entities and all decoded."""
    return html.unescape(response.content.decode())


def field_error(response, name: str) -> str:
    """The message crispy or our template shows beside one field."""
    form = response.context["form"]
    return " ".join(form.errors.get(name, []))


def draft(cast, **changes) -> Evidence:
    kwargs = {
        "actor": cast.student,
        "placement": cast.placement,
        "kind": Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": a_day_ago(),
        "reflection": "I listened more than I spoke.",
        "mappings": [MappingInput(domain(cast.placement, 1), "I kept to my role.")],
    }
    kwargs.update(changes)
    return services.evidence_create(**kwargs)


def submitted(cast, **changes) -> Evidence:
    return services.evidence_submit(actor=cast.student, evidence=draft(cast, **changes))


def accepted(cast, **changes) -> Evidence:
    return services.evidence_review(
        actor=cast.educator, evidence=submitted(cast, **changes), accept=True
    )


# --- Adding evidence: who may -----------------------------------------------------------------


def test_the_student_sees_the_form_with_every_domain_of_their_framework(client, cast):
    client.force_login(cast.student)
    response = client.get(create_url(cast.placement))
    assert response.status_code == 200
    page = text(response)
    for d in cast.placement.framework.domains.all():
        assert f"{d.order}. {d.name}" in page
        assert f'name="map_{d.pk}"' in page
        assert f'name="note_{d.pk}"' in page


@pytest.mark.parametrize("who", STAFF)
def test_the_placements_staff_cannot_add_evidence_for_the_student(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(create_url(cast.placement)).status_code == 403
    assert client.post(create_url(cast.placement), form_data(cast)).status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_even_find_the_form(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(create_url(cast.placement)).status_code == 404
    assert client.post(create_url(cast.placement), form_data(cast)).status_code == 404
    assert not Evidence.objects.exists()


def test_another_student_posting_evidence_to_this_placement_gets_404(client, cast):
    client.force_login(cast.other_student)
    data = form_data(cast, files=SimpleUploadedFile("notes.txt", b"My notes.\n"))
    response = client.post(create_url(cast.placement), data)
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_saved(client, cast):
    url = create_url(cast.placement)
    response = client.post(url, form_data(cast))
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"
    assert not Evidence.objects.exists()


def test_an_unknown_placement_has_no_form(client, cast):
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-create", kwargs={"pk": uuid.uuid4()})
    assert client.get(url).status_code == 404


# --- Adding evidence: what is saved -----------------------------------------------------------


def test_a_complete_form_saves_a_draft_and_goes_to_its_page(client, cast):
    two = domain(cast.placement, 7)
    client.force_login(cast.student)
    data = form_data(cast, **{f"map_{two.pk}": "on", f"note_{two.pk}": "I used active listening."})
    response = client.post(create_url(cast.placement), data)
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    assert evidence.status == Status.DRAFT
    assert evidence.created_by == cast.student
    assert evidence.title == "Reflection on a home visit"
    assert evidence.practice_date == a_day_ago()
    assert evidence.reflection == "I listened more than I spoke."
    notes = dict(evidence.mappings.values_list("domain__order", "note"))
    assert notes == {1: "I kept to my role as a student.", 7: "I used active listening."}
    page = text(client.get(response.url))
    assert "Saved as a draft. Submit it when it is ready." in page


def test_an_unticked_domain_is_not_mapped_even_with_a_note(client, cast):
    three = domain(cast.placement, 3)
    client.force_login(cast.student)
    data = form_data(cast, **{f"note_{three.pk}": "Typed, then changed my mind."})
    client.post(create_url(cast.placement), data)
    assert list(Evidence.objects.get().mappings.values_list("domain__order", flat=True)) == [1]


def test_a_direct_observation_keeps_its_planning_and_record(client, cast):
    client.force_login(cast.student)
    data = form_data(
        cast,
        kind=Kind.DIRECT_OBSERVATION,
        planning_notes="We agreed I would lead the visit.",
        observation_record="I explained the assessment to Mrs B.",
        observer="supervisor",
    )
    assert client.post(create_url(cast.placement), data).status_code == 302
    observation = DirectObservation.objects.get()
    assert observation.planning_notes == "We agreed I would lead the visit."
    assert observation.observation_record == "I explained the assessment to Mrs B."
    assert observation.observer == "supervisor"


def test_a_direct_observation_says_who_observed(client, cast):
    client.force_login(cast.student)
    data = form_data(cast, kind=Kind.DIRECT_OBSERVATION, planning_notes="Agreed the plan.")
    response = client.post(create_url(cast.placement), data)
    assert "Please say who observed you." in response.content.decode()
    assert not Evidence.objects.exists()
    data["observer"] = "other"
    response = client.post(create_url(cast.placement), data)
    assert "Please give the observer&#x27;s name and role." in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_supervision_record_keeps_who_was_there(client, cast):
    client.force_login(cast.student)
    data = form_data(cast, kind=Kind.SUPERVISION, attendees="My educator and I")
    assert client.post(create_url(cast.placement), data).status_code == 302
    assert SupervisionRecord.objects.get().attendees == "My educator and I"


def test_a_mapping_to_another_frameworks_domain_is_simply_ignored(client, cast):
    foreign = domain(cast.other_placement, 2)
    assert foreign.framework_id != cast.placement.framework_id
    client.force_login(cast.student)
    data = form_data(cast, **{f"map_{foreign.pk}": "on", f"note_{foreign.pk}": "Sneaky."})
    assert client.post(create_url(cast.placement), data).status_code == 302
    evidence = Evidence.objects.get()
    assert not EvidenceMapping.objects.filter(domain=foreign).exists()
    assert list(evidence.mappings.values_list("domain__order", flat=True)) == [1]


# --- Adding evidence: mistakes ----------------------------------------------------------------


def test_a_ticked_domain_without_a_note_is_explained_beside_that_note(client, cast):
    four = domain(cast.placement, 4)
    client.force_login(cast.student)
    data = form_data(cast, title="My visit to the day centre", **{f"map_{four.pk}": "on"})
    response = client.post(create_url(cast.placement), data)
    assert response.status_code == 200
    page = text(response)
    message = f"Please say in a sentence or two why this evidence shows {four.name}."
    assert f'id="id_note_{four.pk}_error" role="alert">{message}</div>' in page
    assert f'aria-describedby="id_note_{four.pk}_helptext id_note_{four.pk}_error"' in page
    # What was typed is still there, the ticks too.
    assert 'value="My visit to the day centre"' in page
    assert "I kept to my role as a student.</textarea>" in page
    assert f'name="map_{four.pk}" id="id_map_{four.pk}" checked' in page
    assert "Everything you typed is still here" in page
    assert not Evidence.objects.exists()


def test_a_note_of_only_spaces_counts_as_no_note(client, cast):
    one = domain(cast.placement, 1)
    client.force_login(cast.student)
    response = client.post(create_url(cast.placement), form_data(cast, **{f"note_{one.pk}": "   "}))
    assert response.status_code == 200
    assert f"why this evidence shows {one.name}" in field_error(response, f"note_{one.pk}")
    assert not Evidence.objects.exists()


def test_a_practice_date_in_the_future_is_refused_with_a_message(client, cast):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(cast.student)
    data = form_data(cast, practice_date=tomorrow.isoformat())
    response = client.post(create_url(cast.placement), data)
    assert response.status_code == 200
    message = "The date of the practice cannot be in the future."
    assert field_error(response, "practice_date") == message
    assert message in text(response)
    assert 'value="Reflection on a home visit"' in text(response)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("value", ["31/02/2025", "yesterday", "2025-13-01", "9" * 40, ""])
def test_a_date_that_is_not_a_date_is_refused_with_a_message(client, cast, value):
    client.force_login(cast.student)
    response = client.post(create_url(cast.placement), form_data(cast, practice_date=value))
    assert response.status_code == 200
    assert field_error(response, "practice_date")
    assert not Evidence.objects.exists()


def test_a_supervision_record_must_say_who_was_there(client, cast):
    client.force_login(cast.student)
    data = form_data(cast, kind=Kind.SUPERVISION, attendees="   ", agenda="Caseload and leave")
    response = client.post(create_url(cast.placement), data)
    assert response.status_code == 200
    message = "Please say who was at the supervision."
    assert field_error(response, "attendees") == message
    assert message in text(response)
    assert "Caseload and leave</textarea>" in text(response)
    assert not Evidence.objects.exists()
    assert not SupervisionRecord.objects.exists()


@pytest.mark.parametrize("kind", ["", "draft", "malware", "<b>x</b>"])
def test_an_unknown_kind_is_refused_with_a_message(client, cast, kind):
    client.force_login(cast.student)
    response = client.post(create_url(cast.placement), form_data(cast, kind=kind))
    assert response.status_code == 200
    assert field_error(response, "kind")
    assert not Evidence.objects.exists()


def test_a_missing_or_overlong_title_is_refused_with_a_message(client, cast):
    client.force_login(cast.student)
    for title in ("", "x" * 201):
        response = client.post(create_url(cast.placement), form_data(cast, title=title))
        assert response.status_code == 200
        assert field_error(response, "title"), title
    assert not Evidence.objects.exists()


def test_a_note_over_2000_characters_is_refused_with_a_message(client, cast):
    one = domain(cast.placement, 1)
    client.force_login(cast.student)
    data = form_data(cast, **{f"note_{one.pk}": "x" * 2001})
    response = client.post(create_url(cast.placement), data)
    assert response.status_code == 200
    assert "2000" in field_error(response, f"note_{one.pk}").replace(",", "")
    assert not Evidence.objects.exists()


# --- Changing evidence ------------------------------------------------------------------------


def test_the_student_sees_their_draft_in_the_form_as_they_left_it(client, cast):
    evidence = draft(cast, title="Visit to the day centre")
    one = domain(cast.placement, 1)
    client.force_login(cast.student)
    response = client.get(update_url(evidence))
    assert response.status_code == 200
    page = text(response)
    assert 'value="Visit to the day centre"' in page
    assert f'value="{a_day_ago().isoformat()}"' in page
    assert f'name="map_{one.pk}" id="id_map_{one.pk}" checked' in page
    assert "I kept to my role.</textarea>" in page


def test_the_student_changes_their_draft_and_its_mappings(client, cast):
    evidence = draft(cast)
    five = domain(cast.placement, 5)
    client.force_login(cast.student)
    data = form_data(cast, title="A better title", reflection="Rewritten.")
    one = domain(cast.placement, 1)
    del data[f"map_{one.pk}"]
    data.update({f"map_{five.pk}": "on", f"note_{five.pk}": "I challenged a decision."})
    response = client.post(update_url(evidence), data)
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    evidence.refresh_from_db()
    assert evidence.title == "A better title"
    assert evidence.reflection == "Rewritten."
    assert dict(evidence.mappings.values_list("domain__order", "note")) == {
        5: "I challenged a decision."
    }
    assert "Changes saved." in text(client.get(response.url))


def test_a_mistake_while_changing_keeps_the_draft_as_it_was(client, cast):
    evidence = draft(cast, title="Original title")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(cast.student)
    data = form_data(cast, title="New title", practice_date=tomorrow.isoformat())
    response = client.post(update_url(evidence), data)
    assert response.status_code == 200
    assert 'value="New title"' in text(response)
    assert field_error(response, "practice_date")
    evidence.refresh_from_db()
    assert evidence.title == "Original title"


def test_the_student_changes_evidence_sent_back_for_revision(client, cast):
    evidence = services.evidence_review(
        actor=cast.educator, evidence=submitted(cast), accept=False, comment="Add the family."
    )
    client.force_login(cast.student)
    assert client.get(update_url(evidence)).status_code == 200
    response = client.post(update_url(evidence), form_data(cast, title="With the family's view"))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.title == "With the family's view"
    assert evidence.status == Status.REVISION_REQUESTED


def sent_back(cast, evidence) -> Evidence:
    return services.evidence_review(
        actor=cast.educator, evidence=evidence, accept=False, comment="Fix the date."
    )


def test_an_observation_with_the_educators_feedback_stays_an_observation(client, cast):
    observation = submitted(
        cast, kind=Kind.DIRECT_OBSERVATION, details={"planning_notes": "We agreed the plan."}
    )
    services.observation_feedback_save(
        actor=cast.educator,
        evidence=observation,
        feedback={domain(cast.placement, 1): "Warm, clear and well paced."},
    )
    sent_back(cast, observation)
    client.force_login(cast.student)
    data = form_data(cast, kind=Kind.CRITICAL_REFLECTION, title="Now a reflection")
    response = client.post(update_url(observation), data)
    assert response.status_code == 200
    assert "so it stays a direct observation" in field_error(response, "kind")
    assert 'value="Now a reflection"' in text(response)
    observation.refresh_from_db()
    assert observation.kind == Kind.DIRECT_OBSERVATION
    assert ObservationFeedback.objects.filter(text="Warm, clear and well paced.").exists()


def supervision_confirmed_then_sent_back(cast) -> Evidence:
    record = submitted(
        cast,
        kind=Kind.SUPERVISION,
        details={"attendees": "My educator and I", "notes": "We agreed two visits a week."},
    )
    services.supervision_record_confirm(actor=cast.educator, evidence=record)
    return sent_back(cast, record)


def test_rewriting_a_confirmed_supervision_record_asks_for_it_to_be_confirmed_again(client, cast):
    record = supervision_confirmed_then_sent_back(cast)
    client.force_login(cast.student)
    data = form_data(
        cast,
        kind=Kind.SUPERVISION,
        attendees="My educator and I",
        supervision_notes="We agreed I could skip the visits.",
    )
    assert client.post(update_url(record), data).status_code == 302
    supervision = SupervisionRecord.objects.get(evidence=record)
    assert supervision.notes == "We agreed I could skip the visits."
    assert supervision.confirmed_at is None
    assert supervision.confirmed_by is None


def test_changing_only_the_title_of_a_confirmed_supervision_record_keeps_the_confirmation(
    client, cast
):
    record = supervision_confirmed_then_sent_back(cast)
    client.force_login(cast.student)
    data = form_data(
        cast,
        kind=Kind.SUPERVISION,
        title="Supervision, week 3",
        attendees="My educator and I",
        supervision_notes="We agreed two visits a week.",
    )
    assert client.post(update_url(record), data).status_code == 302
    supervision = SupervisionRecord.objects.get(evidence=record)
    assert supervision.confirmed_by == cast.educator


@pytest.mark.parametrize("state", ["submitted", "accepted"])
def test_evidence_no_longer_editable_sends_the_student_back_with_a_message(client, cast, state):
    evidence = submitted(cast) if state == "submitted" else accepted(cast)
    client.force_login(cast.student)
    response = client.get(update_url(evidence))
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    assert "This evidence can no longer be changed." in text(client.get(response.url))


def test_posting_changes_to_accepted_evidence_changes_nothing(client, cast):
    evidence = accepted(cast, title="Accepted title")
    client.force_login(cast.student)
    data = form_data(cast, title="Sneaky change", reflection="Rewritten after acceptance.")
    response = client.post(update_url(evidence), data)
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    evidence.refresh_from_db()
    assert evidence.title == "Accepted title"
    assert evidence.reflection == "I listened more than I spoke."
    assert evidence.status == Status.ACCEPTED
    assert "This evidence can no longer be changed." in text(client.get(response.url))


def test_a_locked_draft_cannot_be_changed_through_the_form(client, cast):
    evidence = draft(cast, title="Cited in a signed review")
    Evidence.objects.filter(pk=evidence.pk).update(locked_at=timezone.now())
    client.force_login(cast.student)
    response = client.post(update_url(evidence), form_data(cast, title="Changed"))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.title == "Cited in a signed review"


@pytest.mark.parametrize("who", STAFF)
def test_staff_cannot_change_submitted_evidence(client, cast, who):
    evidence = submitted(cast, title="The student's words")
    client.force_login(getattr(cast, who))
    assert client.get(update_url(evidence)).status_code == 403
    assert client.post(update_url(evidence), form_data(cast, title="Changed")).status_code == 403
    evidence.refresh_from_db()
    assert evidence.title == "The student's words"


@pytest.mark.parametrize("who", STAFF)
def test_staff_cannot_find_a_draft_to_change(client, cast, who):
    evidence = draft(cast)
    client.force_login(getattr(cast, who))
    assert client.get(update_url(evidence)).status_code == 404


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_find_evidence_to_change(client, cast, who):
    evidence = draft(cast, title="The student's words")
    client.force_login(getattr(cast, who))
    assert client.get(update_url(evidence)).status_code == 404
    assert client.post(update_url(evidence), form_data(cast, title="Changed")).status_code == 404
    evidence.refresh_from_db()
    assert evidence.title == "The student's words"


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_edit_page(client, cast):
    evidence = draft(cast)
    url = update_url(evidence)
    response = client.post(url, form_data(cast, title="Changed"))
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"
    evidence.refresh_from_db()
    assert evidence.title == "Reflection on a home visit"
