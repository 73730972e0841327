from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portfolios import selectors, services
from portfolios.downloads import evidence_file_response
from portfolios.forms import apply_service_errors
from portfolios.forms.evidence import (
    CommentForm,
    ConfidentialNamesForm,
    EvidenceForm,
    EvidenceReviewForm,
)
from portfolios.models import (
    DirectObservation,
    Evidence,
    EvidenceFile,
    PendingUpload,
    Placement,
    ServiceUserFeedback,
    SupervisionRecord,
)
from portfolios.services.evidence import (
    IdentifiersFound,
    evidence_confidentiality_findings,
    placement_is_open,
)
from portfolios.views.common import (
    error_message,
    evidence_for,
    placement_for,
    refuse_if_closed,
    save_failed,
)

# Column headings of the coverage matrix, short enough to sit side by side.
# A page long enough to scan a month or two of practice, short enough to load at once.
EVIDENCE_PAGE_SIZE = 50

SHORT_KIND_LABELS = {
    Evidence.Kind.DIRECT_OBSERVATION: "Observation",
    Evidence.Kind.CRITICAL_REFLECTION: "Reflection",
    Evidence.Kind.SUPERVISION: "Supervision",
    Evidence.Kind.SERVICE_USER_FEEDBACK: "Service user feedback",
    Evidence.Kind.CASE_REVIEW: "Case review",
    Evidence.Kind.WRITTEN_WORK: "Written work",
    Evidence.Kind.OTHER: "Other",
}


@login_required
def evidence_list(request, pk):
    placement = placement_for(request, pk)
    items = selectors.evidence_list_for_placement(user=request.user, placement=placement)
    kind = request.GET.get("kind", "")
    if kind in Evidence.Kind.values:
        items = items.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(items, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "placement": placement,
        "items": page.object_list,
        "page": page,
        "query": urlencode({"kind": kind}) if kind else "",
        "kind": kind,
        "kinds": Evidence.Kind.choices,
        "can_add": request.user.has_perm("portfolios.submit_evidence", placement),
        "is_educator": request.user.has_perm("portfolios.assess_placement", placement),
        "is_open": placement_is_open(placement),
    }
    return render(request, "portfolios/evidence_list.html", context)


@login_required
def coverage(request, pk):
    placement = placement_for(request, pk)
    context = {
        "placement": placement,
        "rows": selectors.coverage_matrix(user=request.user, placement=placement),
        "own_drafts": selectors.own_draft_count(user=request.user, placement=placement),
        "kinds": [(value, SHORT_KIND_LABELS[value]) for value in Evidence.Kind.values],
    }
    return render(request, "portfolios/coverage.html", context)


def _hold_uploads(request, placement: Placement, form: EvidenceForm) -> list[PendingUpload]:
    """Check and hold this post's files, with those held from earlier attempts that the
    student kept ticked, so nothing needs uploading twice after a mistake elsewhere."""
    kept = selectors.pending_uploads_for(
        user=request.user, placement=placement, ids=request.POST.getlist("pending")
    )
    try:
        held, problems = services.pending_uploads_store(
            actor=request.user, placement=placement, files=request.FILES.getlist("files")
        )
    except (DatabaseError, OSError) as error:
        held, problems = [], [save_failed(request, error)]
    for problem in problems:
        form.add_error("files", problem)
    return [*kept, *held]


@login_required
def evidence_create(request, pk):
    placement = placement_for(request, pk)
    if not request.user.has_perm("portfolios.submit_evidence", placement):
        raise PermissionDenied("Only the student adds evidence to their placement.")
    if refused := refuse_if_closed(request, placement, "portfolios:evidence-list", pk=placement.pk):
        return refused
    form = EvidenceForm(request.POST or None, placement=placement)
    pending: list[PendingUpload] = []
    findings: dict = {}
    if request.method == "POST":
        pending = _hold_uploads(request, placement, form)
        if form.is_valid():
            try:
                evidence = services.evidence_create(
                    actor=request.user,
                    placement=placement,
                    pending=pending,
                    confirmed_fingerprints=request.POST.getlist("confirm"),
                    **form.service_kwargs(),
                )
            except (DatabaseError, OSError) as error:
                messages.error(request, save_failed(request, error))
            except ValidationError as error:
                apply_service_errors(form, error)
                findings = getattr(error, "findings", {})
            else:
                messages.success(request, "Saved as a draft. Submit it when it is ready.")
                return redirect(evidence)
    context = {"form": form, "placement": placement, "pending": pending}
    return render(request, "portfolios/evidence_form.html", context | _findings(request, findings))


def _findings(request, findings: dict) -> dict:
    """What the page needs to show each possible identifier beside its field, and to keep the
    student's earlier confirmations while they fix something else."""
    return {"findings": findings, "confirmed": request.POST.getlist("confirm")}


@login_required
def evidence_update(request, pk):
    evidence = evidence_for(request, pk)
    placement = evidence.placement
    if not request.user.has_perm("portfolios.submit_evidence", placement):
        raise PermissionDenied("Only the student can change their evidence.")
    if not evidence.is_editable:
        messages.error(request, "This evidence can no longer be changed.")
        return redirect(evidence)
    if refused := refuse_if_closed(request, placement, evidence):
        return refused
    form = EvidenceForm(
        request.POST or None, placement=placement, initial=EvidenceForm.initial_from(evidence)
    )
    pending: list[PendingUpload] = []
    findings: dict = {}
    if request.method == "POST":
        pending = _hold_uploads(request, placement, form)
        if form.is_valid():
            try:
                services.evidence_update(
                    actor=request.user,
                    evidence=evidence,
                    pending=pending,
                    confirmed_fingerprints=request.POST.getlist("confirm"),
                    **form.service_kwargs(),
                )
            except (DatabaseError, OSError) as error:
                messages.error(request, save_failed(request, error))
            except ValidationError as error:
                apply_service_errors(form, error)
                findings = getattr(error, "findings", {})
            else:
                messages.success(request, "Changes saved.")
                return redirect(evidence)
    context = {"form": form, "placement": placement, "evidence": evidence, "pending": pending}
    return render(request, "portfolios/evidence_form.html", context | _findings(request, findings))


@login_required
def evidence_detail(request, pk):
    return _render_detail(request, evidence_for(request, pk))


def _render_detail(
    request,
    evidence: Evidence,
    review_form: EvidenceReviewForm | None = None,
    comment_form: CommentForm | None = None,
    findings: dict | None = None,
):
    """The evidence page; a review or comment form with errors is shown again with what was
    typed (and a refused comment with what may identify someone beside it)."""
    placement, user = evidence.placement, request.user
    observation = DirectObservation.objects.filter(evidence=evidence).first()
    supervision = SupervisionRecord.objects.filter(evidence=evidence).first()
    educator = user.has_perm("portfolios.assess_placement", placement)
    awaiting_review = evidence.status in (Evidence.Status.SUBMITTED, Evidence.Status.RESUBMITTED)
    context = {
        "observation": observation,
        "observation_feedback": (
            observation.feedback.select_related("domain", "written_by") if observation else []
        ),
        "can_write_feedback": educator
        and observation is not None
        and evidence.status != Evidence.Status.DRAFT
        and evidence.locked_at is None,
        "supervision": supervision,
        "can_confirm": supervision is not None
        and supervision.confirmed_at is None
        and evidence.status != Evidence.Status.DRAFT
        and evidence.created_by_id != user.pk
        and (educator or user.has_perm("portfolios.submit_evidence", placement)),
        "su_feedback": ServiceUserFeedback.objects.filter(evidence=evidence).first(),
        "evidence": evidence,
        "placement": placement,
        "mappings": evidence.mappings.select_related("domain"),
        "files": evidence.files.all(),
        "comments": evidence.comments.select_related("author"),
        "is_student": user.has_perm("portfolios.submit_evidence", placement),
        "can_review": educator and awaiting_review and evidence.created_by_id != user.pk,
        "own_record_waiting": educator and awaiting_review and evidence.created_by_id == user.pk,
        "can_verify": user.has_perm("portfolios.assess_placement", placement)
        and evidence.needs_verification,
        "can_quote": user.has_perm("portfolios.assess_placement", placement)
        and evidence.kind == Evidence.Kind.SERVICE_USER_FEEDBACK
        and placement_is_open(placement),
        "can_comment": (
            user.has_perm("portfolios.comment_placement", placement)
            or user.has_perm("portfolios.submit_evidence", placement)
        )
        and evidence.status != Evidence.Status.DRAFT,
        "review_form": review_form or EvidenceReviewForm(),
        "comment_form": comment_form or CommentForm(),
        **_findings(request, findings or {}),
    }
    return render(request, "portfolios/evidence_detail.html", context)


@login_required
def evidence_submit(request, pk):
    """GET: the confidentiality check, each finding in context. POST: submit."""
    evidence = evidence_for(request, pk)
    if not request.user.has_perm("portfolios.submit_evidence", evidence.placement):
        raise PermissionDenied("Only the student submits their evidence.")
    if not evidence.is_editable:
        messages.error(request, "This evidence has already been submitted.")
        return redirect(evidence)
    if request.method == "POST":
        try:
            services.evidence_submit(
                actor=request.user,
                evidence=evidence,
                confirmed_fingerprints=request.POST.getlist("confirm"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Submitted. Your educator has been able to see it from now.")
            return redirect(evidence)
    findings = evidence_confidentiality_findings(evidence=evidence)
    context = {"evidence": evidence, "placement": evidence.placement, "findings": findings}
    return render(request, "portfolios/evidence_submit.html", context)


@require_POST
@login_required
def evidence_review(request, pk):
    evidence = evidence_for(request, pk)
    form = EvidenceReviewForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, evidence, review_form=form)
    try:
        services.evidence_review(
            actor=request.user,
            evidence=evidence,
            accept=form.cleaned_data["decision"] == "accept",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):  # about what was typed: shown beside it, kept
            apply_service_errors(form, error)
            return _render_detail(request, evidence, review_form=form)
        messages.error(request, error_message(error))
    except PermissionDenied as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "Your review has been recorded and the student can see it.")
    return redirect(evidence)


@require_POST
@login_required
def evidence_verify(request, pk):
    evidence = evidence_for(request, pk)
    try:
        services.evidence_verify(actor=request.user, evidence=evidence)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "Marked as verified.")
    return redirect(evidence)


@require_POST
@login_required
def evidence_feedback_quote(request, pk):
    """The educator chooses whether the final report quotes this feedback."""
    evidence = evidence_for(request, pk)
    for_report = request.POST.get("for_report") == "1"
    try:
        services.feedback_quote_set(actor=request.user, evidence=evidence, for_report=for_report)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(
            request,
            "The final report will quote these words, without the person's name."
            if for_report
            else "The final report will not quote these words.",
        )
    return redirect(evidence)


@require_POST
@login_required
def evidence_comment(request, pk):
    evidence = evidence_for(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, evidence, comment_form=form)
    try:
        services.evidence_comment_add(
            actor=request.user,
            evidence=evidence,
            text=form.cleaned_data["text"],
            confirmed_fingerprints=request.POST.getlist("confirm"),
        )
    except IdentifiersFound as found:
        apply_service_errors(form, found)
        return _render_detail(request, evidence, comment_form=form, findings=found.findings)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_detail(request, evidence, comment_form=form)
    except PermissionDenied as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "Comment added; the student has been told by email.")
    return redirect(evidence)


@login_required
def evidence_file_download(request, pk):
    """Files are only ever served here, after the permission check, as attachments."""
    item = get_object_or_404(
        EvidenceFile.objects.filter(
            evidence__in=selectors.evidence_visible_to(user=request.user).values("pk")
        ),
        pk=pk,
    )
    return evidence_file_response(item)


@require_POST
@login_required
def evidence_file_delete(request, pk):
    item = get_object_or_404(
        EvidenceFile.objects.filter(
            evidence__in=selectors.evidence_visible_to(user=request.user).values("pk")
        ).select_related("evidence__placement"),
        pk=pk,
    )
    try:
        services.evidence_file_delete(actor=request.user, evidence_file=item)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, f"Removed “{item.original_name}”.")
    if request.user.has_perm("portfolios.submit_evidence", item.evidence.placement):
        return redirect("portfolios:evidence-update", pk=item.evidence_id)
    return redirect("portfolios:evidence-detail", pk=item.evidence_id)


@login_required
def confidential_names(request, pk):
    placement = placement_for(request, pk)
    user = request.user
    if not (
        user.has_perm("portfolios.submit_evidence", placement)
        or user.has_perm("portfolios.assess_placement", placement)
    ):
        raise PermissionDenied("Only the student and their educator keep this list.")
    current = "\n".join(placement.confidential_names.values_list("name", flat=True))
    form = ConfidentialNamesForm(request.POST or None, initial={"names": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_confidential_names_set(
                actor=user, placement=placement, names=form.cleaned_data["names"].splitlines()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The list of names to keep out is saved.")
            return redirect("portfolios:evidence-list", pk=placement.pk)
    return render(
        request, "portfolios/confidential_names.html", {"form": form, "placement": placement}
    )
