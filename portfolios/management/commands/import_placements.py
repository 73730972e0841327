"""Import a cohort CSV from the command line, as a coordinator would from the import page."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from portfolios.cohort_import import ImportFileError, ImportPlan, plan_import
from portfolios.models import University
from portfolios.services.cohort_import import cohort_import


class Command(BaseCommand):
    help = (
        "Preview and import a cohort of placements from a CSV file. Prints one line per error, "
        "each starting 'row N:' (the header is row 1), and imports nothing if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--university", required=True, help="Its name or short name.")
        parser.add_argument("--dry-run", action="store_true", help="Preview only.")
        parser.add_argument(
            "--as",
            dest="as_email",
            default="",
            help="Email of the coordinator importing (they are named in the invitations).",
        )

    def handle(self, *args, file: Path, university: str, dry_run: bool, as_email: str, **kw):
        found = self.university(university)
        actor = self.actor(as_email)
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            plan = plan_import(raw=raw, university=found)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.print_plan(plan)
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} error(s): nothing imported.")
        if dry_run:
            self.stdout.write("Dry run: nothing imported.")
            return
        try:
            with transaction.atomic():
                result = cohort_import(actor=actor, university=found, raw=raw)
        except ValidationError as error:
            for message in error.messages:
                self.stdout.write(message)
            raise CommandError("Nothing imported.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(result.placements)} placement(s); created {result.people_created} "
                f"account(s); sent {result.invited} invitation(s)."
            )
        )

    def university(self, name: str) -> University:
        matches = list(University.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)))
        if len(matches) != 1:
            known = ", ".join(University.objects.values_list("name", flat=True)) or "none"
            what = "No" if not matches else "More than one"
            raise CommandError(f"{what} university called {name!r}. Known: {known}.")
        return matches[0]

    def actor(self, email: str) -> User:
        if not email:
            # The operator of the server: trusted as an administrator, and saved nowhere.
            return User(email="command line", is_superuser=True)
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account {email!r}.")
        return user

    def print_plan(self, plan: ImportPlan) -> None:
        write = self.stdout.write
        write(f"{plan.university.name}: read as {plan.encoding}.")
        write(f"  {len(plan.to_create)} placement(s) to create")
        write(f"  {len(plan.already_imported)} already imported (skipped)")
        write(f"  {len(plan.new_people)} new account(s), each sent an invitation")
        for person in plan.new_people.values():
            write(f"    {person.email} ({', '.join(sorted(person.roles))})")
        for error in plan.errors:
            write(str(error))
