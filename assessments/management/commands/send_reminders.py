from django.core.management.base import BaseCommand

from assessments.notices import reminders_send


class Command(BaseCommand):
    help = (
        "Remind educators of action plans at their review date, and supervisors (or educators) "
        "of attendance unconfirmed for two weeks. Run daily, before send_digests; each reminder "
        "is sent once however often it runs."
    )

    def handle(self, *args, **options):
        count = reminders_send()
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} reminders recorded.")
