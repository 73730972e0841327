from django.core.management.base import BaseCommand

from notifications.services import digests_send


class Command(BaseCommand):
    help = (
        "Send each person who chose a daily summary one email of what waits for them. Run it "
        "once a day; a second run on the same day sends nothing more."
    )

    def handle(self, *args, **options):
        count = digests_send()
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} daily summaries queued.")
