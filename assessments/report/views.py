"""Report pages: the stored PDFs, a draft on demand, the accessible HTML view, the public
verification page, and cohort downloads (ZIP of reports, CSV of outcomes)."""

import csv
import hashlib

import zipstream
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from accounts.roles import Role
from accounts.throttling import client_ip
from assessments import selectors
from assessments.models import ReportDownload, Review, SignedReport, Suitability
from assessments.report.data import report_data_for
from assessments.report.pdf import render_pdf
from assessments.report.store import normalise_code
from portfolios.forms import CohortFilterForm
from portfolios.models import Domain, PracticeArea
from portfolios.selectors import placements_for_cohort

COHORT_ROLES = (Role.TUTOR, Role.COORDINATOR, Role.PANEL)
MAX_VERIFY_UPLOAD = 30 * 1024 * 1024
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
    draft rendered now and watermarked DRAFT (for the educator and tutor)."""
    review = get_object_or_404(selectors.review_for_page(user=request.user, pk=pk))
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
    pdf = render_pdf(report_data_for(review))
    return _pdf_response(pdf, _filename(placement.student.display_name, "draft"))


@login_required
def review_report_html(request, pk):
    """The same report as accessible HTML: real headings and tables with header cells."""
    review = get_object_or_404(selectors.review_for_page(user=request.user, pk=pk))
    data = report_data_for(review)
    reports = review.reports.order_by("-version")
    ReportDownload.objects.create(user=request.user, kind=ReportDownload.Kind.HTML, review=review)
    return render(
        request,
        "assessments/report.html",
        {"review": review, "placement": review.placement, "data": data, "reports": reports},
    )


@never_cache
def verify(request):
    """Public: is this an authentic, unaltered report? Says which version and when it was
    signed, and nothing else."""
    result = None
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="verify",
            key=lambda _group, request: client_ip(request),
            rate=VERIFY_RATE,
            increment=True,
        ):
            return render(request, "assessments/verify_limited.html", status=429)
        report = None
        upload = request.FILES.get("pdf")
        code = normalise_code(request.POST.get("code", ""))
        if upload is not None:
            if upload.size > MAX_VERIFY_UPLOAD:
                messages.error(request, "That file is too large to be one of our reports.")
                return redirect("verify")
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            report = SignedReport.objects.filter(sha256=digest.hexdigest()).first()
            result = "file"
        elif code:
            report = SignedReport.objects.filter(verification_code=code).first()
            result = "code"
        else:
            messages.error(request, "Please type the verification code, or choose the PDF.")
            return redirect("verify")
        context = {"result": result, "report": report}
        return render(request, "assessments/verify.html", context)
    return render(request, "assessments/verify.html", {"result": None})


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


def _latest_reports(placements) -> list[SignedReport]:
    """The newest stored report of each placement in the cohort, in two queries."""
    newest: dict = {}
    current = [
        Review.Status.SIGNED,
        Review.Status.ACKNOWLEDGED,
        Review.Status.COUNTERSIGNED,
        Review.Status.RATIFIED,
    ]
    # A review replaced by an amendment, or returned by the panel, has no final report now.
    reports = (
        SignedReport.objects.filter(
            review__placement__in=placements.values("pk"), review__status__in=current
        )
        .select_related("review__placement__student", "review__placement__programme")
        .order_by("review__placement_id", "-version")
    )
    for report in reports:
        newest.setdefault(report.review.placement_id, report)
    return list(newest.values())


@login_required
def cohort_reports_zip(request):
    """Every final report of the filtered cohort in one ZIP, streamed: memory stays flat
    however many reports there are."""
    reports = _latest_reports(_cohort(request))
    ReportDownload.objects.create(
        user=request.user,
        kind=ReportDownload.Kind.ZIP,
        description=request.GET.urlencode()[:300],
        item_count=len(reports),
    )
    archive = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=False)
    for report in reports:
        placement = report.review.placement
        name = (
            f"{slugify(placement.programme.name)}/"
            f"{slugify(placement.student.display_name)}-{str(placement.pk)[:8]}"
            f"-v{report.version}.pdf"
        )
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


def spreadsheet_safe(row: list) -> list:
    """A cell a spreadsheet would read as a formula is written as text instead."""
    return [f"'{v}" if isinstance(v, str) and v and v[0] in "=+-@\t\r" else v for v in row]


class _Echo:
    def write(self, value):
        return value


@login_required
def cohort_outcomes_csv(request):
    """One row per placement: recommendation, grade per domain, suitability ratings."""
    placements = _cohort(request).select_related("student", "programme__university", "framework")
    finals = {
        r.placement_id: r
        for r in Review.objects.filter(
            placement__in=placements.values("pk"), kind=Review.Kind.FINAL
        )
        .exclude(status=Review.Status.SUPERSEDED)
        .prefetch_related("judgements__domain", "judgements__grade", "suitability")
        .order_by("placement_id", "version")
    }
    areas = list(PracticeArea.objects.all())
    sizes = (
        Domain.objects.filter(framework__in=placements.values("framework"))
        .values("framework")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    width = max(sizes, default=9)
    header = [
        "Student",
        "Email",
        "Programme",
        "University",
        "Setting",
        "Stage",
        "Status",
        "Framework",
        "Final review",
        "Recommendation",
        *[f"Domain {i} grade" for i in range(1, width + 1)],
        *[f"Suitability: {a.name}" for a in areas],
        "Days completed",
        "Days required",
    ]
    ReportDownload.objects.create(
        user=request.user, kind=ReportDownload.Kind.CSV, description=request.GET.urlencode()[:300]
    )

    def rows():
        yield header
        for p in placements.iterator(chunk_size=500):
            review = finals.get(p.pk)
            grades = {}
            ratings = {}
            if review is not None:
                grades = {
                    j.domain.order: (j.grade.label if j.grade else "")
                    for j in review.judgements.all()
                }
                ratings = {
                    s.practice_area_id: Suitability.Rating(s.rating).label
                    for s in review.suitability.all()
                }
            yield [
                p.student.display_name,
                p.student.email,
                str(p.programme),
                p.programme.university.name,
                p.setting_name,
                p.get_stage_display(),
                p.get_status_display(),
                str(p.framework),
                review.get_status_display() if review else "Not started",
                review.get_recommendation_display() if review else "",
                *[grades.get(i, "") for i in range(1, width + 1)],
                *[ratings.get(a.pk, "") for a in areas],
                # Confirmed days from the attendance log: "35", or "35.5" with a half day.
                f"{p.days_completed.normalize():f}",
                p.required_days,
            ]

    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(spreadsheet_safe(row)) for row in rows()),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="outcomes-{stamp}.csv"'
    return response
