from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.forms import (
    AcknowledgeForm,
    ConcernForm,
    ConcernOutcomeForm,
    CountersignForm,
    JudgementForm,
    LearningNeedForm,
    OutcomeForm,
    RatifyForm,
    ReasonForm,
    ReturnForm,
    ReviewCommentForm,
    StrengthForm,
    SuitabilityForm,
    SupervisorStatementForm,
)
from assessments.models import (
    Concern,
    Judgement,
    LearningNeed,
    Review,
    Strength,
    Suitability,
)
from assessments.rules import CITABLE
from portfolios.forms import apply_service_errors
from portfolios.models import Evidence, EvidenceMapping, PracticeArea
from portfolios.selectors import placements_visible_to
from portfolios.views.common import error_message, save_failed


def _review(request, pk) -> Review:
    return selectors.with_people(
        get_object_or_404(selectors.review_for_page(user=request.user, pk=pk))
    )


def _is_educator(user, review: Review) -> bool:
    return user.has_perm("portfolios.assess_placement", review.placement)


@login_required
def placement_reviews(request, pk):
    placement = get_object_or_404(
        placements_visible_to(user=request.user).select_related("framework", "student"), pk=pk
    )
    reviews = selectors.placement_reviews(user=request.user, placement=placement)
    educator = request.user.has_perm("portfolios.assess_placement", placement)
    kinds_started = {r.kind for r in reviews}
    context = {
        "placement": placement,
        "reviews": reviews,
        "being_written": selectors.reviews_being_written_for(
            user=request.user, placement=placement
        ),
        "can_start": [
            (kind, label)
            for kind, label in Review.Kind.choices
            if educator and kind not in kinds_started and placement.status == "active"
        ],
        "concerns": placement.concerns.select_related("raised_by").prefetch_related("domains"),
        "can_raise": educator
        or request.user.has_perm("portfolios.countersign_placement", placement),
    }
    return render(request, "assessments/placement_reviews.html", context)


@require_POST
@login_required
def review_start(request, pk):
    placement = get_object_or_404(placements_visible_to(user=request.user), pk=pk)
    try:
        review = services.review_start(
            actor=request.user, placement=placement, kind=request.POST.get("kind", "")
        )
    except (ValidationError, PermissionDenied, ValueError) as error:
        messages.error(
            request,
            error_message(error)
            if not isinstance(error, ValueError)
            else ("Choose a midpoint or a final review."),
        )
        return redirect("assessments:placement-reviews", pk=placement.pk)
    return redirect(review)


@login_required
def review_detail(request, pk):
    return _render_review(request, _review(request, pk))


def _render_review(request, review: Review, comment_form: ReviewCommentForm | None = None):
    """The review page; a refused comment is shown again with what was typed."""
    user, placement = request.user, review.placement
    educator = _is_educator(user, review)
    context = {
        "review": review,
        "placement": placement,
        "judgements": selectors.judgements_for_review(review),
        "strengths": review.strengths.prefetch_related("domains"),
        "suitability": review.suitability.select_related("practice_area"),
        "learning_needs": review.learning_needs.all(),
        "is_supervisor": placement.supervisor_id == user.pk,
        "is_student": placement.student_id == user.pk,
        "recommendation_domains": review.recommendation_domains.all(),
        "comments": review.comments.select_related("author"),
        "versions": selectors.placement_reviews(user=user, placement=placement).filter(
            kind=review.kind
        ),
        "open_concerns": selectors.open_concerns([placement]).prefetch_related("domains"),
        "can_edit": educator and review.status == Review.Status.DRAFT,
        "can_amend": educator
        and review.status in (Review.Status.SIGNED, Review.Status.ACKNOWLEDGED),
        "can_acknowledge": placement.student_id == user.pk
        and review.status == Review.Status.SIGNED,
        "can_countersign": review.is_final
        and user.has_perm("portfolios.countersign_placement", placement)
        and review.status == Review.Status.ACKNOWLEDGED,
        "can_panel": review.status == Review.Status.COUNTERSIGNED
        and "panel" in _relations(user, placement),
        "can_comment": user.has_perm("portfolios.comment_placement", placement) and not educator,
        "can_see_history": educator or user.has_perm("portfolios.countersign_placement", placement),
        "sign_checks": services.review_sign_checks(review=review)
        if educator and review.status == Review.Status.DRAFT
        else None,
        "comment_form": comment_form or ReviewCommentForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "assessments/review_detail.html", context)


def _relations(user, placement) -> set[str]:
    from portfolios.services import actor_relations

    return actor_relations(placement=placement, user=user)


@login_required
def judgement_edit(request, pk, order):
    """One domain at a time, with that domain's evidence beside the narrative."""
    review = _review(request, pk)
    if not _is_educator(request.user, review):
        raise PermissionDenied("Only the educator writes the judgements.")
    if review.status != Review.Status.DRAFT:
        if request.headers.get("X-Autosave"):
            return JsonResponse({"saved": False, "errors": {"__all__": ["Locked."]}}, status=409)
        messages.error(request, "This review is signed and locked; amend it to make a change.")
        return redirect(review)
    judgements = list(selectors.judgements_for_review(review))
    judgement = next((j for j in judgements if j.domain.order == order), None)
    if judgement is None:
        return redirect(review)
    form = _judgement_form(request, review, judgement)
    saved = (
        request.method == "POST" and form.is_valid() and _save_judgement(request, form, judgement)
    )
    if saved:
        if request.headers.get("X-Autosave"):
            return JsonResponse({"saved": True})
        messages.success(request, f"Saved {judgement.domain.name}.")
        following = [j for j in judgements if j.domain.order > order]
        if "next" in request.POST and following:
            return redirect(
                "assessments:judgement-edit", pk=review.pk, order=following[0].domain.order
            )
        return redirect(review)
    if request.headers.get("X-Autosave"):
        return JsonResponse({"saved": False, "errors": form.errors}, status=400)
    position = judgements.index(judgement)
    self_rating = selectors.self_ratings_for(review.placement, review.kind).get(judgement.domain_id)
    context = {
        "review": review,
        "placement": review.placement,
        "judgement": judgement,
        "form": form,
        "evidence_rows": _evidence_rows(review, judgement),
        "self_rating": self_rating,
        "point_to_discuss": self_rating is not None
        and selectors.is_point_to_discuss(self_rating.grade, judgement.grade),
        "previous": judgements[position - 1] if position else None,
        "next": judgements[position + 1] if position + 1 < len(judgements) else None,
    }
    return render(request, "assessments/judgement_form.html", context)


def _judgement_form(request, review: Review, judgement: Judgement) -> JudgementForm:
    cited = [c.evidence_id for c in judgement.citations.all()]
    citable = (
        Evidence.objects.filter(placement=review.placement)
        .filter(Q(mappings__domain=judgement.domain, status__in=CITABLE) | Q(pk__in=cited))
        .distinct()
        .order_by("-practice_date")
    )
    initial = {"grade": judgement.grade_id, "narrative": judgement.narrative, "evidence": cited}
    return JudgementForm(
        request.POST or None,
        grades=review.placement.grading_scale.grades.all(),
        evidence=citable,
        initial=initial,
        word=review.placement.framework.domain_word,
    )


def _evidence_rows(review: Review, judgement: Judgement) -> list[dict]:
    """Every item mapped to the domain that has left the student's drafts, and every item
    cited here, with its status: citable ones can be ticked; one sent back or unmapped after it
    was cited is flagged with the way out."""
    order = {c.evidence_id: c.order + 1 for c in judgement.citations.all()}
    mapped = Evidence.objects.filter(
        placement=review.placement, mappings__domain=judgement.domain
    ).values("pk")
    items = (
        Evidence.objects.filter(placement=review.placement)
        .filter(Q(pk__in=mapped) | Q(pk__in=order))
        .exclude(Q(status=Evidence.Status.DRAFT) & ~Q(pk__in=order))
        .annotate(is_mapped=Q(pk__in=mapped))
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=EvidenceMapping.objects.filter(domain=judgement.domain),
                to_attr="notes_here",
            )
        )
        .order_by("-practice_date", "title")
    )
    return [
        {
            "item": item,
            "position": order.get(item.pk),
            "citable": item.status in CITABLE and item.is_mapped,
            "sent_back": item.status not in CITABLE and item.pk in order,
            "unmapped": not item.is_mapped and item.pk in order,
        }
        for item in items
    ]


def _save_judgement(request, form: JudgementForm, judgement: Judgement) -> bool:
    try:
        services.judgement_save(
            actor=request.user,
            judgement=judgement,
            grade=form.cleaned_data["grade"],
            narrative=form.cleaned_data["narrative"],
            evidence=form.ordered_evidence(request.POST),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return True


@login_required
def strengths_suitability(request, pk):
    review = _review(request, pk)
    if not _is_educator(request.user, review):
        raise PermissionDenied("Only the educator records strengths and suitability.")
    if review.status != Review.Status.DRAFT:
        messages.error(request, "This review is signed and locked; amend it to make a change.")
        return redirect(review)
    framework = review.placement.framework
    strength_form = StrengthForm(
        request.POST if "add_strength" in request.POST else None,
        domains=framework.domains.all(),
        word=framework.domain_word_plural,
    )
    suitability_form = SuitabilityForm(request.POST if "save_suitability" in request.POST else None)
    need_form = LearningNeedForm(request.POST if "add_need" in request.POST else None)
    forms_and_services = [
        ("add_strength", strength_form, services.strength_add),
        ("add_need", need_form, services.learning_need_add),
        ("save_suitability", suitability_form, services.suitability_save),
    ]
    _, form, save = next(
        (f for f in forms_and_services if f[0] in request.POST), forms_and_services[-1]
    )
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("assessments:strengths-suitability", pk=review.pk)
    context = {
        "review": review,
        "placement": review.placement,
        "strength_form": strength_form,
        "suitability_form": suitability_form,
        "need_form": need_form,
        "learning_needs": review.learning_needs.all() if review.is_final else None,
        "strengths": review.strengths.prefetch_related("domains"),
        "suitability": review.suitability.select_related("practice_area"),
        "areas": PracticeArea.objects.all(),
    }
    return render(request, "assessments/strengths_suitability.html", context)


@require_POST
@login_required
def strength_remove(request, pk):
    strength = get_object_or_404(
        Strength.objects.filter(
            review__in=selectors.reviews_visible_to(user=request.user)
        ).select_related("review__placement"),
        pk=pk,
    )
    try:
        services.strength_remove(actor=request.user, strength=strength)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    return redirect("assessments:strengths-suitability", pk=strength.review_id)


@require_POST
@login_required
def learning_need_remove(request, pk):
    need = get_object_or_404(
        LearningNeed.objects.filter(
            review__in=selectors.reviews_visible_to(user=request.user)
        ).select_related("review__placement"),
        pk=pk,
    )
    try:
        services.learning_need_remove(actor=request.user, need=need)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    return redirect("assessments:strengths-suitability", pk=need.review_id)


@login_required
def supervisor_statement(request, pk):
    """The on-site supervisor's statement on the final review, written before signing."""
    review = _review(request, pk)
    if review.placement.supervisor_id != request.user.pk or not review.is_final:
        raise PermissionDenied(
            "Only the on-site supervisor writes a statement on the final review."
        )
    form = SupervisorStatementForm(
        request.POST or None, initial={"text": review.supervisor_statement}
    )
    if request.method == "POST" and review.status == Review.Status.DRAFT and form.is_valid():
        try:
            services.supervisor_statement_save(
                actor=request.user, review=review, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your statement is saved on the final review.")
            return redirect(review)
    context = {"review": review, "placement": review.placement, "form": form}
    return render(request, "assessments/supervisor_statement.html", context)


@require_POST
@login_required
def suitability_remove(request, pk):
    row = get_object_or_404(
        Suitability.objects.filter(
            review__in=selectors.reviews_visible_to(user=request.user)
        ).select_related("review__placement"),
        pk=pk,
    )
    try:
        services.suitability_remove(actor=request.user, suitability=row)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    return redirect("assessments:strengths-suitability", pk=row.review_id)


@login_required
def review_outcome(request, pk):
    review = _review(request, pk)
    if not _is_educator(request.user, review):
        raise PermissionDenied("Only the educator writes the recommendation.")
    if review.status != Review.Status.DRAFT:
        messages.error(request, "This review is signed and locked; amend it to make a change.")
        return redirect(review)
    initial = {
        "summary": review.summary,
        "midpoint_outcome": review.midpoint_outcome,
        "recommendation": review.recommendation,
        "recommendation_justification": review.recommendation_justification,
        "no_concern_reason": review.no_concern_reason,
        "recommendation_domains": list(review.recommendation_domains.all()),
    }
    form = OutcomeForm(request.POST or None, review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_outcome_save(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect(review)
    placement = review.placement
    context = {
        "review": review,
        "placement": placement,
        "form": form,
        "days_short": placement.days_completed + placement.programme.days_tolerance
        < placement.required_days,
    }
    return render(request, "assessments/review_outcome.html", context)


@login_required
def review_sign(request, pk):
    review = _review(request, pk)
    if not _is_educator(request.user, review):
        raise PermissionDenied("Only the educator signs the review.")
    if request.method == "POST":
        try:
            services.review_sign(actor=request.user, review=review)
        except (DatabaseError, OSError) as error:
            messages.error(request, save_failed(request, error))
        except ValidationError as error:
            messages.error(request, error_message(error))
        else:
            messages.success(request, "Signed. The review is now locked.")
            return redirect(review)
    checks = services.review_sign_checks(review=review)
    context = {"review": review, "placement": review.placement, "checks": checks}
    return render(request, "assessments/review_sign.html", context)


@login_required
def review_acknowledge(request, pk):
    review = _review(request, pk)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_acknowledge(
                actor=request.user, review=review, comment=form.cleaned_data["comment"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_message(error))
        else:
            messages.success(request, "Thank you: your acknowledgement is recorded.")
        return redirect(review)
    if review.placement.student_id != request.user.pk:
        raise PermissionDenied("Only the student acknowledges their review.")
    context = {"review": review, "placement": review.placement, "form": form}
    return render(request, "assessments/review_acknowledge.html", context)


@require_POST
@login_required
def review_amend(request, pk):
    review = _review(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please give a reason.")
        return redirect(review)
    try:
        result = services.review_amend(
            actor=request.user, review=review, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
        return redirect(review)
    messages.success(request, "A new version is open for your corrections; the signed one is kept.")
    return redirect(result)


def _not_waiting(request, review: Review, status: str, sentence: str):
    """A step's page opened when the review is not at that step: say so, back to the review."""
    if review.status == status:
        return None
    messages.info(request, sentence)
    return redirect(review)


@login_required
def review_countersign(request, pk):
    """The tutor reads the summary, may comment for the panel, and confirms."""
    review = _review(request, pk)
    if not request.user.has_perm("portfolios.countersign_placement", review.placement):
        raise PermissionDenied("Only the placement's tutor countersigns.")
    waiting = _not_waiting(
        request,
        review,
        Review.Status.ACKNOWLEDGED,
        "This review is not waiting for your "
        f"countersignature: it is {review.get_status_display().lower()}.",
    )
    if waiting or not review.is_final:
        return waiting or redirect(review)
    form = CountersignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_countersign(actor=request.user, review=review, **form.cleaned_data)
        except (DatabaseError, OSError) as error:
            messages.error(request, save_failed(request, error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Countersigned. The report goes to the panel.")
            return redirect(review)
    return render(request, "assessments/review_countersign.html", _summary(review, form))


def _summary(review: Review, form) -> dict:
    """What a tutor or panel member reads before deciding: the recommendation and grades."""
    return {
        "review": review,
        "placement": review.placement,
        "form": form,
        "judgements": review.judgements.select_related("domain", "grade"),
        "strengths": review.strengths.all(),
        "suitability": review.suitability.select_related("practice_area"),
    }


def _panel_decision(request, pk, *, form_class, step, success: str):
    review = _review(request, pk)
    if "panel" not in _relations(request.user, review.placement):
        raise PermissionDenied("Only a panel member of the placement's university decides.")
    waiting = _not_waiting(
        request,
        review,
        Review.Status.COUNTERSIGNED,
        f"This review is not waiting for the panel: it is {review.get_status_display().lower()}.",
    )
    if waiting:
        return waiting
    meetings = selectors.meetings_to_decide_at(user=request.user, review=review)
    form = form_class(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            result = step(actor=request.user, review=review, **form.cleaned_data)
        except (DatabaseError, OSError) as error:
            messages.error(request, save_failed(request, error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(result)
    context = {**_summary(review, form), "has_meetings": meetings.exists()}
    template = f"assessments/review_{step.__name__.removeprefix('review_')}.html"
    return render(request, template, context)


@login_required
def review_ratify(request, pk):
    return _panel_decision(
        request, pk, form_class=RatifyForm, step=services.review_ratify, success="Ratified."
    )


@login_required
def review_return(request, pk):
    return _panel_decision(
        request,
        pk,
        form_class=ReturnForm,
        step=services.review_return,
        success="Returned to the educator; a new version is open for them.",
    )


@require_POST
@login_required
def review_comment(request, pk):
    review = _review(request, pk)
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        try:
            services.review_comment_add(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, error_message(error))
            return redirect(review)
        else:
            messages.success(request, "Comment added for the educator.")
            return redirect(review)
    return _render_review(request, review, comment_form=form)


@login_required
def review_history(request, pk):
    review = _review(request, pk)
    user = request.user
    if not (
        _is_educator(user, review)
        or user.has_perm("portfolios.countersign_placement", review.placement)
    ):
        raise PermissionDenied("The history is for the educator and the tutor.")
    records = (
        Judgement.history.filter(review_id=review.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    domains = {j.pk: j.domain for j in review.judgements.select_related("domain")}
    grades = {g.pk: g for g in review.placement.grading_scale.grades.all()}
    rows = [(r, domains.get(r.id), grades.get(r.grade_id)) for r in records]
    context = {"review": review, "placement": review.placement, "rows": rows}
    return render(request, "assessments/review_history.html", context)


@login_required
def concern_create(request, pk):
    placement = get_object_or_404(
        placements_visible_to(user=request.user).select_related("framework"), pk=pk
    )
    framework = placement.framework
    form = ConcernForm(
        request.POST or None, domains=framework.domains.all(), word=framework.domain_word
    )
    if not (
        request.user.has_perm("portfolios.assess_placement", placement)
        or request.user.has_perm("portfolios.countersign_placement", placement)
    ):
        raise PermissionDenied("Only the educator or the tutor raises a concern.")
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_raise(
                actor=request.user,
                placement=placement,
                description=form.cleaned_data["description"],
                review_date=form.cleaned_data["review_date"],
                targets=form.targets(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            tutor_raised = request.user == placement.tutor
            told = placement.framework.educator_title if tutor_raised else "tutor"
            messages.success(request, f"Concern raised; the student and the {told} have been told.")
            return redirect(concern)
    return render(request, "assessments/concern_form.html", {"form": form, "placement": placement})


@login_required
def concern_detail(request, pk):
    concern = get_object_or_404(
        selectors.concerns_visible_to(user=request.user).select_related(
            "placement__framework", "placement__student", "raised_by", "outcome_by"
        ),
        pk=pk,
    )
    placement = concern.placement
    can_close = request.user.has_perm(
        "portfolios.assess_placement", placement
    ) or request.user.has_perm("portfolios.countersign_placement", placement)
    form = ConcernOutcomeForm(request.POST or None)
    if request.method == "POST":
        if not can_close:
            raise PermissionDenied("Only the educator or the tutor records the outcome.")
        if form.is_valid():
            try:
                services.concern_record_outcome(
                    actor=request.user, concern=concern, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Outcome recorded.")
                return redirect(concern)
    context = {
        "concern": concern,
        "placement": placement,
        "targets": concern.targets.select_related("domain"),
        "form": form,
        "can_close": can_close
        and concern.outcome in (Concern.Outcome.OPEN, Concern.Outcome.EXTENDED),
    }
    return render(request, "assessments/concern_detail.html", context)
