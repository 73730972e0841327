"""The student's development summary and the time-limited links through which a first
employer reads it without an account."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms_plain import StatedLimitsMixin
from assessments import selectors, services
from assessments.models import Review, ShareLink, SignedReport
from assessments.report.cohort import ascii_part
from assessments.report.data import report_data_for
from assessments.report.store import verify_url
from assessments.report.summary import render_summary
from assessments.services.share import SHARE_DAYS, summary_available
from portfolios.forms import apply_service_errors
from portfolios.views.common import error_message


class ShareLinkForm(StatedLimitsMixin, forms.Form):
    days = forms.TypedChoiceField(
        label="Open for",
        coerce=int,
        choices=[(d, f"{d} days") for d in SHARE_DAYS],
        initial=30,
        widget=forms.RadioSelect,
    )
    label = forms.CharField(
        label="Who it is for (optional)",
        max_length=100,
        required=False,
        help_text="Only you see this, e.g. “Northshire County Council, ASYE interview”.",
    )


def _summary_pdf(review: Review) -> bytes:
    report = review.reports.filter(event=SignedReport.Event.RATIFIED).order_by("-version").first()
    if report is None:
        raise Http404("No ratified report")
    return render_summary(
        report_data_for(review),
        verification_code=report.verification_code,
        verify_url=verify_url(),
        report_version=report.version,
    )


def _pdf(data: bytes, review: Review) -> HttpResponse:
    student = review.placement.student
    name = ascii_part(f"{student.first_name} {student.last_name}") or "student"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="development-summary-{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _students_ratified_review(request, pk) -> Review:
    review = selectors.with_people(
        get_object_or_404(selectors.review_for_page(user=request.user, pk=pk))
    )
    if review.placement.student_id != request.user.pk:
        raise PermissionDenied("The development summary is the student's to download and share.")
    return review


@login_required
def development_summary(request, pk):
    review = _students_ratified_review(request, pk)
    if not summary_available(review):
        messages.info(request, "Your development summary is ready once the panel ratifies it.")
        return redirect(review)
    return _pdf(_summary_pdf(review), review)


@login_required
def share_links(request, pk):
    """The student's links to their summary, with their state; make a new one here."""
    review = _students_ratified_review(request, pk)
    form = ShareLinkForm(request.POST or None)
    new_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, token = services.share_link_create(
                actor=request.user, review=review, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Shown once: only the token's hash is stored.
            new_url = request.build_absolute_uri(reverse("shared-summary", args=[token]))
            form = ShareLinkForm()
    now = timezone.now()
    links = [(link, link.state(now)) for link in review.share_links.all()]
    context = {
        "review": review,
        "placement": review.placement,
        "form": form,
        "links": links,
        "new_url": new_url,
        "available": summary_available(review),
    }
    return render(request, "assessments/share_links.html", context)


@require_POST
@login_required
def share_link_revoke(request, pk):
    link = get_object_or_404(
        ShareLink.objects.filter(review__in=selectors.reviews_visible_to(user=request.user)),
        pk=pk,
    )
    try:
        services.share_link_revoke(actor=request.user, link=link)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "Revoked: the link no longer opens your summary.")
    return redirect("assessments:share-links", pk=link.review_id)


def _open_link(token: str):
    link = services.share_link_for_token(token)
    if link is None:
        return None, "unknown"
    state = link.state(timezone.now())
    if state == "active" and not summary_available(link.review):
        state = "withdrawn"
    return link, state


@never_cache
def shared_summary(request, token):
    """Public: the page a shared link opens. An expired or revoked link says so."""
    link, state = _open_link(token)
    status = 200 if state == "active" else 410 if link else 404
    context = {"link": link, "state": state, "token": token}
    return render(request, "assessments/shared_summary.html", context, status=status)


@never_cache
def shared_summary_pdf(request, token):
    link, state = _open_link(token)
    if state != "active":
        return redirect("shared-summary", token=token)
    services.share_link_opened(link=link)
    return _pdf(_summary_pdf(link.review), link.review)
