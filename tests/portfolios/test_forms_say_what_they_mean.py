"""Forms that say what they mean (issue 12): the evidence form asks for its kind, labels each
"why" box with its domain and keeps its help in the order of the fields; the evidence page has
one box per action and never asks the educator to judge her own record; errors are alerts
linked to their fields; and every placement shows the same counts to everyone."""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import Evidence
from portfolios.services.evidence import MappingInput

Kind = Evidence.Kind


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def page(client, user, name: str, obj) -> str:
    client.force_login(user)
    response = client.get(reverse(f"portfolios:{name}", kwargs={"pk": obj.pk}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def draft(cast, title="Reflection on a home visit", domains=(1,)) -> Evidence:
    framework = cast.placement.framework
    return services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=Kind.CRITICAL_REFLECTION,
        title=title,
        practice_date=a_day_ago(),
        reflection="I listened more than I spoke.",
        mappings=[MappingInput(framework.domains.get(order=n), "It shows it.") for n in domains],
    )


def submitted(cast, **kwargs) -> Evidence:
    return services.evidence_submit(actor=cast.student, evidence=draft(cast, **kwargs))


def educators_supervision_record(cast) -> Evidence:
    return services.supervision_record_create(
        actor=cast.educator,
        placement=cast.placement,
        practice_date=a_day_ago(),
        attendees="The student and me",
        notes="We went through the care plan.",
    )


# --- The evidence form ------------------------------------------------------------------------


def test_the_kind_of_evidence_has_no_default_and_must_be_chosen(client, cast):
    form = page(client, cast.student, "evidence-create", cast.placement)
    assert '<option value="" selected>Choose the kind</option>' in form
    assert '<option value="direct_observation" selected' not in form

    one = cast.placement.framework.domains.get(order=1)
    response = client.post(
        reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk}),
        {
            "title": "A visit",
            "practice_date": a_day_ago().isoformat(),
            f"map_{one.pk}": "on",
            f"note_{one.pk}": "I kept to my role.",
        },
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert 'id="id_kind_error" class="invalid-feedback" role="alert"' in body
    assert "Please choose the kind of evidence this is." in body
    assert re.search(r'<select[^>]*aria-describedby="[^"]*id_kind_error', body)
    assert 'value="A visit"' in body  # what was typed is kept
    assert not Evidence.objects.exists()


def test_each_why_box_is_labelled_with_its_own_domain_and_its_limit(client, cast):
    form = page(client, cast.student, "evidence-create", cast.placement)
    for domain in cast.placement.framework.domains.all():
        assert f'for="id_note_{domain.pk}">Why this shows {domain.name}</label>' in form
        assert f'aria-controls="note-{domain.pk}"' in form
        assert f'id="id_note_{domain.pk}_helptext">Up to 2,000 characters.</div>' in form
    assert "Why it shows this domain" not in form


def test_the_help_follows_the_order_of_the_fields(client, cast):
    form = page(client, cast.student, "evidence-create", cast.placement)
    assert "Your reflection goes above" not in form
    assert "Your reflection on it goes in the Reflection box below." in form
    assert form.index('name="observation_record"') < form.index('name="reflection"')


def test_the_domains_fieldset_is_named_by_its_legend(client, cast):
    form = page(client, cast.student, "evidence-create", cast.placement)
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Domains this shows</legend>", form)


def test_the_script_hides_only_unticked_boxes_and_stays_out_of_the_page(client, cast):
    form = page(client, cast.student, "evidence-create", cast.placement)
    assert "<script>" not in form  # strict CSP: our scripts are files
    assert "js/evidence-form.js" in form
    # Without the script every box is there; none is hidden by the server.
    assert 'class="ms-4 mt-1 domain-note" id="note-' in form


# --- The evidence page --------------------------------------------------------------------------


def test_the_educator_accepts_with_one_button_and_asks_for_a_revision_in_its_own_box(client, cast):
    evidence = submitted(cast)
    body = page(client, cast.educator, "evidence-detail", evidence)
    review_url = reverse("portfolios:evidence-review", kwargs={"pk": evidence.pk})
    accept = re.search(rf'<form[^>]*action="{review_url}"[^>]*>.*?</form>', body, re.DOTALL)
    accept = accept.group(0)
    assert "Accept this evidence" in accept
    assert "<textarea" not in accept
    revise = re.search(r"<details>.*?</details>", body, re.DOTALL).group(0)
    assert "Ask for a revision instead" in revise
    assert revise.count("<textarea") == 1
    assert "What should the student change before resubmitting?" in revise
    assert 'id="review-comment-limit">Up to 5,000 characters.</div>' in revise


def test_asking_for_a_revision_without_saying_what_opens_the_box_with_the_message(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.educator)
    response = client.post(
        reverse("portfolios:evidence-review", kwargs={"pk": evidence.pk}),
        {"decision": "revise", "comment": "   "},
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "<details open>" in body
    assert 'id="review-comment-error" role="alert">Please say what the student should change' in (
        body
    )
    assert 'aria-describedby="review-comment-limit review-comment-error"' in body
    assert Evidence.objects.get(pk=evidence.pk).status == Evidence.Status.SUBMITTED


def test_the_educator_is_not_offered_to_judge_her_own_supervision_record(client, cast):
    record = educators_supervision_record(cast)
    body = page(client, cast.educator, "evidence-detail", record)
    assert "Accept this evidence" not in body
    assert "Ask for a revision" not in body
    assert "You wrote this record, so you do not accept or send it back" in body


def test_the_service_refuses_an_educator_judging_her_own_record(cast):
    record = educators_supervision_record(cast)
    with pytest.raises(ValidationError, match="You wrote this record yourself"):
        services.evidence_review(actor=cast.educator, evidence=record, accept=True)
    assert Evidence.objects.get(pk=record.pk).status == Evidence.Status.SUBMITTED


def test_a_forged_post_judging_her_own_record_changes_nothing(client, cast):
    record = educators_supervision_record(cast)
    client.force_login(cast.educator)
    response = client.post(
        reverse("portfolios:evidence-review", kwargs={"pk": record.pk}), {"decision": "accept"}
    )
    assert response.status_code == 302
    assert Evidence.objects.get(pk=record.pk).status == Evidence.Status.SUBMITTED


def test_the_edit_link_says_what_it_opens(client, cast):
    evidence = draft(cast)
    body = page(client, cast.student, "evidence-detail", evidence)
    assert ">Edit this evidence</a>" in body
    assert ">Edit</a>" not in body


# --- One truth on counts ------------------------------------------------------------------------


def test_student_and_educator_see_the_same_counts_with_the_students_drafts_named_apart(
    client, cast
):
    submitted(cast, title="Shared item", domains=(1, 2))
    draft(cast, title="Unfinished", domains=(3,))
    student = page_at(client, cast.student, "portfolios:dashboard-student")
    educator = page_at(client, cast.educator, "portfolios:dashboard-educator")
    assert "1 submitted" in student
    assert "and 1 draft only you can see" in student
    assert "2 of 9 domains evidenced by submitted items" in student
    row = re.search(r'data-label="Evidence">(\d+)', educator)
    assert row.group(1) == "1"
    assert "only you can see" not in educator
    assert re.search(r'data-label="Coverage"><div class="small">2/9</div>', educator)


def page_at(client, user, name: str) -> str:
    client.force_login(user)
    return html.unescape(client.get(reverse(name)).content.decode())


# --- Errors are announced ------------------------------------------------------------------------


def test_a_crispy_field_error_is_an_alert_linked_to_its_field(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.tutor)
    response = client.post(
        reverse("portfolios:evidence-comment", kwargs={"pk": evidence.pk}), {"text": ""}
    )
    body = html.unescape(response.content.decode())
    assert '<div id="id_text_error" class="invalid-feedback" role="alert">' in body
    assert re.search(r'<textarea[^>]*aria-describedby="id_text_helptext id_text_error"', body)


def test_an_error_message_at_the_top_of_a_page_is_an_alert(client, cast):
    evidence = submitted(cast)
    client.force_login(cast.student)
    response = client.get(
        reverse("portfolios:evidence-submit", kwargs={"pk": evidence.pk}), follow=True
    )
    body = response.content.decode()
    assert 'class="alert alert-danger" role="alert">This evidence has already been submitted.' in (
        body
    )


# --- Limits stated beside hand-written boxes -----------------------------------------------------


def test_the_reason_for_a_status_change_states_its_limit(client, cast):
    body = page(client, cast.coordinator, "placement-detail", cast.placement)
    assert re.search(r'<textarea[^>]*name="reason"[^>]*maxlength="2000"', body)
    assert ">Up to 2,000 characters.</div>" in body


def test_the_service_users_boxes_state_their_limits(client, cast):
    _, token = services.feedback_request_create(
        actor=cast.student, placement=cast.placement, work_description="our meeting"
    )
    body = html.unescape(
        client.get(reverse("portfolios:feedback-give", args=[token])).content.decode()
    )
    assert 'id="went_well-limit">Up to 3,000 characters.</div>' in body
    assert 'id="could_improve-limit">Up to 3,000 characters.</div>' in body
    assert 'id="given_name-limit">Up to 100 characters.</div>' in body
    assert re.search(r'<textarea[^>]*name="went_well"[^>]*maxlength="3000"', body)
