import datetime

from django.core.management.base import BaseCommand

from portfolios.services.cohort_import import cohort_uploads_purge
from portfolios.services.evidence import pending_uploads_purge


class Command(BaseCommand):
    help = (
        "Delete uploads held for a form that was never completed, and cohort CSVs previewed "
        "but never imported (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Age to purge after.")

    def handle(self, *args, hours: int, **options):
        count = pending_uploads_purge(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(f"Removed {count} unclaimed upload{'s' if count != 1 else ''}.")
        cohorts = cohort_uploads_purge(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(
            f"Removed {cohorts} cohort file{'s' if cohorts != 1 else ''} never imported."
        )
