"""The structured kinds of evidence, through their services and their pages: direct
observations with the educator's feedback per domain, supervision records that the other
person confirms, and feedback from service users and carers given through a one-time link."""

import datetime
import hashlib
import re
import secrets

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import (
    DirectObservation,
    Evidence,
    FeedbackRequest,
    ObservationFeedback,
    Placement,
    ServiceUserFeedback,
    SupervisionRecord,
)
from portfolios.services.evidence import MappingInput
from tests import factories

S = Evidence.Status
K = Evidence.Kind
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def domains(cast) -> list:
    return list(cast.placement.framework.domains.order_by("order"))


def url(name: str, obj) -> str:
    return reverse(f"portfolios:{name}", kwargs={"pk": obj.pk})


def html_of(client, path: str) -> str:
    return client.get(path).content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def evidence_form_data(cast, *, kind: str, mapped=(0, 2), **fields) -> dict:
    """What the Add evidence form posts: the item, its details and the ticked domains."""
    data = {
        "kind": kind,
        "title": "Visit to Mrs B at home",
        "practice_date": a_day_ago().isoformat(),
        "reflection": "I noticed I filled the silences too quickly.",
    }
    for index in mapped:
        domain = domains(cast)[index]
        data[f"map_{domain.pk}"] = "on"
        data[f"note_{domain.pk}"] = f"It shows {domain.name}."
    data.update(fields)
    return data


def make_evidence(cast, *, kind: str, submit: bool = True, mapped=(0, 2), **details) -> Evidence:
    """A student's evidence of `kind`, made and (by default) submitted through the services."""
    evidence = services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=kind,
        title=f"A {kind.replace('_', ' ')}",
        practice_date=a_day_ago(),
        reflection="I listened more than I spoke.",
        mappings=[MappingInput(domains(cast)[i], "It shows this.") for i in mapped],
        details=details,
    )
    if submit:
        services.evidence_submit(actor=cast.student, evidence=evidence)
    evidence.refresh_from_db()
    return evidence


def make_observation(cast, **kwargs) -> Evidence:
    kwargs.setdefault("planning_notes", "We agreed I would lead the assessment.")
    kwargs.setdefault("observation_record", "I explained my role and asked open questions.")
    return make_evidence(cast, kind=K.DIRECT_OBSERVATION, **kwargs)


def make_student_supervision(cast, **kwargs) -> Evidence:
    kwargs.setdefault("attendees", "Me and my practice educator")
    kwargs.setdefault("notes", "We talked about managing risk.")
    return make_evidence(cast, kind=K.SUPERVISION, **kwargs)


def make_educator_supervision(cast) -> Evidence:
    return services.supervision_record_create(
        actor=cast.educator,
        placement=cast.placement,
        practice_date=a_day_ago(),
        attendees="The student and me",
        notes="Workload and the court report.",
    )


# --- Direct observations ----------------------------------------------------------------------


def test_a_student_records_a_direct_observation_through_the_evidence_form(client, cast):
    client.force_login(cast.student)
    data = evidence_form_data(
        cast,
        kind=K.DIRECT_OBSERVATION,
        planning_notes="We agreed I would lead the assessment.",
        observation_record="I explained my role and asked open questions.",
        observer="educator",
    )
    response = client.post(url("evidence-create", cast.placement), data)

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    assert evidence.kind == K.DIRECT_OBSERVATION
    assert evidence.status == S.DRAFT
    assert evidence.reflection == "I noticed I filled the silences too quickly."
    observation = DirectObservation.objects.get(evidence=evidence)
    assert observation.planning_notes == "We agreed I would lead the assessment."
    assert observation.observation_record == "I explained my role and asked open questions."
    assert set(evidence.mappings.values_list("domain__order", flat=True)) == {1, 3}
    assert not SupervisionRecord.objects.exists()


def test_the_observation_page_shows_its_four_steps_in_order(client, cast):
    evidence = make_observation(cast, submit=False)
    client.force_login(cast.student)
    html = html_of(client, evidence.get_absolute_url())

    steps = [
        "1. Planning discussion",
        "We agreed I would lead the assessment.",
        "2. What happened",
        "I explained my role and asked open questions.",
        "3. Reflection",
        "I listened more than I spoke.",
        "4. Practice educator's feedback",
    ]
    positions = [html.find(text) for text in steps]
    assert -1 not in positions, dict(zip(steps, positions, strict=True))
    # The feedback sits in the side column, after the reflection.
    assert positions == sorted(positions)


def test_the_educator_writes_feedback_against_each_mapped_domain(client, cast):
    evidence = make_observation(cast, mapped=(0, 2))
    first, _, third = domains(cast)[:3]
    client.force_login(cast.educator)
    page = client.get(url("observation-feedback", evidence))
    assert page.status_code == 200
    assert f'name="fb_{first.pk}"' in page.content.decode()
    assert f'name="fb_{third.pk}"' in page.content.decode()
    assert f'name="fb_{domains(cast)[1].pk}"' not in page.content.decode()

    response = client.post(
        url("observation-feedback", evidence),
        {f"fb_{first.pk}": "You set the purpose out clearly.", f"fb_{third.pk}": ""},
    )

    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    rows = ObservationFeedback.objects.all()
    assert [(r.domain, r.text, r.written_by) for r in rows] == [
        (first, "You set the purpose out clearly.", cast.educator)
    ]
    detail = html_of(client, evidence.get_absolute_url())
    assert "You set the purpose out clearly." in detail


def test_a_box_posted_for_a_domain_the_observation_does_not_show_is_ignored(client, cast):
    evidence = make_observation(cast, mapped=(0,))
    first, unmapped = domains(cast)[0], domains(cast)[4]
    client.force_login(cast.educator)
    client.post(
        url("observation-feedback", evidence),
        {f"fb_{first.pk}": "Clear.", f"fb_{unmapped.pk}": "Not observed at all."},
    )
    assert list(ObservationFeedback.objects.values_list("domain", flat=True)) == [first.pk]


def test_the_service_refuses_feedback_on_a_domain_the_observation_was_not_mapped_to(cast):
    evidence = make_observation(cast, mapped=(0,))
    first, unmapped = domains(cast)[0], domains(cast)[4]
    with pytest.raises(ValidationError, match="only be given on the domains"):
        services.observation_feedback_save(
            actor=cast.educator,
            evidence=evidence,
            feedback={first: "Clear.", unmapped: "Not observed."},
        )
    # Nothing is half-saved.
    assert not ObservationFeedback.objects.exists()


def test_a_blank_box_removes_that_domains_feedback(client, cast):
    evidence = make_observation(cast, mapped=(0, 2))
    first, third = domains(cast)[0], domains(cast)[2]
    services.observation_feedback_save(
        actor=cast.educator, evidence=evidence, feedback={first: "Clear.", third: "Warm."}
    )
    client.force_login(cast.educator)
    page = html_of(client, url("observation-feedback", evidence))
    assert "Warm." in page

    client.post(
        url("observation-feedback", evidence), {f"fb_{first.pk}": "Clear.", f"fb_{third.pk}": "  "}
    )

    assert list(ObservationFeedback.objects.values_list("domain", "text")) == [(first.pk, "Clear.")]


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor"])
def test_only_the_educator_writes_observation_feedback(client, cast, who):
    evidence = make_observation(cast)
    first = domains(cast)[0]
    client.force_login(getattr(cast, who))
    assert client.get(url("observation-feedback", evidence)).status_code == 403
    response = client.post(url("observation-feedback", evidence), {f"fb_{first.pk}": "Mine."})
    assert response.status_code == 403
    assert not ObservationFeedback.objects.exists()
    with pytest.raises(PermissionDenied):
        services.observation_feedback_save(
            actor=getattr(cast, who), evidence=evidence, feedback={first: "Mine."}
        )


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_do_not_learn_the_observation_exists(client, cast, who):
    evidence = make_observation(cast)
    client.force_login(getattr(cast, who))
    assert client.get(url("observation-feedback", evidence)).status_code == 404
    assert client.post(url("observation-feedback", evidence), {}).status_code == 404


def test_feedback_cannot_be_written_on_a_draft_observation(client, cast):
    evidence = make_observation(cast, submit=False)
    first = domains(cast)[0]
    with pytest.raises(ValidationError, match="submitted direct observation"):
        services.observation_feedback_save(
            actor=cast.educator, evidence=evidence, feedback={first: "Too early."}
        )
    # The draft is the student's alone: the educator's page does not find it.
    client.force_login(cast.educator)
    assert client.get(url("observation-feedback", evidence)).status_code == 404
    assert not ObservationFeedback.objects.exists()


def test_feedback_cannot_be_written_on_evidence_that_is_not_an_observation(cast):
    evidence = make_evidence(cast, kind=K.CRITICAL_REFLECTION)
    with pytest.raises(ValidationError):
        services.observation_feedback_save(
            actor=cast.educator, evidence=evidence, feedback={domains(cast)[0]: "Hmm."}
        )
    assert not DirectObservation.objects.exists()


def test_feedback_cannot_be_changed_once_the_observation_is_locked(client, cast):
    evidence = make_observation(cast)
    first = domains(cast)[0]
    services.observation_feedback_save(
        actor=cast.educator, evidence=evidence, feedback={first: "Signed off."}
    )
    Evidence.objects.filter(pk=evidence.pk).update(locked_at=timezone.now())

    with pytest.raises(ValidationError, match="locked"):
        services.observation_feedback_save(
            actor=cast.educator, evidence=evidence, feedback={first: "Second thoughts."}
        )
    client.force_login(cast.educator)
    response = client.post(
        url("observation-feedback", evidence), {f"fb_{first.pk}": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == evidence.get_absolute_url()
    assert "locked" in response.content.decode()
    assert ObservationFeedback.objects.get().text == "Signed off."
    detail = html_of(client, evidence.get_absolute_url())
    assert url("observation-feedback", evidence) not in detail


def test_a_student_revising_an_observation_cannot_delete_the_educators_feedback(cast):
    evidence = make_observation(cast)
    first = domains(cast)[0]
    services.observation_feedback_save(
        actor=cast.educator, evidence=evidence, feedback={first: "You set the purpose out."}
    )
    services.evidence_review(
        actor=cast.educator, evidence=evidence, accept=False, comment="Say more about risk."
    )
    with pytest.raises(ValidationError, match="stays a direct observation"):
        services.evidence_update(
            actor=cast.student,
            evidence=evidence,
            kind=K.CRITICAL_REFLECTION,
            title=evidence.title,
            practice_date=evidence.practice_date,
            mappings=[MappingInput(first, "It shows this.")],
        )
    evidence.refresh_from_db()
    assert evidence.kind == K.DIRECT_OBSERVATION
    assert ObservationFeedback.objects.filter(text="You set the purpose out.").exists()


def test_the_educator_sees_a_write_feedback_link_on_a_submitted_observation(client, cast):
    evidence = make_observation(cast)
    client.force_login(cast.educator)
    assert url("observation-feedback", evidence) in html_of(client, evidence.get_absolute_url())
    client.force_login(cast.student)
    assert url("observation-feedback", evidence) not in html_of(client, evidence.get_absolute_url())


# --- Supervision records ----------------------------------------------------------------------


def test_a_student_writes_a_supervision_record_through_the_evidence_form(client, cast):
    client.force_login(cast.student)
    data = evidence_form_data(
        cast,
        kind=K.SUPERVISION,
        attendees="Me and Sam (practice educator)",
        agenda="Risk; the court report",
        supervision_notes="We went through the chronology.",
        agreed_actions="Draft the report by Friday.",
        planning_notes="Left over from choosing another kind first.",
    )
    response = client.post(url("evidence-create", cast.placement), data)

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    record = SupervisionRecord.objects.get(evidence=evidence)
    assert record.attendees == "Me and Sam (practice educator)"
    assert record.agenda == "Risk; the court report"
    assert record.notes == "We went through the chronology."
    assert record.agreed_actions == "Draft the report by Friday."
    assert record.confirmed_at is None
    # Only the part that matches the kind is kept.
    assert not DirectObservation.objects.exists()


def test_a_students_supervision_record_says_who_was_there(client, cast):
    client.force_login(cast.student)
    data = evidence_form_data(cast, kind=K.SUPERVISION, attendees="  ")
    response = client.post(url("evidence-create", cast.placement), data)
    assert response.status_code == 200
    assert "Please say who was at the supervision." in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_educator_confirms_a_students_record_once_it_is_submitted(client, cast):
    evidence = make_student_supervision(cast, submit=False)
    with pytest.raises(ValidationError, match="no shared supervision record"):
        services.supervision_record_confirm(actor=cast.educator, evidence=evidence)
    services.evidence_submit(actor=cast.student, evidence=evidence)

    client.force_login(cast.educator)
    assert "Confirm this record is accurate" in html_of(client, evidence.get_absolute_url())
    response = client.post(url("supervision-confirm", evidence), follow=True)

    record = SupervisionRecord.objects.get(evidence=evidence)
    assert record.confirmed_by == cast.educator
    assert record.confirmed_at is not None
    assert "You have confirmed this supervision record." in messages_of(response)
    assert "Confirm this record is accurate" not in response.content.decode()


def test_a_draft_supervision_record_is_not_found_by_the_educator(client, cast):
    evidence = make_student_supervision(cast, submit=False)
    client.force_login(cast.educator)
    assert client.post(url("supervision-confirm", evidence)).status_code == 404
    assert SupervisionRecord.objects.get().confirmed_at is None


def test_the_educator_records_a_supervision_the_student_then_confirms(client, cast):
    client.force_login(cast.educator)
    assert client.get(url("supervision-create", cast.placement)).status_code == 200
    response = client.post(
        url("supervision-create", cast.placement),
        {
            "practice_date": a_day_ago().isoformat(),
            "attendees": "The student and me",
            "agenda": "Workload",
            "notes": "Caseload is at six.",
            "agreed_actions": "Close two cases.",
        },
    )

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    assert evidence.kind == K.SUPERVISION
    assert evidence.status == S.SUBMITTED
    assert evidence.submitted_at is not None
    assert evidence.created_by == cast.educator
    assert SupervisionRecord.objects.get(evidence=evidence).notes == "Caseload is at six."

    client.force_login(cast.student)
    detail = html_of(client, evidence.get_absolute_url())
    assert "Caseload is at six." in detail
    assert "Confirm this record is accurate" in detail
    client.post(url("supervision-confirm", evidence))
    assert SupervisionRecord.objects.get(evidence=evidence).confirmed_by == cast.student


@pytest.mark.parametrize("writer", ["student", "educator"])
def test_nobody_confirms_their_own_supervision_record(client, cast, writer):
    if writer == "student":
        evidence = make_student_supervision(cast)
    else:
        evidence = make_educator_supervision(cast)
    client.force_login(getattr(cast, writer))
    assert "Confirm this record is accurate" not in html_of(client, evidence.get_absolute_url())

    response = client.post(url("supervision-confirm", evidence), follow=True)

    assert "The record is confirmed by the other person at the supervision." in messages_of(
        response
    )
    assert SupervisionRecord.objects.get().confirmed_at is None


@pytest.mark.parametrize("writer", ["student", "educator"])
@pytest.mark.parametrize("who", ["supervisor", "tutor"])
def test_the_supervisor_and_tutor_cannot_confirm_a_supervision_record(client, cast, writer, who):
    if writer == "student":
        evidence = make_student_supervision(cast)
    else:
        evidence = make_educator_supervision(cast)
    client.force_login(getattr(cast, who))
    assert "Confirm this record is accurate" not in html_of(client, evidence.get_absolute_url())
    client.post(url("supervision-confirm", evidence))
    assert SupervisionRecord.objects.get().confirmed_at is None
    with pytest.raises(PermissionDenied):
        services.supervision_record_confirm(actor=getattr(cast, who), evidence=evidence)


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_do_not_learn_a_supervision_record_exists(client, cast, who):
    evidence = make_educator_supervision(cast)
    client.force_login(getattr(cast, who))
    assert client.post(url("supervision-confirm", evidence)).status_code == 404
    assert client.get(url("supervision-create", cast.placement)).status_code == 404
    assert SupervisionRecord.objects.get().confirmed_at is None


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor"])
def test_only_the_educator_records_a_supervision_on_its_page(client, cast, who):
    client.force_login(getattr(cast, who))
    page = url("supervision-create", cast.placement)
    assert client.get(page).status_code == 403
    response = client.post(
        page, {"practice_date": a_day_ago().isoformat(), "attendees": "Everyone"}
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_a_supervision_date_in_the_future_is_refused_beside_the_date(client, cast):
    client.force_login(cast.educator)
    response = client.post(
        url("supervision-create", cast.placement),
        {"practice_date": tomorrow().isoformat(), "attendees": "The student and me"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["practice_date"] == [
        "The supervision date cannot be in the future."
    ]
    assert not Evidence.objects.exists()


def test_a_student_cannot_date_a_supervision_in_the_future_either(client, cast):
    client.force_login(cast.student)
    data = evidence_form_data(
        cast, kind=K.SUPERVISION, attendees="Me", practice_date=tomorrow().isoformat()
    )
    response = client.post(url("evidence-create", cast.placement), data)
    assert response.status_code == 200
    assert "cannot be in the future" in str(response.context["form"].errors["practice_date"])
    assert not Evidence.objects.exists()


def test_the_educators_supervision_page_asks_who_was_there(client, cast):
    client.force_login(cast.educator)
    response = client.post(
        url("supervision-create", cast.placement), {"practice_date": a_day_ago().isoformat()}
    )
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors
    assert not Evidence.objects.exists()


def test_a_confirmed_record_the_student_rewrites_must_be_confirmed_again(cast):
    evidence = make_student_supervision(cast)
    services.supervision_record_confirm(actor=cast.educator, evidence=evidence)
    services.evidence_review(
        actor=cast.educator, evidence=evidence, accept=False, comment="Add the actions."
    )
    services.evidence_update(
        actor=cast.student,
        evidence=evidence,
        kind=K.SUPERVISION,
        title=evidence.title,
        practice_date=evidence.practice_date,
        mappings=[MappingInput(domains(cast)[0], "It shows this.")],
        details={"attendees": "Me and my educator", "notes": "Something we never discussed."},
    )
    record = SupervisionRecord.objects.get(evidence=evidence)
    assert record.notes == "Something we never discussed."
    assert record.confirmed_at is None


# --- Feedback links ---------------------------------------------------------------------------

TOKEN_IN_LINK = re.compile(r"/feedback/([A-Za-z0-9_-]+)/")


def make_link(cast, work: str = "our meeting at your home on Tuesday") -> str:
    _, token = services.feedback_request_create(
        actor=cast.student, placement=cast.placement, work_description=work
    )
    return token


def give_url(token: str) -> str:
    return reverse("portfolios:feedback-give", kwargs={"token": token})


ANSWERS = {
    "consent": "on",
    "relationship": "carer",
    "listened": "yes",
    "respected": "mostly",
    "went_well": "She explained everything slowly.",
    "could_improve": "Ring before coming round.",
    "given_name": "Pat",
}


def give(token: str, **overrides) -> Evidence:
    answers = {**ANSWERS, "consent": True, **overrides}
    return services.feedback_give(token=token, **answers)


@pytest.mark.parametrize("who", ["student", "educator"])
def test_the_student_or_educator_makes_a_link_with_a_qr_code(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        url("feedback-requests", cast.placement),
        {"work_description": "  our meeting at your   home on Tuesday "},
    )

    assert response.status_code == 200
    html = response.content.decode()
    token = TOKEN_IN_LINK.search(html).group(1)
    assert f"http://testserver{give_url(token)}" in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    request = FeedbackRequest.objects.get()
    assert request.created_by == getattr(cast, who)
    assert request.work_description == "our meeting at your home on Tuesday"
    assert request.expires_at > timezone.now() + datetime.timedelta(days=29)
    # The form is empty again for the next link.
    assert response.context["form"]["work_description"].value() in (None, "")


def test_only_the_hash_of_the_token_is_stored(cast):
    token = make_link(cast)
    request = FeedbackRequest.objects.get()
    assert request.token_hash != token
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not FeedbackRequest.objects.filter(token_hash__contains=token).exists()


def test_the_link_is_not_shown_again_on_reload(client, cast):
    client.force_login(cast.student)
    made = client.post(
        url("feedback-requests", cast.placement), {"work_description": "the carers' group"}
    )
    token = TOKEN_IN_LINK.search(made.content.decode()).group(1)

    html = html_of(client, url("feedback-requests", cast.placement))

    assert "the carers&#x27; group" in html
    assert token not in html
    assert "data:image/svg+xml" not in html


def test_a_link_needs_to_say_what_the_feedback_is_about(client, cast):
    client.force_login(cast.student)
    response = client.post(url("feedback-requests", cast.placement), {"work_description": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["work_description"]
    assert not FeedbackRequest.objects.exists()


@pytest.mark.parametrize("who", ["tutor", "supervisor"])
def test_only_the_student_and_educator_make_links(client, cast, who):
    client.force_login(getattr(cast, who))
    page = url("feedback-requests", cast.placement)
    assert client.get(page).status_code == 403
    assert client.post(page, {"work_description": "A visit"}).status_code == 403
    assert not FeedbackRequest.objects.exists()
    with pytest.raises(PermissionDenied):
        services.feedback_request_create(
            actor=getattr(cast, who), placement=cast.placement, work_description="A visit"
        )


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_do_not_learn_the_feedback_links_exist(client, cast, who):
    make_link(cast, work="the hospital discharge meeting")
    client.force_login(getattr(cast, who))
    page = url("feedback-requests", cast.placement)
    response = client.get(page)
    assert response.status_code == 404
    assert "hospital discharge" not in response.content.decode()
    assert client.post(page, {"work_description": "A visit"}).status_code == 404
    assert FeedbackRequest.objects.count() == 1


# The public page


@pytest.fixture
def named(cast):
    """Names that cannot turn up on the page by chance."""
    cast.student.first_name, cast.student.last_name = "Amara", "Quennellsby"
    cast.student.save()
    Placement.objects.filter(pk=cast.placement.pk).update(setting_name="Riverside Adults Team")
    cast.placement.refresh_from_db()
    return cast


def test_the_public_page_works_without_signing_in_and_says_little(client, named):
    token = make_link(named, work="our meeting at your home on Tuesday")
    response = client.get(give_url(token))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Amara" in html
    assert "our meeting at your home on Tuesday" in html
    for private in [
        "Quennellsby",
        named.student.email,
        "Riverside Adults Team",
        named.university.name,
        named.programme.name,
    ]:
        assert private not in html, private
    assert "no-cache" in response["Cache-Control"]


def test_the_public_page_calls_a_student_without_a_first_name_the_student(client, cast):
    cast.student.first_name = ""
    cast.student.save()
    html = html_of(client, give_url(make_link(cast)))
    assert re.search(r"the student is a student social worker", html, re.IGNORECASE)
    assert cast.student.email not in html


def test_the_public_page_escapes_what_the_student_typed(client, cast):
    token = make_link(cast, work="<script>alert(1)</script> our visit")
    html = client.get(give_url(token)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; our visit" in html


def test_consent_is_required_and_the_message_sits_beside_the_box(client, cast):
    token = make_link(cast)
    response = client.post(give_url(token), {**ANSWERS, "consent": ""})

    assert response.status_code == 200
    html = response.content.decode()
    consent_box = re.search(r'id="id_consent".*?</div>\s*</div>', html, re.DOTALL).group(0)
    assert 'aria-describedby="consent-error"' in consent_box
    message = "Please tick this box if you are happy to share."
    assert f'id="consent-error" role="alert">{message}' in consent_box
    # What they wrote is kept for the second try.
    assert "She explained everything slowly." in html
    assert not Evidence.objects.exists()
    assert FeedbackRequest.objects.get().used_at is None


def test_at_least_one_of_the_two_boxes_is_needed(client, cast):
    token = make_link(cast)
    response = client.post(give_url(token), {**ANSWERS, "went_well": " ", "could_improve": ""})
    assert response.status_code == 200
    assert "Please write something in at least one of these boxes." in response.content.decode()
    assert not Evidence.objects.exists()

    with pytest.raises(ValidationError) as exc:
        give(token, went_well="", could_improve="  ")
    assert "went_well" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        give(token, consent=False)
    assert "consent" in exc.value.message_dict
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("only", ["went_well", "could_improve"])
def test_either_box_alone_is_enough(client, cast, only):
    token = make_link(cast)
    answers = {**ANSWERS, "went_well": "", "could_improve": ""}
    answers[only] = "Kind."
    response = client.post(give_url(token), answers)
    assert "Thank you" in response.content.decode()
    assert getattr(ServiceUserFeedback.objects.get(), only) == "Kind."


def test_feedback_arrives_as_an_unverified_draft_of_the_students(client, cast):
    token = make_link(cast, work="our meeting at your home on Tuesday")
    response = client.post(give_url(token), ANSWERS)

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    evidence = Evidence.objects.get()
    assert evidence.placement == cast.placement
    assert evidence.kind == K.SERVICE_USER_FEEDBACK
    assert evidence.status == S.DRAFT
    assert evidence.created_by == cast.student
    assert evidence.needs_verification is True
    assert evidence.title == "Feedback about our meeting at your home on Tuesday"
    words = ServiceUserFeedback.objects.get(evidence=evidence)
    assert (words.relationship, words.listened, words.respected) == ("carer", "yes", "mostly")
    assert words.went_well == "She explained everything slowly."
    assert words.could_improve == "Ring before coming round."
    assert words.given_name == "Pat"
    assert words.consent_given_at is not None
    request = FeedbackRequest.objects.get()
    assert request.used_at is not None
    assert request.evidence == evidence


def test_a_used_link_shows_the_closed_page(client, cast):
    token = make_link(cast)
    client.post(give_url(token), ANSWERS)

    again = client.get(give_url(token))
    assert again.status_code == 404
    assert "This link has closed" in again.content.decode()
    resent = client.post(give_url(token), {**ANSWERS, "went_well": "A second go."})
    assert resent.status_code == 404
    assert "This link has closed" in resent.content.decode()
    assert Evidence.objects.count() == 1
    assert ServiceUserFeedback.objects.get().went_well == "She explained everything slowly."


def test_an_expired_link_shows_the_same_closed_page(client, cast):
    token = make_link(cast)
    FeedbackRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    for response in (client.get(give_url(token)), client.post(give_url(token), ANSWERS)):
        assert response.status_code == 404
        assert "This link has closed" in response.content.decode()
    assert not Evidence.objects.exists()
    with pytest.raises(ValidationError, match="already been used or has expired"):
        give(token)


@pytest.mark.parametrize(
    "token",
    [secrets.token_urlsafe(24), "x" * 500, "a" * 101],
    ids=["random", "500 characters", "just too long"],
)
def test_an_unknown_or_overlong_token_shows_the_same_closed_page(client, cast, token):
    make_link(cast)
    for response in (client.get(give_url(token)), client.post(give_url(token), ANSWERS)):
        assert response.status_code == 404
        assert "This link has closed" in response.content.decode()
    assert not Evidence.objects.exists()


def test_two_submissions_racing_on_one_link_make_one_piece_of_evidence(cast):
    token = make_link(cast)
    give(token)
    with pytest.raises(ValidationError, match="already been used"):
        give(token, went_well="The second tab.")
    assert Evidence.objects.count() == 1
    assert ServiceUserFeedback.objects.get().went_well == "She explained everything slowly."


def test_the_list_of_links_shows_which_have_been_answered(client, cast):
    token = make_link(cast, work="the review meeting")
    make_link(cast, work="the home visit")
    evidence = give(token)
    client.force_login(cast.student)
    html = html_of(client, url("feedback-requests", cast.placement))
    assert "Feedback received" in html
    assert evidence.get_absolute_url() in html
    assert "Open until" in html


# The student's part, and what nobody can change


def test_the_student_maps_and_reflects_on_feedback_but_cannot_change_the_words(client, cast):
    evidence = give(make_link(cast))
    first = domains(cast)[0]
    client.force_login(cast.student)
    assert "What the person said" in html_of(client, evidence.get_absolute_url())

    response = client.post(
        url("evidence-update", evidence),
        {
            "kind": K.SERVICE_USER_FEEDBACK,
            "title": "Feedback from Pat",
            "practice_date": a_day_ago().isoformat(),
            "reflection": "I will ring ahead from now on.",
            f"map_{first.pk}": "on",
            f"note_{first.pk}": "It shows my values in practice.",
            # Fields of the feedback itself, posted anyway: nothing reads them.
            "went_well": "Everything, perfectly.",
            "could_improve": "",
            "listened": "yes",
            "respected": "yes",
            "relationship": "service_user",
            "given_name": "Someone else",
        },
    )

    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.reflection == "I will ring ahead from now on."
    assert list(evidence.mappings.values_list("domain", flat=True)) == [first.pk]
    words = ServiceUserFeedback.objects.get()
    assert words.went_well == "She explained everything slowly."
    assert words.could_improve == "Ring before coming round."
    assert (words.listened, words.respected, words.relationship) == ("yes", "mostly", "carer")
    assert words.given_name == "Pat"
    assert evidence.needs_verification


def test_the_admin_shows_the_persons_words_but_cannot_change_them(client, cast):
    evidence = give(make_link(cast))
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:portfolios_serviceuserfeedback_change", args=[evidence.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, {"went_well": "Edited by an administrator."})
    assert response.status_code == 403
    assert ServiceUserFeedback.objects.get().went_well == "She explained everything slowly."


def test_feedback_from_a_link_stays_unverified_whatever_the_student_edits(client, cast):
    evidence = give(make_link(cast))
    first = domains(cast)[0]
    client.force_login(cast.student)
    client.post(
        url("evidence-update", evidence),
        {
            "kind": K.CRITICAL_REFLECTION,
            "title": "Feedback from Pat",
            "practice_date": a_day_ago().isoformat(),
            f"map_{first.pk}": "on",
            f"note_{first.pk}": "It shows my values in practice.",
        },
    )
    # The person's words are still shown as theirs...
    assert "What the person said" in html_of(client, evidence.get_absolute_url())
    evidence.refresh_from_db()
    # ...so they must still wait for the educator to verify them.
    assert evidence.needs_verification


# --- Verification -----------------------------------------------------------------------------


def submitted_feedback(cast) -> Evidence:
    evidence = give(make_link(cast))
    services.evidence_update(
        actor=cast.student,
        evidence=evidence,
        kind=K.SERVICE_USER_FEEDBACK,
        title=evidence.title,
        practice_date=evidence.practice_date,
        mappings=[MappingInput(domains(cast)[0], "It shows my values.")],
    )
    services.evidence_submit(actor=cast.student, evidence=evidence)
    evidence.refresh_from_db()
    return evidence


def test_the_educator_verifies_feedback_once_the_student_submits_it(client, cast):
    draft = give(make_link(cast))
    client.force_login(cast.educator)
    assert client.post(url("evidence-verify", draft)).status_code == 404

    evidence = submitted_feedback(cast)
    detail = html_of(client, evidence.get_absolute_url())
    assert "Unverified" in detail
    assert "Mark as verified" in detail
    response = client.post(url("evidence-verify", evidence), follow=True)

    evidence.refresh_from_db()
    assert evidence.verified_by == cast.educator
    assert evidence.verified_at is not None
    assert not evidence.needs_verification
    assert "Marked as verified." in messages_of(response)
    assert f"Verified by {cast.educator.display_name}" in response.content.decode()


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor"])
def test_only_the_educator_verifies_feedback(client, cast, who):
    evidence = submitted_feedback(cast)
    client.force_login(getattr(cast, who))
    assert "Mark as verified" not in html_of(client, evidence.get_absolute_url())

    response = client.post(url("evidence-verify", evidence), follow=True)

    assert "Only the educator can verify." in messages_of(response)
    evidence.refresh_from_db()
    assert evidence.verified_at is None
    assert evidence.needs_verification


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_verify_feedback(client, cast, who):
    evidence = submitted_feedback(cast)
    client.force_login(getattr(cast, who))
    assert client.post(url("evidence-verify", evidence)).status_code == 404
    evidence.refresh_from_db()
    assert evidence.verified_at is None
