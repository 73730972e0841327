"""Report pages: the stored PDFs, a draft on demand, the accessible HTML view, the public
verification page, and cohort downloads (ZIP of reports, CSV of outcomes)."""

import hashlib

import zipstream
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from accounts.roles import Role
from accounts.throttling import client_ip
from assessments import selectors
from assessments.models import ReportDownload, SignedReport
from assessments.report import cohort
from assessments.report.data import report_data_for, reviews_for_report
from assessments.report.draft import draft_pdf
from assessments.report.verify import answer_for, code_printed_in, report_for_code
from portfolios.forms import CohortFilterForm
from portfolios.selectors import placements_for_cohort

COHORT_ROLES = (Role.TUTOR, Role.COORDINATOR, Role.PANEL)
MAX_VERIFY_UPLOAD = 30 * 1024 * 1024
# A file that matches no stored report is read for the code it claims only up to this size.
MAX_CODE_READ = 5 * 1024 * 1024
# Checks per client address: plenty for a panel going through its reports, too few to guess
# verification codes. Kept in the cache (CACHE_URL, shared by every app server).
VERIFY_RATE = "30/h"


def _filename(student: str, suffix: str) -> str:
    return f"final-report-{slugify(student) or 'student'}-{suffix}.pdf"


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_download(request, pk):
    """A stored report, byte-for-byte as it was when it was signed."""
    report = get_object_or_404(
        SignedReport.objects.filter(
            review__in=selectors.reviews_visible_to(user=request.user)
        ).select_related("review__placement__student"),
        pk=pk,
    )
    ReportDownload.objects.create(
        user=request.user, kind=ReportDownload.Kind.PDF, report=report, review=report.review
    )
    student = report.review.placement.student.display_name
    response = FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=_filename(student, f"v{report.version}"),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def review_report(request, pk):
    """The current report of a review: its latest stored version once signed, otherwise a
    draft watermarked DRAFT (for the educator and tutor)."""
    review = get_object_or_404(
        selectors.reviews_visible_to(user=request.user).select_related("placement__student"),
        pk=pk,
    )
    latest = review.reports.order_by("-version").first()
    if latest is not None:
        return redirect(latest)
    placement = review.placement
    if not (
        request.user.has_perm("portfolios.assess_placement", placement)
        or request.user.has_perm("portfolios.countersign_placement", placement)
    ):
        raise PermissionDenied("The draft report is for the educator and the tutor.")
    ReportDownload.objects.create(user=request.user, kind=ReportDownload.Kind.DRAFT, review=review)
    return _pdf_response(draft_pdf(review), _filename(placement.student.display_name, "draft"))


def _review_for_report(request, pk):
    """The review, scoped to the user, with everything the report reads: one fetch, shared
    by the permission check and the report data."""
    reviews = reviews_for_report(selectors.reviews_visible_to(user=request.user))
    return get_object_or_404(reviews, pk=pk)


@login_required
def review_report_html(request, pk):
    """The same report as accessible HTML: real headings and tables with header cells."""
    review = _review_for_report(request, pk)
    data = report_data_for(review, fetched=True)
    reports = review.reports.order_by("-version")
    ReportDownload.objects.create(user=request.user, kind=ReportDownload.Kind.HTML, review=review)
    return render(
        request,
        "assessments/report.html",
        {"review": review, "placement": review.placement, "data": data, "reports": reports},
    )


@never_cache
def verify(request):
    """Public: is this an authentic, unaltered report, and still the current version? Says
    whose (initials only), which programme, version and outcome, and when it was stored."""
    if request.method != "POST":
        return render(request, "assessments/verify.html", {"result": None})
    if is_ratelimited(
        request,
        group="verify",
        key=lambda _group, request: client_ip(request),
        rate=VERIFY_RATE,
        increment=True,
    ):
        return render(request, "assessments/verify_limited.html", status=429)
    upload = request.FILES.get("pdf")
    claimed = ""
    if upload is not None:
        if upload.size > MAX_VERIFY_UPLOAD:
            messages.error(request, "That file is too large to be one of our reports.")
            return redirect("verify")
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        report = SignedReport.objects.filter(sha256=digest.hexdigest()).first()
        result = "file"
        if report is None and upload.size <= MAX_CODE_READ:
            upload.seek(0)
            claimed = code_printed_in(upload.read())
    elif request.POST.get("code", "").strip():
        report = report_for_code(request.POST["code"])
        result = "code"
    else:
        messages.error(request, "Please type the verification code, or choose the PDF.")
        return redirect("verify")
    context = {
        "result": result,
        "answer": answer_for(report) if report else None,
        "claimed_code": claimed if claimed and report_for_code(claimed) else "",
    }
    return render(request, "assessments/verify.html", context)


def _cohort(request):
    user = request.user
    if not user.is_superuser and not any(user.has_role(r) for r in COHORT_ROLES):
        raise PermissionDenied("Cohort downloads are for tutors, coordinators and the panel.")
    form = CohortFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    return placements_for_cohort(
        user=user,
        programme=filters.get("programme"),
        stage=filters.get("stage", ""),
        status=filters.get("status", ""),
    )


@login_required
def cohort_reports_zip(request):
    """The cohort's ratified final reports in one ZIP with an index.csv, streamed: memory
    stays flat however many reports there are. `include=all` adds every other version."""
    include_others = request.GET.get("include") == "all"
    reports = cohort.cohort_reports(_cohort(request), include_others=include_others)
    if not reports:
        messages.info(
            request,
            "No ratified final reports match these filters, so there is nothing to download. "
            "Tick “include every stored version” to download reports not yet ratified.",
        )
        query = request.GET.copy()
        query.pop("include", None)
        return redirect(f"{reverse('portfolios:dashboard-cohort')}?{query.urlencode()}")
    ReportDownload.objects.create(
        user=request.user,
        kind=ReportDownload.Kind.ZIP,
        description=request.GET.urlencode()[:300],
        item_count=len(reports),
    )
    named = cohort.unique_names(reports)
    archive = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=False)
    archive.add("".join(cohort.csv_lines(cohort.index_rows(named))).encode(), arcname="index.csv")
    for report, name in named:
        archive.add(_chunks(report), arcname=name)
    response = StreamingHttpResponse(archive, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="final-reports-{stamp}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def _chunks(report: SignedReport, size: int = 64 * 1024):
    with report.pdf.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


@login_required
def cohort_outcomes_csv(request):
    """One row per placement, streamed: days, observations, grade per domain (headed by the
    domain's name), suitability, recommendation and status."""
    rows = cohort.outcome_rows(_cohort(request))
    ReportDownload.objects.create(
        user=request.user, kind=ReportDownload.Kind.CSV, description=request.GET.urlencode()[:300]
    )
    response = StreamingHttpResponse(cohort.csv_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="outcomes-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
