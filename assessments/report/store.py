"""Rendering a report once at each sign-off and keeping it, unchanged, with its hash."""

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max
from django.urls import reverse

from assessments.models import Review, SignedReport
from assessments.report.data import report_data_for
from assessments.report.pdf import render_pdf

# No 0/O or 1/I/L: the code is read off paper and typed in by a person.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not SignedReport.objects.filter(verification_code=code).exists():
            return code


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch in CODE_ALPHABET)
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else ""


def verify_url() -> str:
    return f"{settings.SITE_URL}{reverse('verify')}"


def report_store(*, review: Review, event: str) -> SignedReport:
    """Render the report as it stands now and store it for good. Called at the end of each
    sign-off service, inside its transaction; if saving the row fails, the file goes too."""
    code = new_verification_code()
    latest = SignedReport.objects.filter(review__placement=review.placement).aggregate(
        v=Max("version")
    )["v"]
    version = (latest or 0) + 1
    pdf = render_pdf(
        report_data_for(review),
        verification_code=code,
        verify_url=verify_url(),
        report_version=version,
    )
    report = SignedReport(
        review=review,
        version=version,
        event=event,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        verification_code=code,
    )
    report.pdf.save("report.pdf", ContentFile(pdf), save=False)
    try:
        report.save()
    except BaseException:
        report.pdf.storage.delete(report.pdf.name)
        raise
    return report
