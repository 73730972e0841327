"""Bulk-create a national-scale data set for measuring pages (bench/run.py, docs/performance.md).

By default: 10 universities, the largest with 1,000 placements, 5,000 placements in all, about
240,000 evidence items with their domain mappings, reviews with judgements and citations,
concerns, panel meetings, stored signed reports and history rows. Sizes are options; the same
sizes and seed give the same data. Running it again creates nothing and says so.

Logins in the largest university (u01), all with an unusable password unless --password is
given with DEBUG on (bench/run.py signs in by creating sessions):

  coordinator@u01.scale.example.org     placement coordinator (sees all 1,000 placements)
  panel@u01.scale.example.org           panel member
  tutor@u01.scale.example.org           tutor, with acknowledged final reviews to countersign
  supervisor@u01.scale.example.org      on-site supervisor of student@'s placement
  educator@u01.scale.example.org        practice educator with a caseload of ten, among them:
  student@u01.scale.example.org         69 evidence items, a signed midpoint review and a draft
                                        final review whose judgements cite evidence
  student-signed@u01.scale.example.org  a signed final review with its stored report
  student-large@u01.scale.example.org   60 evidence items with reflections of a few hundred words

Other universities use the same handles at u02, u03, ...; everyone else is
student<n>@, educator<n>@, tutor<n>@, supervisor<n>@ at their university.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portfolios.scale import SizeMismatch, Sizes, seed_scale


class Command(BaseCommand):
    help = "Bulk-create a national-scale data set (idempotent; see docs/performance.md)."

    def add_arguments(self, parser):
        defaults = Sizes()
        parser.add_argument("--universities", type=int, default=defaults.universities)
        parser.add_argument("--placements", type=int, default=defaults.placements)
        parser.add_argument(
            "--largest",
            type=int,
            default=defaults.largest,
            help="Placements in the largest university; the others share the rest.",
        )
        parser.add_argument(
            "--evidence-per-placement",
            type=int,
            default=defaults.evidence_per_placement,
            help="Evidence items in a finished placement's portfolio (running ones hold "
            "their share so far, planned ones none).",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--password",
            default=None,
            help="Give every seeded account this password (default: unusable).",
        )

    def handle(self, *args, **options):
        if options["password"] is not None and not settings.DEBUG:
            raise CommandError(
                "--password gives thousands of accounts a known password, so it refuses to run "
                "with DEBUG off. Leave it out: the accounts then have no usable password."
            )
        sizes = Sizes(
            universities=options["universities"],
            placements=options["placements"],
            largest=options["largest"],
            evidence_per_placement=options["evidence_per_placement"],
            seed=options["seed"],
        )
        started = time.monotonic()
        try:
            outcome = seed_scale(
                sizes=sizes,
                password=options["password"],
                log=lambda line: self.stdout.write(f"  {line}"),
            )
        except (ValueError, SizeMismatch) as error:
            raise CommandError(str(error)) from error
        if not outcome.created:
            self.stdout.write(
                f"Nothing to do: all {len(outcome.skipped)} universities are already seeded."
            )
            return
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Seeded {len(outcome.created)} universities in {seconds:.0f} s"
            + (f" ({len(outcome.skipped)} were already there)" if outcome.skipped else "")
            + ":"
        )
        for name, count in sorted(outcome.counts.items()):
            self.stdout.write(f"  {name:<20} {count:>9,}")
