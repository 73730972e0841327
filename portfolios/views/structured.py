"""Observation feedback, supervision records, and feedback links for service users and
carers (the only pages here that need no account)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portfolios import services
from portfolios.forms import apply_service_errors
from portfolios.forms.evidence import (
    FeedbackRequestForm,
    ObservationFeedbackForm,
    ServiceUserFeedbackForm,
    SupervisionRecordForm,
)
from portfolios.models import DirectObservation
from portfolios.services.evidence import placement_is_open
from portfolios.views.common import error_message, evidence_for, placement_for, refuse_if_closed


@login_required
def observation_feedback(request, pk):
    evidence = evidence_for(request, pk)
    placement = evidence.placement
    if not request.user.has_perm("portfolios.assess_placement", placement):
        raise PermissionDenied(f"Only the {placement.framework.educator_title} writes this.")
    if evidence.locked_at is not None:
        messages.error(request, "This observation is cited in a signed review and is locked.")
        return redirect(evidence)
    observation = DirectObservation.objects.filter(evidence=evidence).first()
    existing = dict(observation.feedback.values_list("domain_id", "text")) if observation else {}
    domains = [m.domain for m in evidence.mappings.select_related("domain")]
    form = ObservationFeedbackForm(
        request.POST or None,
        domains=domains,
        existing=existing,
        word=placement.framework.domain_word,
    )
    findings: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_feedback_save(
                actor=request.user,
                evidence=evidence,
                feedback=form.feedback(),
                confirmed_fingerprints=request.POST.getlist("confirm"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            findings = getattr(error, "findings", {})
        else:
            messages.success(request, "Your feedback on the observation is saved.")
            return redirect(evidence)
    context = {"form": form, "evidence": evidence, "placement": placement}
    return render(
        request, "portfolios/observation_feedback.html", context | _findings(request, findings)
    )


def _findings(request, findings: dict) -> dict:
    """What the confidentiality check found, by field, and the boxes already ticked."""
    return {"findings": findings, "confirmed": request.POST.getlist("confirm")}


@login_required
def supervision_create(request, pk):
    placement = placement_for(request, pk)
    if not request.user.has_perm("portfolios.assess_placement", placement):
        raise PermissionDenied("The educator records supervision here; students use Add evidence.")
    if refused := refuse_if_closed(request, placement, "portfolios:evidence-list", pk=placement.pk):
        return refused
    form = SupervisionRecordForm(request.POST or None)
    findings: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.supervision_record_create(
                actor=request.user,
                placement=placement,
                confirmed_fingerprints=request.POST.getlist("confirm"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            findings = getattr(error, "findings", {})
        else:
            messages.success(request, "Supervision recorded. The student is asked to confirm it.")
            return redirect(evidence)
    context = {"form": form, "placement": placement} | _findings(request, findings)
    return render(request, "portfolios/supervision_form.html", context)


@require_POST
@login_required
def supervision_confirm(request, pk):
    evidence = evidence_for(request, pk)
    try:
        services.supervision_record_confirm(actor=request.user, evidence=evidence)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "You have confirmed this supervision record.")
    return redirect(evidence)


@login_required
def feedback_requests(request, pk):
    """The student's or educator's feedback links for one placement, and a form for a new one.
    A new link and its QR code are shown once, straight after it is made."""
    placement = placement_for(request, pk)
    user = request.user
    if not (
        user.has_perm("portfolios.submit_evidence", placement)
        or user.has_perm("portfolios.assess_placement", placement)
    ):
        raise PermissionDenied("Only the student and their educator ask for feedback.")
    is_open = placement_is_open(placement)
    if request.method == "POST" and not is_open:
        return refuse_if_closed(request, placement, "portfolios:feedback-requests", pk=placement.pk)
    form = FeedbackRequestForm(request.POST or None)
    new_link = qr = None
    if request.method == "POST" and form.is_valid():
        try:
            _, token = services.feedback_request_create(
                actor=user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            new_link = request.build_absolute_uri(
                reverse("portfolios:feedback-give", kwargs={"token": token})
            )
            qr = _qr_data_uri(new_link)
            form = FeedbackRequestForm()
    context = {
        "placement": placement,
        "form": form,
        "is_open": is_open,
        "new_link": new_link,
        "qr": qr,
        "requests": placement.feedback_requests.select_related("created_by", "evidence"),
        "now": timezone.now(),
    }
    return render(request, "portfolios/feedback_requests.html", context)


def _qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, so it shows under a CSP that forbids inline styles."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
def feedback_give(request, token):
    """Public: no account. Says nothing about the placement beyond the student's first name
    and the piece of work, and the same thing for an unknown, used or expired link."""
    feedback_request = services.feedback_request_for_token(token)
    if feedback_request is None:
        return render(request, "portfolios/feedback_closed.html", status=404)
    form = ServiceUserFeedbackForm(request.POST or None)
    findings: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(
                token=token,
                confirmed_fingerprints=request.POST.getlist("confirm"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            findings = getattr(error, "findings", {})
        else:
            return render(request, "portfolios/feedback_thanks.html")
    context = {
        "form": form,
        "student_name": feedback_request.placement.student.first_name or "the student",
        "work": feedback_request.work_description,
        **_findings(request, findings),
    }
    return render(request, "portfolios/feedback_give.html", context)
