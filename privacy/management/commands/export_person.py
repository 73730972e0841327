from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from privacy.export import person_export


class Command(BaseCommand):
    help = (
        "Write a ZIP of everything held about one person (a subject access request), with a "
        "manifest.json listing every file and how many records of each kind."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument(
            "--output", type=Path, help="Where to write the ZIP (default: person-<id>.zip)."
        )

    def handle(self, *args, email: str, output: Path | None, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No account has that email address.")
        output = output or Path(f"person-{user.pk}.zip")
        if output.exists():
            raise CommandError(f"{output} already exists; choose another --output.")
        with output.open("xb") as handle:
            manifest = person_export(user=user, output=handle)
        records = sum(manifest["records"].values())
        self.stdout.write(
            f"Wrote {output}: {records} records, {len(manifest['files'])} files "
            "(see manifest.json inside)."
        )
