"""What the public verification page says about a stored report: enough to tell that the
paper in front of you is the report the university holds (whose, which version, what outcome),
and whether a newer version has replaced it. Never the student's full name."""

import datetime
import io
import re
from dataclasses import dataclass

from django.utils.timezone import localtime
from pypdf import PdfReader

from assessments.models import Review, SignedReport
from assessments.report.store import normalise_code

FOOTER_CODE = re.compile(r"verify with code ([A-Z0-9]{4}-[A-Z0-9]{4})")


@dataclass(frozen=True)
class Answer:
    report: SignedReport
    student: str  # initials and the surname's first letter: "A. J. O."
    programme: str
    kind: str
    outcome: str
    stored_at: datetime.datetime
    superseded_by: SignedReport | None  # a newer version of the same placement's report
    withdrawn: bool  # reopened for an amendment, or returned by the panel, with no newer one

    @property
    def current(self) -> bool:
        return self.superseded_by is None and not self.withdrawn


def student_initials(first_name: str, last_name: str) -> str:
    letters = [w[0] for w in first_name.split() if w] + [w[0] for w in last_name.split()[:1]]
    return " ".join(f"{ch.upper()}." for ch in letters) or "—"


def answer_for(report: SignedReport) -> Answer:
    """The answer for one stored report (two queries)."""
    report = SignedReport.objects.select_related(
        "review__placement__student", "review__placement__programme__university"
    ).get(pk=report.pk)
    review, placement = report.review, report.review.placement
    newest = (
        SignedReport.objects.filter(review__placement=placement, version__gt=report.version)
        .order_by("-version")
        .first()
    )
    student = placement.student
    return Answer(
        report=report,
        student=student_initials(student.first_name, student.last_name),
        programme=f"{placement.programme}, {placement.programme.university.name}",
        kind="Final assessment report",
        outcome=review.get_recommendation_display() or "No recommendation",
        stored_at=localtime(report.created_at),
        superseded_by=newest,
        withdrawn=newest is None
        and review.status in (Review.Status.SUPERSEDED, Review.Status.RETURNED),
    )


def report_for_code(text: str) -> SignedReport | None:
    code = normalise_code(text)
    return SignedReport.objects.filter(verification_code=code).first() if code else None


def code_printed_in(data: bytes) -> str:
    """The verification code a PDF's first page claims, if it can be read: so an altered copy
    of a real report can be told apart from a document that was never ours."""
    try:
        reader = PdfReader(io.BytesIO(data))
        text = reader.pages[0].extract_text() if reader.pages else ""
    except Exception:  # noqa: BLE001 (any unreadable upload simply claims no code)
        return ""
    found = FOOTER_CODE.search(" ".join((text or "").split()))
    return found.group(1) if found else ""
