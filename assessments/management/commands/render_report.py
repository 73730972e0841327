import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Review
from assessments.report.data import report_data_for
from assessments.report.pdf import render_pdf
from portfolios.models import Placement


class Command(BaseCommand):
    help = (
        "Render the current final report of a placement to a PDF file: the latest stored "
        "version once signed (byte for byte), otherwise a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("placement_id")
        parser.add_argument("--output", "-o", default="report.pdf")

    def handle(self, *args, placement_id: str, output: str, **options):
        try:
            placement = Placement.objects.get(pk=uuid.UUID(placement_id))
        except (Placement.DoesNotExist, ValueError):
            raise CommandError(f"No placement has the id {placement_id!r}.") from None
        review = (
            Review.objects.filter(placement=placement, kind=Review.Kind.FINAL)
            .order_by("-version")
            .first()
        )
        if review is None:
            raise CommandError("This placement has no final review yet, so there is no report.")
        stored = review.reports.order_by("-version").first()
        if stored is not None:
            with stored.pdf.open("rb") as handle:
                data = handle.read()
            what = f"stored version {stored.version}"
        else:
            data = render_pdf(report_data_for(review))
            what = "draft"
        Path(output).write_bytes(data)
        self.stdout.write(f"Wrote the {what} report ({len(data):,} bytes) to {output}.")
