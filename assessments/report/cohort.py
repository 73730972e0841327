"""What a university downloads for a cohort: the stored report PDFs with an index, and the
outcomes table. Plain rows here; the views stream them."""

import csv
import re
from collections.abc import Iterable, Iterator

from anyascii import anyascii
from django.db.models import Count, Q, QuerySet
from django.utils.timezone import localtime

from assessments.models import Review, SignedReport, Suitability
from portfolios.models import DirectObservation, Domain, Evidence, Placement, PracticeArea

COUNTED = (Evidence.Status.SUBMITTED, Evidence.Status.RESUBMITTED, Evidence.Status.ACCEPTED)
INDEX_HEADER = [
    "File",
    "Student",
    "Student number",
    "Programme",
    "Outcome",
    "Version",
    "Ratified on",
    "SHA-256",
]
# Excel reads a CSV as UTF-8 (names in any script) only when it starts with this mark.
BOM = "\ufeff"


def ascii_part(text: str, *, upper: bool = False) -> str:
    """A name as a safe piece of a file name: transliterated to ASCII, letters, digits and
    dashes only ("Zoë O'Brien" -> "Zoe-OBrien", "王芳" -> "WangFang")."""
    folded = anyascii(text or "").replace("'", "")
    folded = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")
    return folded.upper() if upper else folded


def report_file_name(report: SignedReport) -> str:
    """SURNAME_Forename_STUDENTNUMBER_final_v2_ratified.pdf"""
    placement = report.review.placement
    student = placement.student
    surname = ascii_part(student.last_name, upper=True) or "STUDENT"
    forename = ascii_part(student.first_name) or "Unnamed"
    number = ascii_part(student.student_number) or f"no-number-{str(placement.pk)[:8]}"
    superseded = "" if report.review.status not in STALE else "_superseded"
    return f"{surname}_{forename}_{number}_final_v{report.version}_{report.event}{superseded}.pdf"


STALE = (Review.Status.SUPERSEDED, Review.Status.RETURNED)


def cohort_reports(placements: QuerySet[Placement], *, include_others: bool) -> list[SignedReport]:
    """By default, the ratified version of each placement's current final report; with
    `include_others`, every version stored for the cohort (one query either way)."""
    reports = SignedReport.objects.filter(review__placement__in=placements.values("pk"))
    if not include_others:
        reports = reports.filter(
            review__status=Review.Status.RATIFIED, event=SignedReport.Event.RATIFIED
        )
    return list(
        reports.select_related(
            "review__placement__student", "review__placement__programme__university"
        ).order_by(
            "review__placement__student__last_name",
            "review__placement__student__first_name",
            "review__placement_id",
            "version",
        )
    )


def unique_names(reports: Iterable[SignedReport]) -> list[tuple[SignedReport, str]]:
    """Each report with its file name; two students folding to the same name stay apart."""
    seen: set[str] = set()
    named = []
    for report in reports:
        name = report_file_name(report)
        stem, n = name[:-4], 2
        while name in seen:
            name, n = f"{stem}-{n}.pdf", n + 1
        seen.add(name)
        named.append((report, name))
    return named


def index_rows(named: list[tuple[SignedReport, str]]) -> list[list]:
    rows = [INDEX_HEADER]
    for report, name in named:
        review, placement = report.review, report.review.placement
        ratified = (
            f"{localtime(review.panel_at):%Y-%m-%d}"
            if review.status == Review.Status.RATIFIED and review.panel_at
            else ""
        )
        rows.append(
            [
                name,
                placement.student.display_name,
                placement.student.student_number,
                str(placement.programme),
                review.get_recommendation_display(),
                report.version,
                ratified,
                report.sha256,
            ]
        )
    return rows


def neutralise(row: list) -> list:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, return) is kept as text."""
    return [f"'{v}" if isinstance(v, str) and v and v[0] in "=+-@\t\r" else v for v in row]


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """CSV text, line by line, UTF-8 with a byte-order mark, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow(neutralise(row))


def _domain_columns(placements: QuerySet[Placement]) -> list[tuple[int, str]]:
    """(domain id, header) for every domain of the cohort's frameworks: "3. Diversity and
    Equality", with the framework's code in front when the cohort mixes frameworks."""
    domains = list(
        Domain.objects.filter(framework__in=placements.values("framework"))
        .select_related("framework")
        .order_by("framework__code", "framework__version", "order")
    )
    mixed = len({d.framework_id for d in domains}) > 1
    return [
        (d.pk, f"{d.framework.code} {d.order}. {d.name}" if mixed else f"{d.order}. {d.name}")
        for d in domains
    ]


def outcome_rows(placements: QuerySet[Placement]) -> Iterator[list]:
    """One row per placement: who, where, days, observations, grade per domain, suitability,
    the recommendation and where the report stands. A fixed number of queries."""
    observed = Q(evidence__kind=Evidence.Kind.DIRECT_OBSERVATION, evidence__status__in=COUNTED)
    placements = placements.select_related("student", "programme__university").annotate(
        observations=Count("evidence", filter=observed, distinct=True),
        by_educator=Count(
            "evidence",
            filter=observed
            & Q(evidence__observation__observer=DirectObservation.Observer.EDUCATOR),
            distinct=True,
        ),
    )
    finals = {
        r.placement_id: r
        for r in Review.objects.filter(
            placement__in=placements.values("pk"), kind=Review.Kind.FINAL
        )
        .exclude(status=Review.Status.SUPERSEDED)
        .prefetch_related("judgements__grade", "suitability")
        .order_by("placement_id", "version")
    }
    columns = _domain_columns(placements)
    areas = list(PracticeArea.objects.all())
    yield [
        "Student",
        "Student number",
        "Email",
        "Programme",
        "University",
        "Setting",
        "Stage",
        "Days required",
        "Days completed",
        "Direct observations",
        "Of which by the educator",
        *[header for _, header in columns],
        *[f"Suitability: {a.name}" for a in areas],
        "Recommendation",
        "Final review",
        "Placement status",
    ]
    for p in placements.iterator(chunk_size=500):
        review = finals.get(p.pk)
        grades, ratings = {}, {}
        if review is not None:
            grades = {
                j.domain_id: j.grade.label if j.grade else "" for j in review.judgements.all()
            }
            ratings = {
                s.practice_area_id: Suitability.Rating(s.rating).label
                for s in review.suitability.all()
            }
        yield [
            p.student.display_name,
            p.student.student_number,
            p.student.email,
            str(p.programme),
            p.programme.university.name,
            p.setting_name,
            p.get_stage_display(),
            p.required_days,
            # Confirmed days from the attendance log: "35", or "35.5" with a half day.
            f"{p.days_completed.normalize():f}",
            p.observations,
            p.by_educator,
            *[grades.get(pk, "") for pk, _ in columns],
            *[ratings.get(a.pk, "") for a in areas],
            review.get_recommendation_display() if review else "",
            review.get_status_display() if review else "Not started",
            p.get_status_display(),
        ]
