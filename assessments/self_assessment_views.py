"""The student's self-assessment before each review. The student writes, saves and submits it;
everyone else on the placement reads it once it is submitted (a draft is the student's own)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from assessments.forms import SelfAssessmentForm
from assessments.models import Review, SelfAssessment
from assessments.services.self_assessment import (
    MAX_WORDS,
    self_assessment_closed,
    self_assessment_save,
    self_assessment_submit,
)
from portfolios.forms import apply_service_errors
from portfolios.selectors import placements_visible_to


@login_required
def self_assessment(request, pk, kind):
    placement = get_object_or_404(
        placements_visible_to(user=request.user).select_related(
            "framework", "grading_scale", "student"
        ),
        pk=pk,
    )
    if kind not in Review.Kind.values:
        raise Http404("No such review.")
    record = (
        placement.self_assessments.filter(kind=kind)
        .prefetch_related("ratings__grade", "ratings__domain")
        .first()
    )
    is_student = placement.student_id == request.user.pk
    closed = self_assessment_closed(placement=placement, kind=kind)
    draft = record is None or record.status == SelfAssessment.Status.DRAFT
    editable = is_student and not closed and draft
    if request.method == "POST" and not editable:
        if not is_student:
            raise PermissionDenied("Only the student writes their self-assessment.")
        messages.error(request, closed or "You have already submitted this self-assessment.")
        return redirect(request.path)
    form = _form(request, placement, record) if editable else None
    saved = (
        form is not None
        and request.method == "POST"
        and form.is_valid()
        and _save(request, form, placement, kind)
    )
    if saved:
        return redirect(request.path)
    context = {
        "placement": placement,
        "kind": kind,
        "review_label": Review.Kind(kind).label.lower(),
        "record": record,
        "is_student": is_student,
        "closed": closed,
        "form": form,
        "grades": placement.grading_scale.grades.all(),
        "max_words": MAX_WORDS,
        "rows": _rows(placement, record) if _readable(record, is_student) else [],
    }
    return render(request, "assessments/self_assessment.html", context)


def _readable(record: SelfAssessment | None, is_student: bool) -> bool:
    return record is not None and (is_student or record.status == SelfAssessment.Status.SUBMITTED)


def _rows(placement, record: SelfAssessment):
    rated = {r.domain_id: r for r in record.ratings.all()}
    return [(d, rated.get(d.pk)) for d in placement.framework.domains.all()]


def _form(request, placement, record: SelfAssessment | None) -> SelfAssessmentForm:
    initial = {}
    for rating in record.ratings.all() if record else ():
        initial[f"grade_{rating.domain_id}"] = rating.grade_id
        initial[f"narrative_{rating.domain_id}"] = rating.narrative
    return SelfAssessmentForm(
        request.POST or None,
        domains=placement.framework.domains.all(),
        grades=placement.grading_scale.grades.all(),
        word=placement.framework.domain_word,
        initial=initial,
    )


def _save(request, form: SelfAssessmentForm, placement, kind: str) -> bool:
    saved = None
    try:
        saved = self_assessment_save(
            actor=request.user, placement=placement, kind=kind, ratings=form.ratings()
        )
        if "submit" in request.POST:
            self_assessment_submit(actor=request.user, self_assessment=saved)
    except ValidationError as error:
        apply_service_errors(form, error)
        if saved is not None:
            messages.info(request, "Your draft is saved, but it has not been submitted yet.")
        return False
    if "submit" in request.POST:
        messages.success(
            request,
            f"Your self-assessment is submitted. Your {placement.framework.educator_title} "
            f"will see it beside each {placement.framework.domain_word} while grading.",
        )
    else:
        messages.success(request, "Your draft is saved. Only you can see it until you submit it.")
    return True
