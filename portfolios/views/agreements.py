"""The learning agreement: drafted by the educator or student, signed by everyone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolios import services
from portfolios.forms import apply_service_errors
from portfolios.forms.agreements import AgreementAmendForm, AgreementForm
from portfolios.models import AgreementSignature, LearningAgreement, LearningGoal, Placement
from portfolios.views.common import error_message, placement_for

Status = LearningAgreement.Status


def _agreements(placement: Placement) -> list[LearningAgreement]:
    """Every version, newest first, with goals and signatures in one query each."""
    return list(
        placement.agreements.select_related("created_by").prefetch_related(
            Prefetch("goals", LearningGoal.objects.select_related("domain")),
            Prefetch("signatures", AgreementSignature.objects.select_related("user")),
        )
    )


def _signers(placement: Placement, agreement: LearningAgreement) -> list[dict]:
    """One row per person who must sign: their part, who they are, and their signature."""
    people = {
        "student": placement.student,
        "educator": placement.educator,
        "supervisor": placement.supervisor,
        "tutor": placement.tutor,
    }
    signed = {s.role: s for s in agreement.signatures.all()}
    return [
        {
            "role": AgreementSignature.Role(role).label,
            "person": people[role],
            "signature": signed.get(role),
        }
        for role in services.agreement_required_roles(placement=placement)
    ]


def _render_detail(request, placement: Placement, amend_form: AgreementAmendForm | None = None):
    user = request.user
    versions = _agreements(placement)
    current = next((a for a in versions if a.status != Status.SUPERSEDED), None)
    # Why each earlier version was replaced is the reason given for the version after it.
    reasons = {a.previous_id: a.amendment_reason for a in versions if a.previous_id}
    for version in versions:
        version.replaced_because = reasons.get(version.pk, "")
    can_draft = services.agreement_can_draft(placement=placement, user=user)
    context = {
        "placement": placement,
        "agreement": current,
        "earlier": [a for a in versions if a.status == Status.SUPERSEDED],
        "can_draft": can_draft,
        "word": placement.framework.domain_word,
    }
    if current is not None:
        goals = {g.domain_id: g.text for g in current.goals.all()}
        signed_roles = {s.role for s in current.signatures.all()}
        my_roles = services.agreement_signer_roles(placement=placement, user=user)
        context.update(
            {
                "goals": [(d, goals.get(d.pk)) for d in placement.framework.domains.all()],
                "signers": _signers(placement, current),
                "is_being_signed": bool(signed_roles),
                "problems": services.agreement_sign_problems(agreement=current),
                "can_sign": current.status == Status.DRAFT
                and any(role not in signed_roles for role in my_roles),
                "can_edit": can_draft and not signed_roles,
                "amend_form": (amend_form or AgreementAmendForm())
                if can_draft and signed_roles
                else None,
            }
        )
    return render(request, "portfolios/agreement_detail.html", context)


@login_required
def agreement_detail(request, pk):
    return _render_detail(request, placement_for(request, pk))


@login_required
def agreement_edit(request, pk):
    placement = placement_for(request, pk)
    if not services.agreement_can_draft(placement=placement, user=request.user):
        raise PermissionDenied("Only the student and their educator draft the learning agreement.")
    agreement = services.agreement_current(placement=placement)
    if agreement is not None and agreement.signatures.exists():
        messages.info(
            request, "The learning agreement is being signed; to change it, amend it below."
        )
        return redirect("portfolios:agreement-detail", pk=placement.pk)
    form = AgreementForm(
        request.POST or None,
        domains=placement.framework.domains.all(),
        agreement=agreement,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_save(actor=request.user, placement=placement, **form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The learning agreement is saved.")
            return redirect("portfolios:agreement-detail", pk=placement.pk)
    context = {"form": form, "placement": placement, "agreement": agreement}
    return render(request, "portfolios/agreement_form.html", context)


def _current_or_404(placement: Placement) -> LearningAgreement:
    agreement = services.agreement_current(placement=placement)
    if agreement is None:
        raise Http404("There is no learning agreement yet.")
    return agreement


@require_POST
@login_required
def agreement_sign(request, pk):
    placement = placement_for(request, pk)
    agreement = _current_or_404(placement)
    try:
        agreement = services.agreement_sign(actor=request.user, agreement=agreement)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        if agreement.status == Status.SIGNED:
            messages.success(request, "You have signed. Everyone has now signed the agreement.")
        else:
            messages.success(request, "You have signed the learning agreement.")
    return redirect("portfolios:agreement-detail", pk=placement.pk)


@require_POST
@login_required
def agreement_amend(request, pk):
    placement = placement_for(request, pk)
    if not services.agreement_can_draft(placement=placement, user=request.user):
        raise PermissionDenied("Only the student and their educator amend the learning agreement.")
    agreement = _current_or_404(placement)
    form = AgreementAmendForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_amend(
                actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, error_message(error))
                return redirect("portfolios:agreement-detail", pk=placement.pk)
            apply_service_errors(form, error)
        else:
            messages.success(
                request, "A new version is open for editing. Everyone signs it again when ready."
            )
            return redirect("portfolios:agreement-edit", pk=placement.pk)
    return _render_detail(request, placement, amend_form=form)
