"""One evidence item's page and what people do there: the student checks and submits it, the
educator reviews and verifies it, staff comment on it; and the placement's names to keep out."""

import datetime
import html
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import ConfidentialName, Evidence, EvidenceComment
from portfolios.services.evidence import IdentifiersFound, MappingInput

PERMITTED = ["student", "educator", "supervisor", "tutor", "coordinator", "panel"]
STAFF = ["educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
LOGIN = reverse("accounts:login")
NHS_NUMBER = "943 476 5919"  # the NHS's own example of a valid number
Kind = Evidence.Kind
Status = Evidence.Status


def url(name: str, obj) -> str:
    return reverse(f"portfolios:{name}", kwargs={"pk": obj.pk})


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def draft(cast, *, mapped=True, **changes) -> Evidence:
    kwargs = {
        "actor": cast.student,
        "placement": cast.placement,
        "kind": Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": a_day_ago(),
        "reflection": "I listened more than I spoke.",
        "mappings": (
            [MappingInput(cast.placement.framework.domains.get(order=1), "I kept to my role.")]
            if mapped
            else []
        ),
    }
    kwargs.update(changes)
    try:
        return services.evidence_create(**kwargs)
    except IdentifiersFound as found:
        # As a draft saved before the names list changed: saved with its findings confirmed,
        # then those confirmations forgotten, so the submit page has something to check.
        confirm = [f.fingerprint for fs in found.findings.values() for f in fs]
        evidence = services.evidence_create(**kwargs, confirmed_fingerprints=confirm)
        evidence.confidentiality_confirmations.all().delete()
        return evidence


def submitted(cast, **changes) -> Evidence:
    return services.evidence_submit(actor=cast.student, evidence=draft(cast, **changes))


def text(response) -> str:
    return html.unescape(response.content.decode())


def reload(evidence) -> Evidence:
    return Evidence.objects.get(pk=evidence.pk)


# --- The evidence page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERMITTED)
def test_the_placements_people_and_its_universitys_staff_see_submitted_evidence(client, cast, who):
    evidence = submitted(cast, title="Visit to Mr A")
    client.force_login(getattr(cast, who))
    response = client.get(url("evidence-detail", evidence))
    assert response.status_code == 200
    page = text(response)
    assert "Visit to Mr A" in page
    assert "I listened more than I spoke." in page
    assert "I kept to my role." in page


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_find_the_evidence(client, cast, who):
    evidence = submitted(cast, title="Visit to Mr A")
    client.force_login(getattr(cast, who))
    response = client.get(url("evidence-detail", evidence))
    assert response.status_code == 404
    assert "Visit to Mr A" not in response.content.decode()


def test_the_student_sees_their_draft_with_the_way_to_submit_it(client, cast):
    evidence = draft(cast)
    client.force_login(cast.student)
    page = text(client.get(url("evidence-detail", evidence)))
    assert url("evidence-update", evidence) in page
    assert url("evidence-submit", evidence) in page


@pytest.mark.parametrize("who", STAFF)
def test_nobody_else_can_find_the_students_draft(client, cast, who):
    evidence = draft(cast)
    client.force_login(getattr(cast, who))
    assert client.get(url("evidence-detail", evidence)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_evidence(client, cast):
    evidence = submitted(cast)
    target = url("evidence-detail", evidence)
    response = client.get(target)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={target}"


def test_unknown_evidence_is_not_found(client, cast):
    client.force_login(cast.student)
    missing = reverse("portfolios:evidence-detail", kwargs={"pk": uuid.uuid4()})
    assert client.get(missing).status_code == 404


def test_what_the_student_wrote_is_shown_as_text_not_run_as_markup(client, cast):
    evidence = submitted(cast, reflection='<script>alert("x")</script> **Bold** point')
    client.force_login(cast.educator)
    page = client.get(url("evidence-detail", evidence)).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "<strong>Bold</strong>" in page


def test_only_the_educator_is_offered_the_review(client, cast):
    evidence = submitted(cast)
    review = url("evidence-review", evidence)
    client.force_login(cast.educator)
    assert review in client.get(url("evidence-detail", evidence)).content.decode()
    for who in ("student", "supervisor", "tutor", "coordinator", "panel"):
        client.force_login(getattr(cast, who))
        assert review not in client.get(url("evidence-detail", evidence)).content.decode(), who


def test_the_student_is_not_offered_to_edit_submitted_evidence(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.student)
    page = client.get(url("evidence-detail", evidence)).content.decode()
    assert url("evidence-update", evidence) not in page
    assert url("evidence-submit", evidence) not in page


# --- Check and submit -------------------------------------------------------------------------


def test_a_clean_draft_is_said_to_be_clean(client, cast):
    evidence = draft(cast)
    client.force_login(cast.student)
    response = client.get(url("evidence-submit", evidence))
    assert response.status_code == 200
    assert response.context["findings"] == []
    assert "Nothing that looks identifying was found." in text(response)


def test_the_check_shows_an_nhs_number_in_its_context_with_a_box_to_confirm(client, cast):
    evidence = draft(
        cast, reflection=f"I helped Mr B, whose NHS no. is {NHS_NUMBER}, fill in a form."
    )
    client.force_login(cast.student)
    response = client.get(url("evidence-submit", evidence))
    assert response.status_code == 200
    (finding,) = response.context["findings"]
    page = text(response)
    assert "NHS number in your reflection" in page
    assert f"whose NHS no. is <mark>{NHS_NUMBER}</mark>, fill in" in page
    assert f'type="checkbox" name="confirm" value="{finding.fingerprint}"' in page


def test_submitting_without_confirming_a_finding_keeps_it_a_draft_and_says_why(client, cast):
    evidence = draft(cast, reflection=f"His NHS no. is {NHS_NUMBER}.")
    client.force_login(cast.student)
    response = client.post(url("evidence-submit", evidence))
    assert response.status_code == 200
    assert "1 possible identifier still need your attention" in text(response)
    assert "NHS number in your reflection" in text(response)
    assert reload(evidence).status == Status.DRAFT


def test_confirming_a_different_finding_does_not_submit(client, cast):
    evidence = draft(cast, reflection=f"His NHS no. is {NHS_NUMBER}.")
    client.force_login(cast.student)
    client.post(url("evidence-submit", evidence), {"confirm": "0" * 64})
    assert reload(evidence).status == Status.DRAFT


def test_confirming_each_finding_submits_the_evidence(client, cast):
    evidence = draft(cast, reflection=f"His NHS no. is {NHS_NUMBER}.")
    client.force_login(cast.student)
    (finding,) = client.get(url("evidence-submit", evidence)).context["findings"]
    response = client.post(url("evidence-submit", evidence), {"confirm": finding.fingerprint})
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    evidence = reload(evidence)
    assert evidence.status == Status.SUBMITTED
    assert evidence.submitted_at is not None
    assert "Submitted." in text(client.get(response.url))


def test_the_check_shows_what_it_found_as_text_not_markup(client, cast):
    evidence = draft(cast, reflection=f"<i>NHS</i> <script>x()</script> {NHS_NUMBER} <b>ok</b>")
    client.force_login(cast.student)
    page = client.get(url("evidence-submit", evidence)).content.decode()
    assert "<script>x()</script>" not in page
    assert "<b>ok</b>" not in page
    assert f"&lt;script&gt;x()&lt;/script&gt; <mark>{NHS_NUMBER}</mark> &lt;b&gt;ok" in page


def test_the_check_looks_inside_attached_text_files(client, cast):
    evidence = draft(
        cast, files=[SimpleUploadedFile("visit notes.txt", f"NHS: {NHS_NUMBER}\n".encode())]
    )
    client.force_login(cast.student)
    response = client.get(url("evidence-submit", evidence))
    assert "NHS number in visit notes.txt" in text(response)
    client.post(url("evidence-submit", evidence))
    assert reload(evidence).status == Status.DRAFT


def test_a_name_on_the_keep_out_list_is_found_before_submitting(client, cast):
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Jayden Smith"]
    )
    evidence = draft(cast, reflection="I met Jayden Smith at school.")
    client.force_login(cast.student)
    response = client.get(url("evidence-submit", evidence))
    assert "Name on your 'keep out' list in your reflection" in text(response)
    client.post(url("evidence-submit", evidence))
    assert reload(evidence).status == Status.DRAFT


def test_a_clean_draft_submits_straight_away(client, cast):
    evidence = draft(cast)
    client.force_login(cast.student)
    response = client.post(url("evidence-submit", evidence))
    assert response.status_code == 302
    assert reload(evidence).status == Status.SUBMITTED


def test_a_draft_mapped_to_no_domain_cannot_be_submitted(client, cast):
    evidence = draft(cast, mapped=False)
    client.force_login(cast.student)
    response = client.post(url("evidence-submit", evidence))
    assert response.status_code == 200
    assert "Map this evidence to at least one domain before you submit it" in text(response)
    assert reload(evidence).status == Status.DRAFT


def test_evidence_sent_back_for_revision_is_resubmitted(client, cast):
    evidence = services.evidence_review(
        actor=cast.educator, evidence=submitted(cast), accept=False, comment="Add the family."
    )
    client.force_login(cast.student)
    assert client.post(url("evidence-submit", evidence)).status_code == 302
    assert reload(evidence).status == Status.RESUBMITTED


def test_submitted_evidence_cannot_be_submitted_again(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.student)
    response = client.post(url("evidence-submit", evidence))
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    assert "This evidence has already been submitted." in text(client.get(response.url))


@pytest.mark.parametrize("who", STAFF)
def test_staff_cannot_find_a_draft_to_submit(client, cast, who):
    evidence = draft(cast)
    client.force_login(getattr(cast, who))
    assert client.get(url("evidence-submit", evidence)).status_code == 404
    assert client.post(url("evidence-submit", evidence)).status_code == 404
    assert reload(evidence).status == Status.DRAFT


def test_the_educator_cannot_submit_evidence_for_the_student(client, cast):
    evidence = services.evidence_review(
        actor=cast.educator, evidence=submitted(cast), accept=False, comment="Add the family."
    )
    client.force_login(cast.educator)
    assert client.post(url("evidence-submit", evidence)).status_code == 403
    assert reload(evidence).status == Status.REVISION_REQUESTED


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_find_the_submit_page(client, cast, who):
    evidence = draft(cast)
    client.force_login(getattr(cast, who))
    assert client.get(url("evidence-submit", evidence)).status_code == 404
    assert client.post(url("evidence-submit", evidence)).status_code == 404
    assert reload(evidence).status == Status.DRAFT


def test_an_anonymous_visitor_cannot_submit(client, cast):
    evidence = draft(cast)
    target = url("evidence-submit", evidence)
    response = client.post(target)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={target}"
    assert reload(evidence).status == Status.DRAFT


# --- Review -----------------------------------------------------------------------------------


def test_the_educator_accepts_submitted_evidence(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    response = client.post(url("evidence-review", evidence), {"decision": "accept"})
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    evidence = reload(evidence)
    assert evidence.status == Status.ACCEPTED
    assert evidence.reviewed_by == cast.educator
    assert "Your review has been recorded" in text(client.get(response.url))


def test_asking_for_a_revision_needs_a_comment(client, cast, mailoutbox):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    response = client.post(
        url("evidence-review", evidence), {"decision": "revise", "comment": "   "}, follow=True
    )
    assert "Please say what the student should change before resubmitting." in text(response)
    assert reload(evidence).status == Status.SUBMITTED
    assert mailoutbox == []


def test_asking_for_a_revision_tells_the_student_what_to_change(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("evidence-review", evidence),
            {"decision": "revise", "comment": "Add the family's view."},
        )
    evidence = reload(evidence)
    assert evidence.status == Status.REVISION_REQUESTED
    assert evidence.review_comment == "Add the family's view."
    (mail,) = mailoutbox
    assert mail.to == [cast.student.email]
    title = cast.placement.framework.educator_title
    assert f"Your {title} has asked you to revise a piece of evidence" in mail.body
    assert evidence.get_absolute_url() in mail.body
    assert "Add the family's view." not in mail.body
    assert evidence.title not in mail.subject + mail.body
    client.force_login(cast.student)
    page = text(client.get(url("evidence-detail", evidence)))
    assert f"Revision requested by {cast.educator.display_name}:" in page
    assert "Add the family's view." in page


def test_an_overlong_revision_comment_is_refused_with_a_message_about_its_length(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    comment = "Please add the family's view. " + "x" * 5000
    response = client.post(
        url("evidence-review", evidence), {"decision": "revise", "comment": comment}
    )
    assert response.status_code == 200
    assert reload(evidence).status == Status.SUBMITTED
    page = text(response)
    assert "Please keep the comment under 5,000 characters." in page
    assert "Please choose whether" not in page
    assert comment in page  # what the educator wrote is kept


@pytest.mark.parametrize("decision", ["", "approve", "ACCEPT"])
def test_a_review_without_a_known_decision_is_refused_with_a_message(client, cast, decision):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    response = client.post(url("evidence-review", evidence), {"decision": decision}, follow=True)
    assert "Please choose whether to accept the evidence or ask for a revision." in text(response)
    assert reload(evidence).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "coordinator", "panel"])
def test_only_the_educator_reviews(client, cast, who):
    evidence = submitted(cast)
    client.force_login(getattr(cast, who))
    response = client.post(url("evidence-review", evidence), {"decision": "accept"})
    assert response.status_code == 302
    assert "Only the practice educator can review evidence." in text(client.get(response.url))
    assert reload(evidence).status == Status.SUBMITTED


def test_accepted_evidence_is_not_reviewed_again(client, cast):
    evidence = services.evidence_review(actor=cast.educator, evidence=submitted(cast), accept=True)
    client.force_login(cast.educator)
    response = client.post(
        url("evidence-review", evidence), {"decision": "revise", "comment": "Late."}, follow=True
    )
    assert "This evidence is accepted, so there is nothing to review." in text(response)
    assert reload(evidence).status == Status.ACCEPTED


def test_the_educator_cannot_find_a_draft_to_review(client, cast):
    evidence = draft(cast)
    client.force_login(cast.educator)
    assert client.post(url("evidence-review", evidence), {"decision": "accept"}).status_code == 404
    assert reload(evidence).status == Status.DRAFT


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_review(client, cast, who):
    evidence = submitted(cast)
    client.force_login(getattr(cast, who))
    assert client.post(url("evidence-review", evidence), {"decision": "accept"}).status_code == 404
    assert reload(evidence).status == Status.SUBMITTED


def test_a_review_is_never_made_by_a_get(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    assert client.get(url("evidence-review", evidence), {"decision": "accept"}).status_code == 405
    assert reload(evidence).status == Status.SUBMITTED


def test_an_anonymous_visitor_cannot_review(client, cast):
    evidence = submitted(cast)
    target = url("evidence-review", evidence)
    response = client.post(target, {"decision": "accept"})
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={target}"
    assert reload(evidence).status == Status.SUBMITTED


# --- Verify -----------------------------------------------------------------------------------


def test_the_educator_verifies_service_user_feedback(client, cast):
    feedback = submitted(cast, kind=Kind.SERVICE_USER_FEEDBACK, title="Mrs C's feedback")
    client.force_login(cast.educator)
    assert url("evidence-verify", feedback) in text(client.get(url("evidence-detail", feedback)))
    response = client.post(url("evidence-verify", feedback))
    assert response.status_code == 302
    feedback = reload(feedback)
    assert feedback.verified_by == cast.educator
    assert feedback.verified_at is not None
    page = text(client.get(response.url))
    assert "Marked as verified." in page
    assert f"Verified by {cast.educator.display_name}" in page


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "coordinator", "panel"])
def test_only_the_educator_verifies(client, cast, who):
    feedback = submitted(cast, kind=Kind.SERVICE_USER_FEEDBACK)
    client.force_login(getattr(cast, who))
    response = client.post(url("evidence-verify", feedback), follow=True)
    assert "Only the educator can verify." in text(response)
    assert reload(feedback).verified_at is None


def test_only_service_user_feedback_needs_verifying(client, cast):
    evidence = submitted(cast, kind=Kind.CRITICAL_REFLECTION)
    client.force_login(cast.educator)
    response = client.post(url("evidence-verify", evidence), follow=True)
    assert "Only service user or carer feedback needs verifying." in text(response)
    assert reload(evidence).verified_at is None


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_verify(client, cast, who):
    feedback = submitted(cast, kind=Kind.SERVICE_USER_FEEDBACK)
    client.force_login(getattr(cast, who))
    assert client.post(url("evidence-verify", feedback)).status_code == 404
    assert reload(feedback).verified_at is None


def test_an_anonymous_visitor_cannot_verify(client, cast):
    feedback = submitted(cast, kind=Kind.SERVICE_USER_FEEDBACK)
    response = client.post(url("evidence-verify", feedback))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert reload(feedback).verified_at is None


# --- Comments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor"])
def test_staff_on_the_placement_comment_and_the_student_is_told_by_email(
    client, cast, mailoutbox, django_capture_on_commit_callbacks, who
):
    evidence = submitted(cast, title="Visit to Mr A")
    author = getattr(cast, who)
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence-comment", evidence), {"text": "Good use of theory."})
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    comment = EvidenceComment.objects.get()
    assert (comment.author, comment.text) == (author, "Good use of theory.")
    (mail,) = mailoutbox
    assert mail.to == [cast.student.email]
    role = {"educator": cast.placement.framework.educator_title}.get(who, who)
    assert mail.subject == "A comment on your evidence"
    assert f"Your {role.replace('supervisor', 'on-site supervisor')} has commented" in mail.body
    assert evidence.get_absolute_url() in mail.body
    # Mail is forwarded and kept beyond our reach: no title, no comment, only a link.
    for detail in ["Visit to Mr A", "Mr A", "Good use of theory."]:
        assert detail not in mail.subject
        assert detail not in mail.body
    page = text(client.get(response.url))
    assert "Comment added; the student has been told by email." in page
    assert "Good use of theory." in page


@pytest.mark.parametrize("words", ["", "   \n  ", "x" * 5001])
def test_an_empty_or_overlong_comment_is_refused_with_a_message(
    client, cast, mailoutbox, django_capture_on_commit_callbacks, words
):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence-comment", evidence), {"text": words}, follow=True)
    page = text(response)
    assert (
        "Please write your comment before sending it." in page
        or "Please shorten this to 5,000 characters or fewer" in page
    )
    assert not EvidenceComment.objects.exists()
    assert mailoutbox == []


def test_the_student_replies_and_their_educator_is_told(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    evidence = submitted(cast)
    client.force_login(cast.student)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("evidence-comment", evidence), {"text": "Thank you, I will."})
    assert EvidenceComment.objects.get().author == cast.student
    assert [m.to for m in mailoutbox] == [[cast.educator.email]]
    assert "Thank you, I will." not in mailoutbox[0].body
    assert evidence.title not in mailoutbox[0].subject + mailoutbox[0].body


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_people_without_the_right_to_comment_are_refused(client, cast, mailoutbox, who):
    evidence = submitted(cast)
    client.force_login(getattr(cast, who))
    response = client.post(url("evidence-comment", evidence), {"text": "Hello."}, follow=True)
    assert "You cannot comment here." in text(response)
    assert not EvidenceComment.objects.exists()
    assert mailoutbox == []


def test_nobody_can_comment_on_a_draft_they_cannot_see(client, cast):
    evidence = draft(cast)
    client.force_login(cast.educator)
    assert client.post(url("evidence-comment", evidence), {"text": "Hello."}).status_code == 404
    assert not EvidenceComment.objects.exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_comment(client, cast, mailoutbox, who):
    evidence = submitted(cast)
    client.force_login(getattr(cast, who))
    assert client.post(url("evidence-comment", evidence), {"text": "Hello."}).status_code == 404
    assert not EvidenceComment.objects.exists()
    assert mailoutbox == []


def test_a_comment_is_shown_as_text_not_run_as_markup(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.tutor)
    client.post(url("evidence-comment", evidence), {"text": "<img src=x onerror=alert(1)>"})
    page = client.get(url("evidence-detail", evidence)).content.decode()
    assert "<img src=x onerror=alert(1)>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_anonymous_visitor_cannot_comment(client, cast):
    evidence = submitted(cast)
    response = client.post(url("evidence-comment", evidence), {"text": "Hello."})
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert not EvidenceComment.objects.exists()


# --- Names to keep out ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "educator"])
def test_the_student_and_educator_keep_the_list_of_names(client, cast, who):
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Jayden"]
    )
    client.force_login(getattr(cast, who))
    target = url("confidential-names", cast.placement)
    response = client.get(target)
    assert response.status_code == 200
    assert "Jayden</textarea>" in text(response)

    response = client.post(target, {"names": "  Mrs   Brown \n\nJayden\r\nAmelia"})
    assert response.status_code == 302
    assert response.url == url("evidence-list", cast.placement)
    names = ConfidentialName.objects.filter(placement=cast.placement)
    assert list(names.values_list("name", flat=True)) == ["Amelia", "Jayden", "Mrs Brown"]
    assert "The list of names to keep out is saved." in text(client.get(response.url))


def test_a_name_over_120_characters_is_refused_beside_the_list(client, cast):
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Jayden"]
    )
    client.force_login(cast.student)
    response = client.post(url("confidential-names", cast.placement), {"names": "x" * 121})
    assert response.status_code == 200
    assert response.context["form"].errors["names"] == [
        "Each name must be 120 characters or fewer."
    ]
    assert "Each name must be 120 characters or fewer." in text(response)
    assert list(ConfidentialName.objects.values_list("name", flat=True)) == ["Jayden"]


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "panel"])
def test_other_staff_cannot_see_or_change_the_list(client, cast, who):
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Jayden"]
    )
    client.force_login(getattr(cast, who))
    target = url("confidential-names", cast.placement)
    response = client.get(target)
    assert response.status_code == 403
    assert "Jayden" not in response.content.decode()
    assert client.post(target, {"names": "Someone else"}).status_code == 403
    assert list(ConfidentialName.objects.values_list("name", flat=True)) == ["Jayden"]


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_find_the_list(client, cast, who):
    services.placement_confidential_names_set(
        actor=cast.student, placement=cast.placement, names=["Jayden"]
    )
    client.force_login(getattr(cast, who))
    target = url("confidential-names", cast.placement)
    response = client.get(target)
    assert response.status_code == 404
    assert "Jayden" not in response.content.decode()
    assert client.post(target, {"names": ""}).status_code == 404
    assert ConfidentialName.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_list_of_names(client, cast):
    target = url("confidential-names", cast.placement)
    response = client.get(target)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={target}"
