from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.retention import retention_apply, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise finished placements that ended more than RETENTION_YEARS ago, keeping the "
        "signed reports and outcomes, then the accounts nothing needs any more (run monthly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change; change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        years = settings.RETENTION_YEARS
        if years < 1:
            raise CommandError(f"RETENTION_YEARS must be at least 1 (got {years}).")
        cutoff = retention_cutoff(years=years)
        outcomes = retention_apply(years=years, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for outcome in outcomes:
            # Identifiers only: a placement's id and end date, an account's number.
            if outcome.placement is not None:
                what = (
                    f"placement {outcome.placement.pk} (ended {outcome.placement.end_date}, "
                    f"{outcome.placement.get_status_display().lower()})"
                )
            else:
                what = f"account {outcome.user.pk}"
            counts = ", ".join(f"{kind} {n}" for kind, n in outcome.counts.items()) or "nothing"
            self.stdout.write(f"{verb} {what}: {counts}")
        self.stdout.write(
            f"{verb} {len(outcomes)} record{'s' if len(outcomes) != 1 else ''} "
            f"(finished placements that ended before {cutoff})."
        )
