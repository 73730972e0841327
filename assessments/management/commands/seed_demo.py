"""Fill the database with a believable demo: two universities, three programmes, forty
placements across every status, and six fixed logins that all use the password
`practice-demo`. Safe to run again: it adds nothing the second time.

Everything is done through the services, at the moment it would have happened (time-machine
moves the clock), so signatures, comments, status trails and the stored reports carry real
days in order, all in the past.
"""

import contextlib
import datetime
import random
from decimal import Decimal

import factory.random
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from assessments import demo_narratives, demo_panel, demo_report
from assessments import services as review_services
from assessments.demo_notifications import seed_notifications
from assessments.models import Review
from assessments.rules import CITABLE
from assessments.services.self_assessment import self_assessment_save, self_assessment_submit
from notifications.demo import delivered_quietly
from portfolios import demo_bank, demo_files, services
from portfolios import demo_data as demo_evidence
from portfolios.demo_invitations import seed_pending_invitation
from portfolios.models import (
    AttendanceDay,
    CapabilityFramework,
    DirectObservation,
    Evidence,
    GradingScale,
    Placement,
    PracticeArea,
)
from portfolios.services.evidence import MappingInput
from tests import factories

S = Placement.Status
# Statuses reached by signing the final review and the steps after it.
REVIEW_STATUSES = (S.FINAL_REVIEW_SIGNED, S.STUDENT_ACKNOWLEDGED, S.COUNTERSIGNED, S.RATIFIED)

DEMO_USERS = [
    # email, first name, last name, role
    ("student@example.org", "Amara", "Osei", Role.STUDENT),
    ("educator@example.org", "Helen", "Marsh", Role.EDUCATOR),
    ("supervisor@example.org", "Tom", "Pritchard", Role.SUPERVISOR),
    ("tutor@example.org", "Ruth", "Adeyemi", Role.TUTOR),
    ("coordinator@example.org", "Sam", "Whitfield", Role.COORDINATOR),
    ("panel@example.org", "Priya", "Nair", Role.PANEL),
]

# The path each status is reached by, and who takes each step.
PATHS = {
    S.PLANNED: [],
    S.ACTIVE: [(S.ACTIVE, "coordinator", "")],
    S.FINAL_REVIEW_SIGNED: [(S.ACTIVE, "coordinator", ""), (S.FINAL_REVIEW_SIGNED, "educator", "")],
    S.STUDENT_ACKNOWLEDGED: [
        (S.ACTIVE, "coordinator", ""),
        (S.FINAL_REVIEW_SIGNED, "educator", ""),
        (S.STUDENT_ACKNOWLEDGED, "student", ""),
    ],
    S.COUNTERSIGNED: [
        (S.ACTIVE, "coordinator", ""),
        (S.FINAL_REVIEW_SIGNED, "educator", ""),
        (S.STUDENT_ACKNOWLEDGED, "student", ""),
        (S.COUNTERSIGNED, "tutor", ""),
    ],
    S.RATIFIED: [
        (S.ACTIVE, "coordinator", ""),
        (S.FINAL_REVIEW_SIGNED, "educator", ""),
        (S.STUDENT_ACKNOWLEDGED, "student", ""),
        (S.COUNTERSIGNED, "tutor", ""),
        (S.RATIFIED, "panel", ""),
    ],
    S.DEFERRED: [
        (S.ACTIVE, "coordinator", ""),
        (
            S.DEFERRED,
            "tutor",
            "Student on sick leave for four weeks; placement to resume in spring.",
        ),
    ],
    S.TERMINATED: [
        (S.ACTIVE, "coordinator", ""),
        (
            S.TERMINATED,
            "coordinator",
            "The team was restructured and could no longer offer supervision; "
            "a new placement is being found.",
        ),
    ],
}

# (setting, practice area, its on-site supervisor or None when the educator works there)
SETTINGS_UK = [
    ("Northbridge Adults' Community Team", "adult-social-care", ("Tom", "Pritchard")),
    ("Riverside Child Protection Team", "child-protection", ("Gareth", "Lloyd")),
    ("Eastgate Fostering Service", "fostering-adoption", None),
    ("Northbridge Youth Justice Service", "youth-justice", ("Nadia", "Rahman")),
    ("Harbour Lane Community Mental Health Team", "mental-health", ("Claire", "Dobson")),
    ("St Anne's Hospital Discharge Team", "hospital-health", ("Fiona", "McLeod")),
    ("Millbrook Learning Disability Service", "learning-disability", ("Joseph", "Mensah")),
    ("Westfield Recovery Service", "substance-use", None),
    ("Oakwood Children's Home", "residential-care", ("Kerry", "Walsh")),
    ("Canal Side Community Hub", "community-development", None),
]
SETTINGS_US = [
    ("Lakeshore County Child Welfare", "child-protection"),
    ("Harbor Point Behavioral Health", "mental-health"),
    ("Lakeshore Unified School District", "education-settings"),
    ("Elm Street Senior Services", "older-people"),
]

# Statuses of the 38 placements besides the demo student's main one: every status appears.
STATUS_MIX = (
    [S.PLANNED] * 5
    + [S.ACTIVE] * 12
    + [S.FINAL_REVIEW_SIGNED] * 4
    + [S.STUDENT_ACKNOWLEDGED] * 3
    + [S.COUNTERSIGNED] * 4
    + [S.RATIFIED] * 6
    + [S.DEFERRED] * 2
    + [S.TERMINATED] * 2
)


# Where each demo login starts, printed beside it.
START_HERE = {
    Role.STUDENT: "Amara: evidence, coverage and both reviews of her final placement",
    Role.EDUCATOR: "Helen: sign Amara's final review, finish Daniel's midpoint, see why "
    "Chloe's Pass is refused",
    Role.SUPERVISOR: "Tom: confirm Amara's last week of attendance (start here)",
    Role.TUTOR: "Ruth: countersign final reviews, follow Chloe's concern",
    Role.COORDINATOR: "Sam: the cohort at a glance, downloads",
    Role.PANEL: "Priya: reports waiting for ratification",
}
# After the final review is signed: days until the student acknowledges, the tutor
# countersigns and the panel (which meets every few weeks) ratifies.
ACKNOWLEDGE_AFTER, COUNTERSIGN_AFTER, RATIFY_AFTER = (2, 5), (4, 9), (12, 30)


class Command(BaseCommand):
    help = "Load the frameworks and a believable demo data set (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )
        parser.add_argument(
            "--show-mail",
            action="store_true",
            help="Print the mail the people send while the demo is made (it is dropped "
            "otherwise, so only the logins are printed).",
        )

    def handle(self, *args, force: bool = False, show_mail: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it refuses to run with "
                "DEBUG off. Pass --force if this really is a demo server."
            )
        call_command("loaddata", "frameworks", "grading_scales", "practice_areas", verbosity=0)
        # The services notify people as they act; in a seeded demo nobody should receive it
        # (--show-mail prints it), and the console should show only the logins.
        console = (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
            if show_mail
            else contextlib.nullcontext()
        )
        with delivered_quietly(), console, transaction.atomic():
            self.seed()
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/login/ as any of these "
            "(password: practice-demo):"
        )
        for email, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {role.label:<22} {START_HERE[role]}")

    # --- The clock ------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int) -> datetime.datetime:
        """A moment on `day` at `hour`, at a minute of its own, never later than now."""
        minute = self.clock.randint(1, 58)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return min(moment, self.now - datetime.timedelta(minutes=self.clock.randint(5, 50)))

    def on(self, day: datetime.date, hour: int):
        """Run what follows as if it were `day` at `hour` (its timestamps say so)."""
        return time_machine.travel(self.at(day, hour), tick=True)

    @staticmethod
    def spread(first: datetime.date, last: datetime.date, count: int, rng) -> list:
        """`count` weekdays between `first` and `last`, in order."""
        span = max((last - first).days, 1)
        days = sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
        return [d - datetime.timedelta(days=max(d.weekday() - 4, 0)) for d in days]

    # --- The world ------------------------------------------------------------------------

    def seed(self) -> int:
        factory.random.reseed_random("practice-portfolio-demo")
        rng = random.Random(2026)
        self.clock = random.Random(1)
        self.now, self.today = timezone.now(), timezone.localdate()
        people = {
            role: factories.UserFactory(email=email, first_name=first, last_name=last, roles=[role])
            for email, first, last, role in DEMO_USERS
        }
        pcf = CapabilityFramework.objects.get(code="PCF", version="2018")
        cswe = CapabilityFramework.objects.get(code="CSWE-EPAS", version="2022")
        uk4, us5 = GradingScale.objects.get(code="UK-4"), GradingScale.objects.get(code="US-5")

        northbridge = factories.UniversityFactory(
            name="University of Northbridge", short_name="Northbridge", country="England"
        )
        lakeshore = factories.UniversityFactory(
            name="Lakeshore State University", short_name="Lakeshore", country="United States"
        )
        if Placement.objects.filter(programme__university__in=[northbridge, lakeshore]).exists():
            return 0

        northbridge.members.add(people[Role.COORDINATOR], people[Role.PANEL])
        seed_pending_invitation(coordinator=people[Role.COORDINATOR])
        lakeshore_staff = [
            factories.CoordinatorFactory(email="coordinator@lakeshore.example.org"),
            factories.PanelMemberFactory(email="panel@lakeshore.example.org"),
        ]
        lakeshore.members.add(*lakeshore_staff)
        ma = factories.ProgrammeFactory(
            university=northbridge, name="Social Work", award="MA", framework=pcf, grading_scale=uk4
        )
        ba = factories.ProgrammeFactory(
            university=northbridge,
            name="Social Work (undergraduate)",
            award="BA (Hons)",
            framework=pcf,
            grading_scale=uk4,
        )
        msw = factories.ProgrammeFactory(
            university=lakeshore, name="Social Work", award="MSW", framework=cswe, grading_scale=us5
        )

        uk_areas = PracticeArea.objects.filter(code__in=demo_evidence.UK_PRACTICE_AREAS)
        for programme in (ma, ba):
            programme.practice_areas.set(uk_areas)
        msw.practice_areas.set(
            PracticeArea.objects.filter(code__in=demo_evidence.US_PRACTICE_AREAS)
        )

        uk_educators = [people[Role.EDUCATOR], *factories.EducatorFactory.create_batch(5)]
        uk_tutors = [people[Role.TUTOR], factories.TutorFactory()]
        us_instructors = factories.EducatorFactory.create_batch(3)
        us_liaison = factories.TutorFactory()
        # One on-site supervisor per agency: Tom works in the adults' team, nowhere else.
        supervisors = {
            setting: people[Role.SUPERVISOR]
            if name == ("Tom", "Pritchard")
            else factories.SupervisorFactory(first_name=name[0], last_name=name[1])
            for setting, _area, name in SETTINGS_UK
            if name
        }
        areas = {a.code: a for a in PracticeArea.objects.all()}
        today = self.today

        def make(
            *,
            student,
            educator,
            tutor,
            programme,
            status,
            setting,
            area,
            stage,
            supervisor=None,
            coordinator,
            panel,
            with_evidence=True,
            start=None,
            setup=True,
            midpoint=True,
        ) -> Placement:
            length = 165 if stage == "final" else 115
            plan = self.final_plan(status, length, rng) if status in REVIEW_STATUSES else {}
            start = (
                start
                or plan.get("start")
                or {
                    S.PLANNED: today + datetime.timedelta(days=rng.randint(14, 60)),
                    S.ACTIVE: today - datetime.timedelta(days=rng.randint(30, 110)),
                    S.DEFERRED: today - datetime.timedelta(days=rng.randint(60, 120)),
                    S.TERMINATED: today - datetime.timedelta(days=rng.randint(60, 120)),
                }[status]
            )
            agreed = min(start - datetime.timedelta(days=rng.randint(20, 45)), today)
            with self.on(agreed, 10):
                placement = services.placement_create(
                    actor=coordinator,
                    student=student,
                    educator=educator,
                    supervisor=supervisor,
                    tutor=tutor,
                    programme=programme,
                    setting_name=setting,
                    practice_area=areas.get(area),
                    stage=stage,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=length),
                    required_days=100 if stage == "final" else 70,
                )
            actors = {
                "coordinator": coordinator,
                "educator": educator,
                "student": student,
                "tutor": tutor,
                "panel": panel,
            }
            # Evidence stops when the portfolio closes: at a deferral or termination, a few
            # days before the final review is signed, or today.
            ended = start + datetime.timedelta(days=rng.randint(35, 55))
            horizon = plan.get("signed", ended if status in (S.DEFERRED, S.TERMINATED) else today)
            for to_status, who, reason in PATHS[status]:
                if to_status in REVIEW_STATUSES:
                    break  # these steps are taken by signing the final review, below
                if to_status != S.ACTIVE and with_evidence:
                    self.seed_other_evidence(rng, placement, until=horizon)
                    with_evidence = False
                with self.on(start if to_status == S.ACTIVE else ended, 9):
                    services.placement_transition(
                        actor=actors[who], placement=placement, to_status=to_status, reason=reason
                    )
                if to_status == S.ACTIVE and setup:
                    self.seed_agreement(
                        placement, all_sign=rng.random() > 0.15 or status != S.ACTIVE
                    )
                    self.seed_attendance(placement, status, rng)
            if with_evidence and status != S.PLANNED:
                self.seed_other_evidence(rng, placement, until=horizon)
            if status in REVIEW_STATUSES:
                self.seed_reviews(placement, actors, status, rng, plan)
            elif status == S.ACTIVE and midpoint:
                self.seed_midpoint_if_due(placement, actors, rng)
            return placement

        uk = {"coordinator": people[Role.COORDINATOR], "panel": people[Role.PANEL]}
        # The demo student's earlier first placement, ratified, and their current final one.
        make(
            student=people[Role.STUDENT],
            educator=uk_educators[1],
            tutor=people[Role.TUTOR],
            programme=ma,
            status=S.RATIFIED,
            setting="Eastgate Family Support Service",
            area="statutory-childrens-services",
            stage="first",
            **uk,
        )
        main = make(
            student=people[Role.STUDENT],
            educator=people[Role.EDUCATOR],
            supervisor=people[Role.SUPERVISOR],
            tutor=people[Role.TUTOR],
            programme=ma,
            status=S.ACTIVE,
            setting="Northbridge Adults' Community Team",
            area="adult-social-care",
            stage="final",
            with_evidence=False,
            start=today - datetime.timedelta(days=152),
            setup=False,
            midpoint=False,
            **uk,
        )
        self.seed_main(main, people)
        # Two more of the demo educator's students: a midpoint two-thirds written, and a final
        # review drafted as a pass that the sign-off rules refuse, saying why.
        writing = make(
            student=factories.StudentFactory(first_name="Daniel", last_name="Okafor"),
            educator=people[Role.EDUCATOR],
            tutor=people[Role.TUTOR],
            programme=ba,
            status=S.ACTIVE,
            setting="Riverside Child Protection Team",
            area="child-protection",
            stage="first",
            start=today - datetime.timedelta(days=62),
            midpoint=False,
            **uk,
        )
        self.seed_midpoint_in_progress(writing, people)
        blocked = make(
            student=factories.StudentFactory(first_name="Chloe", last_name="Brennan"),
            educator=people[Role.EDUCATOR],
            tutor=people[Role.TUTOR],
            programme=ma,
            status=S.ACTIVE,
            setting="Harbour Lane Community Mental Health Team",
            area="mental-health",
            stage="first",
            start=today - datetime.timedelta(days=72),
            setup=False,
            midpoint=False,
            **uk,
        )
        self.seed_blocked(blocked, people, rng)

        mix = list(STATUS_MIX)
        rng.shuffle(mix)
        # Every status appears at each university: one of each goes to the US programme first.
        count = 2
        for i, status in enumerate(mix):
            on_us = i % 4 == 3
            if status in (S.DEFERRED, S.TERMINATED) and mix.index(status) != i:
                on_us = False  # the second deferral or termination stays in England
            elif status == S.DEFERRED:
                on_us = True
            if on_us:  # about a quarter on the US programme
                setting, area = SETTINGS_US[i % len(SETTINGS_US)]
                make(
                    student=factories.StudentFactory(),
                    educator=rng.choice(us_instructors),
                    tutor=us_liaison,
                    programme=msw,
                    status=status,
                    setting=setting,
                    area=area,
                    stage=rng.choice(["first", "final"]),
                    coordinator=lakeshore_staff[0],
                    panel=lakeshore_staff[1],
                )
            else:
                setting, area, _name = SETTINGS_UK[i % len(SETTINGS_UK)]
                # The demo educator and tutor get a realistic share of the cohort.
                educator = uk_educators[0] if i % 5 == 0 else rng.choice(uk_educators)
                make(
                    student=factories.StudentFactory(),
                    educator=educator,
                    supervisor=supervisors.get(setting) if rng.random() < 0.7 else None,
                    tutor=uk_tutors[i % 2],
                    programme=rng.choice([ma, ba]),
                    status=status,
                    setting=setting,
                    area=area,
                    stage=rng.choice(["first", "final"]),
                    **uk,
                )
            count += 1
        demo_panel.seed_panel(people[Role.PANEL])
        seed_notifications(people)
        return count + 2

    def final_plan(self, status: str, length: int, rng) -> dict:
        """The days of a signed placement, worked back from today: the final review signed in
        its last week, then acknowledged, countersigned and ratified days or weeks apart, the
        latest step a little while ago."""
        signed = -rng.randint(1, 4)
        acknowledged = signed + rng.randint(*ACKNOWLEDGE_AFTER)
        countersigned = acknowledged + rng.randint(*COUNTERSIGN_AFTER)
        ratified = countersigned + rng.randint(*RATIFY_AFTER)
        latest = {
            S.FINAL_REVIEW_SIGNED: signed,
            S.STUDENT_ACKNOWLEDGED: acknowledged,
            S.COUNTERSIGNED: countersigned,
            S.RATIFIED: ratified,
        }[status]
        waited = rng.randint(20, 200) if status == S.RATIFIED else rng.randint(1, 8)
        end = self.today - datetime.timedelta(days=waited + latest)
        days = {
            "signed": signed,
            "acknowledged": acknowledged,
            "countersigned": countersigned,
            "ratified": ratified,
        }
        plan = {k: end + datetime.timedelta(days=v) for k, v in days.items()}
        return {**plan, "start": end - datetime.timedelta(days=length), "end": end}

    # --- Evidence --------------------------------------------------------------------------

    def seed_main_evidence(self, main: Placement, people) -> None:
        """The demo student's portfolio, walked through the real services on the days it
        happened: written up the evening after, reviewed by the educator days later."""
        student, educator = people[Role.STUDENT], people[Role.EDUCATOR]
        domains = {d.code: d for d in main.framework.domains.all()}
        with self.on(main.start_date + datetime.timedelta(days=1), 14):
            services.placement_confidential_names_set(
                actor=student, placement=main, names=demo_evidence.NAMES_TO_KEEP_OUT
            )
        items = []
        for kind, title, days_in, status, reflection, maps in demo_evidence.MAIN_EVIDENCE:
            practice_date = min(main.start_date + datetime.timedelta(days=days_in), self.today)
            with self.on(practice_date, 18):
                evidence = services.evidence_create(
                    actor=student,
                    placement=main,
                    kind=kind,
                    title=title,
                    practice_date=practice_date,
                    reflection=reflection,
                    mappings=[MappingInput(domains[code], note) for code, note in maps],
                    details=demo_evidence.DETAILS.get(title),
                    files=self.files_for(title, demo_evidence.FILES.get(title)),
                )
                if status != "draft":
                    evidence = services.evidence_submit(actor=student, evidence=evidence)
            with self.on(practice_date + datetime.timedelta(days=3), 11):
                if status == "accepted":
                    services.evidence_review(actor=educator, evidence=evidence, accept=True)
                elif status == "revision_requested":
                    services.evidence_review(
                        actor=educator,
                        evidence=evidence,
                        accept=False,
                        comment=demo_evidence.REVISION_COMMENT,
                    )
            items.append(evidence)
        self.seed_structured(main, people, items)
        for index, who, text in demo_evidence.COMMENTS:
            with self.on(items[index].practice_date + datetime.timedelta(days=4), 15):
                services.evidence_comment_add(
                    actor=people[Role.EDUCATOR if who == "educator" else Role.SUPERVISOR],
                    evidence=items[index],
                    text=text,
                )

    def files_for(self, title: str, spec) -> list:
        """The file a student attached to this item, made now: (type, name, lines)."""
        if not spec:
            return []
        kind, name, lines = spec
        if kind == "docx":
            return [demo_files.docx_file(name, title, lines)]
        if kind == "png":
            return [demo_files.png_file(name, "The family", lines)]
        return [demo_files.pdf_file(name, title, lines)]

    def seed_structured(self, main: Placement, people, items: list[Evidence]) -> None:
        """Observation feedback, supervision on both sides, and service user feedback."""
        student, educator = people[Role.STUDENT], people[Role.EDUCATOR]
        domains = {d.code: d for d in main.framework.domains.all()}
        observation = next(e for e in items if e.kind == Evidence.Kind.DIRECT_OBSERVATION)
        with self.on(observation.practice_date + datetime.timedelta(days=2), 16):
            services.observation_feedback_save(
                actor=educator,
                evidence=observation,
                feedback={domains[c]: t for c, t in demo_evidence.OBSERVATION_FEEDBACK.items()},
            )
        students_record = next(e for e in items if e.kind == Evidence.Kind.SUPERVISION)
        with self.on(students_record.practice_date + datetime.timedelta(days=2), 9):
            services.supervision_record_confirm(actor=educator, evidence=students_record)
        supervised = min(main.start_date + datetime.timedelta(days=40), self.today)
        with self.on(supervised, 15):
            services.supervision_record_create(
                actor=educator,
                placement=main,
                practice_date=supervised,
                **demo_evidence.EDUCATOR_SUPERVISION,
            )
        for n, (work, answers, verified) in enumerate(demo_evidence.SERVICE_USER_FEEDBACK):
            asked = main.start_date + datetime.timedelta(days=30 + 35 * n)
            with self.on(asked, 17):
                _, token = services.feedback_request_create(
                    actor=student, placement=main, work_description=work
                )
            with self.on(asked + datetime.timedelta(days=3), 12):
                evidence = services.feedback_give(token=token, consent=True, **answers)
            if verified:
                with self.on(asked + datetime.timedelta(days=5), 19):
                    evidence = services.evidence_update(
                        actor=student,
                        evidence=evidence,
                        kind=evidence.kind,
                        title=evidence.title,
                        practice_date=evidence.practice_date,
                        reflection="Hearing that I came back when I said I would mattered more "
                        "to her than anything I said in the visit.",
                        mappings=[
                            MappingInput(domains["VALUES"], "Shows reliability and respect."),
                            MappingInput(domains["SKILLS"], "Shows listening and recording."),
                        ],
                    )
                    evidence = services.evidence_submit(actor=student, evidence=evidence)
                with self.on(asked + datetime.timedelta(days=8), 10):
                    services.evidence_verify(actor=educator, evidence=evidence)
        with self.on(self.today - datetime.timedelta(days=2), 17):
            services.feedback_request_create(
                actor=student, placement=main, work_description="the carers' group on Thursday"
            )

    def seed_other_evidence(
        self, rng: random.Random, placement: Placement, *, until: datetime.date
    ) -> None:
        """Some of the setting's bank, written up over the placement up to `until`, so
        dashboards show coverage and reviews can cite it; a reflective log covers any domain
        the other items leave without evidence."""
        domains = list(placement.framework.domains.all())
        bank = demo_bank.bank_for(placement.setting_name, rng)
        items = rng.sample(bank, rng.randint(5, 8))
        last = min(until, self.today) - datetime.timedelta(days=3)
        days = self.spread(placement.start_date + datetime.timedelta(days=7), last, len(items), rng)
        covered: set = set()
        for item, day in zip(items, days, strict=True):
            covered.update(self.add_evidence(placement, item, day, domains, rng))
        missing = [d for d in domains if d not in covered]
        if missing:
            about = missing[0].name.lower()
            log = demo_bank.Item(
                "critical_reflection",
                f"Reflective log, {{date}}: {rng.choice(demo_bank.LOG_FRAMES).format(about)}",
                "Looking back over the last fortnight, I can see the pieces of work that "
                "taught me most were the ones I found hardest. I have listed what each showed "
                "me in these areas and what I will try next.",
                {d.code: "Reflected on in this week's log." for d in missing},
            )
            self.add_evidence(placement, log, last, domains, rng)

    def add_evidence(self, placement, item, day, domains, rng, *, review=True) -> list:
        """Write one bank item on the evening of `day`, submit it, and have the educator
        accept most items a few days later. Returns the domains it shows."""
        shown = [d for d in domains if d.code in item.notes]
        with self.on(day, 18):
            evidence = services.evidence_create(
                actor=placement.student,
                placement=placement,
                kind=item.kind,
                title=item.title.format(date=f"{day:%-d %B}"),
                practice_date=day,
                reflection=item.reflection,
                mappings=[MappingInput(d, item.notes[d.code]) for d in shown],
                details=self.details_for(placement, item),
                files=self.files_for(item.title, (item.file, item.file_name, item.file_lines))
                if item.file
                else [],
            )
            evidence = services.evidence_submit(actor=placement.student, evidence=evidence)
        if review and rng.random() < 0.7:
            with self.on(day + datetime.timedelta(days=rng.randint(1, 3)), 12):
                if item.kind == Evidence.Kind.SUPERVISION:
                    services.supervision_record_confirm(actor=placement.educator, evidence=evidence)
                services.evidence_review(actor=placement.educator, evidence=evidence, accept=True)
        return shown

    @staticmethod
    def details_for(placement: Placement, item) -> dict | None:
        if item.kind == Evidence.Kind.SUPERVISION:
            student, educator = placement.student, placement.educator
            who = f"{student.display_name} (student), {educator.display_name} " + (
                f"({placement.framework.educator_title})"
            )
            return {"attendees": who, **item.details}
        return item.details or None

    # --- Reviews ---------------------------------------------------------------------------

    def fill_review(
        self,
        review,
        educator,
        rng: random.Random,
        *,
        leave: int = 0,
        grades: dict | None = None,
        before: datetime.date | None = None,
    ) -> None:
        """Grade every domain as fits the stage (demo_narratives.grades_for), citing the
        evidence mapped to it that existed by `before`, with a narrative of its own; the last
        `leave` stay ungraded (a review still being written), and `grades` fixes the grade
        value of some domains by code."""
        placement = review.placement
        scale = {g.value: g for g in placement.grading_scale.grades.all()}
        pass_value = placement.grading_scale.pass_value
        name = placement.student.first_name
        judgements = list(review.judgements.select_related("domain"))
        midpoint = review.kind == Review.Kind.MIDPOINT
        codes = [j.domain.code for j in judgements]
        if grades is None:
            values = demo_narratives.grades_for(
                sorted(scale), pass_value, codes, midpoint=midpoint, rng=rng
            )
        else:  # the story decides: these grades, the rest on track
            values = dict.fromkeys(codes, pass_value) | grades
        before = before or self.today
        for judgement in judgements[: len(judgements) - leave]:
            value = values[judgement.domain.code]
            cited = list(
                placement.evidence.filter(
                    mappings__domain=judgement.domain,
                    status__in=CITABLE,
                    practice_date__lte=before,
                ).order_by("practice_date")[:3]
            )
            review_services.judgement_save(
                actor=educator,
                judgement=judgement,
                grade=scale[value],
                narrative=demo_narratives.narrative(
                    code=judgement.domain.code,
                    name=name,
                    value=value,
                    pass_value=pass_value,
                    midpoint=midpoint,
                    cited=cited,
                    rng=rng,
                ),
                evidence=cited,
            )

    def seed_signed_midpoint(self, placement, actors, rng, *, half: datetime.date) -> Review:
        """The midpoint at `half`: self-assessment four days before, the review signed that
        afternoon, acknowledged by the student a few days later."""
        educator, student = actors["educator"], actors["student"]
        name = student.first_name
        with self.on(half - datetime.timedelta(days=4), 19):
            self.seed_self_assessment(placement, Review.Kind.MIDPOINT, rng)
        with self.on(half, 14):
            midpoint = review_services.review_start(
                actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
            )
            self.fill_review(midpoint, educator, rng, before=half)
            review_services.review_outcome_save(
                actor=educator,
                review=midpoint,
                midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
                summary=rng.choice(demo_evidence.MIDPOINT_SUMMARIES).format(name=name),
                no_concern_reason=demo_evidence.MIDPOINT_NO_CONCERN.format(name=name),
            )
        with self.on(half, 16):
            review_services.review_sign(actor=educator, review=midpoint)
        with self.on(half + datetime.timedelta(days=rng.randint(2, 4)), 10):
            review_services.review_acknowledge(actor=student, review=midpoint)
        return midpoint

    def seed_midpoint_if_due(self, placement: Placement, actors, rng) -> None:
        """An active placement past its halfway point has had its midpoint."""
        half = placement.start_date + (placement.end_date - placement.start_date) / 2
        if half + datetime.timedelta(days=5) < self.today:
            self.seed_signed_midpoint(placement, actors, rng, half=half)

    def seed_reviews(self, placement: Placement, actors: dict, status: str, rng, plan) -> None:
        """A signed and acknowledged midpoint and a final review walked as far as the
        placement's status, each step on its own day of `plan` (see final_plan)."""
        educator, student = actors["educator"], actors["student"]
        name = student.first_name
        self.seed_observations(placement, rng, until=plan["signed"])
        self.seed_feedback(placement, rng, on=plan["signed"] - datetime.timedelta(days=20))
        half = placement.start_date + (placement.end_date - placement.start_date) / 2
        self.seed_signed_midpoint(placement, actors, rng, half=half)
        drafted = plan["signed"] - datetime.timedelta(days=3)
        with self.on(drafted - datetime.timedelta(days=4), 20):
            self.seed_self_assessment(placement, Review.Kind.FINAL, rng)
        with self.on(drafted, 13):
            final = review_services.review_start(
                actor=educator, placement=placement, kind=Review.Kind.FINAL
            )
            self.fill_review(final, educator, rng, before=drafted)
            self.seed_strengths_and_suitability(final, educator, rng)
            demo_report.seed_final_report_extras(final, rng)
            review_services.review_outcome_save(
                actor=educator,
                review=final,
                **demo_panel.final_outcome(placement, status, name)
                or {
                    "recommendation": Review.Recommendation.PASS,
                    "recommendation_justification": demo_evidence.RECOMMENDATION_PASS.format(
                        name=name
                    ),
                    "summary": rng.choice(demo_evidence.FINAL_SUMMARIES).format(name=name),
                },
            )
        with self.on(plan["signed"], 15):
            review_services.review_sign(actor=educator, review=final)
        if status == S.FINAL_REVIEW_SIGNED:
            return
        with self.on(plan["acknowledged"], 20):
            review_services.review_acknowledge(
                actor=student, review=final, comment=rng.choice(demo_evidence.STUDENT_ACK_COMMENTS)
            )
        if status == S.STUDENT_ACKNOWLEDGED:
            return
        with self.on(plan["countersigned"], 11):
            demo_panel.countersign(final, actors["tutor"])
        if status == S.RATIFIED:
            with self.on(plan["ratified"], 14):
                demo_panel.ratify(final, actors["panel"])

    def seed_feedback(self, placement: Placement, rng, *, on: datetime.date) -> None:
        """One piece of service user or carer feedback, in the person's own words, mapped and
        reflected on by the student."""
        work, answers = demo_bank.feedback_for(placement.setting_name)
        with self.on(on, 16):
            _, token = services.feedback_request_create(
                actor=placement.student, placement=placement, work_description=work
            )
        with self.on(on + datetime.timedelta(days=2), 11):
            evidence = services.feedback_give(token=token, consent=True, **answers)
        domains = [d for d in placement.framework.domains.all() if d.code in ("VALUES", "C6")]
        with self.on(on + datetime.timedelta(days=3), 19):
            evidence = services.evidence_update(
                actor=placement.student,
                evidence=evidence,
                kind=evidence.kind,
                title=evidence.title,
                practice_date=evidence.practice_date,
                reflection="What the person noticed was how I listened, not what I did. "
                "I will keep asking for feedback in words people can use.",
                mappings=[
                    MappingInput(d, "The person's own words about how I worked.") for d in domains
                ],
            )
            services.evidence_submit(actor=placement.student, evidence=evidence)

    def seed_strengths_and_suitability(self, review, educator, rng, *, areas=None) -> None:
        """Two strengths, and a rating for every area the programme asks about."""
        for text in rng.sample(demo_evidence.STRENGTHS, 2):
            review_services.strength_add(actor=educator, review=review, text=text)
        ratings = {code: (rating, why) for code, rating, why in demo_evidence.SUITABILITY}
        programme_areas = review.placement.programme.practice_areas.all()
        for area in programme_areas if areas is None else programme_areas[:areas]:
            rating, rationale = ratings.get(area.code, ("not_observed", ""))
            review_services.suitability_save(
                actor=educator,
                review=review,
                practice_area=area,
                rating=rating,
                rationale=rationale,
            )

    # --- What the rules read: agreement, attendance, observations, self-assessment ----------

    def seed_agreement(self, placement: Placement, *, all_sign: bool = True) -> None:
        """The learning agreement, drafted by the educator on day three and signed by
        everyone over the following days (or, on a placement just begun, by everyone but the
        tutor so far)."""
        generic = demo_evidence.GENERIC_GOALS
        goals = {
            d: demo_evidence.AGREEMENT_GOALS.get(d.code, generic[i % len(generic)])
            for i, d in enumerate(placement.framework.domains.all())
        }
        with self.on(placement.start_date + datetime.timedelta(days=2), 10):
            agreement = services.agreement_save(
                actor=placement.educator,
                placement=placement,
                goals=goals,
                **demo_evidence.AGREEMENT,
            )
        signers = [placement.student, placement.educator, placement.supervisor, placement.tutor]
        signers = [p for p in (signers if all_sign else signers[:-1]) if p is not None]
        for n, person in enumerate(signers):
            with self.on(placement.start_date + datetime.timedelta(days=3 + n), 11 + n):
                agreement = services.agreement_sign(actor=person, agreement=agreement)

    def seed_attendance(self, placement: Placement, status: str, rng: random.Random) -> None:
        """The attendance log as the student and educator would have kept it: days through
        the placement, a study day a fortnight, a few absences; confirmed week by week except
        the latest week (or, on one placement in five, the latest three)."""
        today = self.today
        if status in REVIEW_STATUSES:
            target, last = Decimal(placement.required_days), placement.end_date
            unconfirmed_weeks = 0
        elif status == S.ACTIVE:
            target, last = Decimal(placement.required_days), today
            unconfirmed_weeks = 3 if rng.random() < 0.2 else 1
        else:  # deferred or terminated part-way
            target, last = Decimal(placement.required_days * 2 // 5), today
            unconfirmed_weeks = 0
        days = self.attendance_days(placement, target=target, last=min(last, today), rng=rng)
        self.store_attendance(placement, days, unconfirmed_weeks=unconfirmed_weeks)

    def attendance_days(self, placement, *, target: Decimal, last, rng, absences=(0.03, 2)):
        """(date, kind, portion, reason) from the start, weekdays only, until `target` days
        count or `last` is reached."""
        rows, counted, day = [], Decimal(0), placement.start_date
        chance, most = absences
        absent = 0
        while day <= last and counted < target:
            if day.weekday() < 5:
                n = len(rows) + 1
                if absent < most and rng.random() < chance:
                    reason = rng.choice(demo_evidence.ABSENCE_REASONS)
                    rows.append((day, AttendanceDay.Kind.ABSENCE, "full", reason))
                    absent += 1
                elif n % 10 == 0 and target - counted >= 1:
                    rows.append((day, AttendanceDay.Kind.STUDY, "full", ""))
                    counted += 1
                else:
                    portion = (
                        "half" if n % 23 == 0 or target - counted == Decimal("0.5") else "full"
                    )
                    rows.append((day, AttendanceDay.Kind.PLACEMENT, portion, ""))
                    counted += Decimal("0.5") if portion == "half" else 1
            day += datetime.timedelta(days=1)
        return rows

    def store_attendance(self, placement: Placement, rows, *, unconfirmed_weeks: int) -> None:
        """Rows as the services leave them: recorded by the student, confirmed by the on-site
        supervisor or educator at the end of each week, and days completed recounted."""
        if not rows:
            return
        latest = rows[-1][0]
        cutoff = latest - datetime.timedelta(days=latest.weekday() + 7 * (unconfirmed_weeks - 1))
        confirmer = placement.supervisor or placement.educator
        now = timezone.now()
        made = []
        for day, kind, portion, reason in rows:
            friday = day + datetime.timedelta(days=4 - day.weekday())
            confirmed = not unconfirmed_weeks or day < cutoff
            at = timezone.make_aware(datetime.datetime.combine(friday, datetime.time(16, 30)))
            made.append(
                AttendanceDay(
                    placement=placement,
                    date=day,
                    kind=kind,
                    portion=portion,
                    absence_reason=reason,
                    recorded_by=placement.student,
                    confirmed_by=confirmer if confirmed else None,
                    confirmed_at=min(at, now) if confirmed else None,
                )
            )
        AttendanceDay.objects.bulk_create(made)
        services.attendance_recount(placement=placement)

    def seed_observations(self, placement: Placement, rng, *, until, count: int = 3) -> None:
        """The setting's direct observations spread before `until`, the first before the
        midpoint; the last by the on-site supervisor or a senior colleague, the others by the
        educator, who writes feedback against each domain a few days later."""
        domains = list(placement.framework.domains.all())
        observations = demo_bank.observations_for(placement.setting_name, rng)[:count]
        start = placement.start_date + datetime.timedelta(days=20)
        days = self.spread(start, until - datetime.timedelta(days=10), count, rng)
        for n, (item, day) in enumerate(zip(observations, days, strict=True)):
            observer = DirectObservation.Observer.EDUCATOR
            if n == 2:
                observer = (
                    DirectObservation.Observer.SUPERVISOR
                    if placement.supervisor
                    else DirectObservation.Observer.OTHER
                )
            item.details.update(observer=observer, observer_name="Senior social worker in the team")
            shown = self.add_evidence(placement, item, day, domains, rng, review=False)
            if observer != DirectObservation.Observer.EDUCATOR:
                continue
            evidence = placement.evidence.get(title=item.title)
            with self.on(day + datetime.timedelta(days=rng.randint(2, 4)), 17):
                services.observation_feedback_save(
                    actor=placement.educator,
                    evidence=evidence,
                    feedback={
                        d: demo_evidence.OBSERVATION_FEEDBACK_BY_DOMAIN[d.code] for d in shown
                    },
                )
                services.evidence_review(actor=placement.educator, evidence=evidence, accept=True)

    def seed_self_assessment(self, placement, kind, rng, *, gaps: dict | None = None) -> None:
        """The student's own ratings before a review: mostly at the level, one below; `gaps`
        fixes some domains' self-ratings by code."""
        scale = list(placement.grading_scale.grades.all())
        by_value = {g.value: g for g in scale}
        passing = [g for g in scale if g.meets_threshold]
        below = [g for g in scale if not g.meets_threshold][-1]
        domains = list(placement.framework.domains.all())
        unsure = rng.choice(domains)
        ratings = {}
        for d in domains:
            fixed = (gaps or {}).get(d.code)
            grade = by_value[fixed] if fixed else (below if d == unsure else passing[0])
            words = demo_evidence.SELF_MEETS if grade.meets_threshold else demo_evidence.SELF_BELOW
            ratings[d] = (grade, rng.choice(words))
        student = placement.student
        made = self_assessment_save(actor=student, placement=placement, kind=kind, ratings=ratings)
        self_assessment_submit(actor=student, self_assessment=made)

    # --- The demo student and the demo educator's other students ----------------------------

    def seed_main(self, main: Placement, people) -> None:
        """Amara's final placement: everything done but the last week's attendance, which the
        on-site supervisor or educator confirms before signing the drafted final review."""
        rng = random.Random(7)
        educator, student = people[Role.EDUCATOR], people[Role.STUDENT]
        self.seed_agreement(main)
        rows = self.attendance_days(
            main,
            target=Decimal(main.required_days),
            last=self.today,
            rng=rng,
            absences=(0.05, 2),
        )
        self.store_attendance(main, rows, unconfirmed_weeks=1)
        self.seed_main_evidence(main, people)
        half = main.start_date + datetime.timedelta(days=74)
        with self.on(half - datetime.timedelta(days=4), 18):
            self.seed_self_assessment(main, Review.Kind.MIDPOINT, rng, gaps={"LEADERSHIP": 2})
        with self.on(half - datetime.timedelta(days=1), 13):
            midpoint = review_services.review_start(
                actor=educator, placement=main, kind=Review.Kind.MIDPOINT
            )
            self.fill_review(midpoint, educator, rng, grades={"LEADERSHIP": 2}, before=half)
        with self.on(half - datetime.timedelta(days=1), 17):
            review_services.review_comment_add(
                actor=people[Role.SUPERVISOR],
                review=midpoint,
                text=demo_evidence.SUPERVISOR_REVIEW_COMMENT,
            )
        with self.on(half, 15):
            review_services.review_outcome_save(
                actor=educator,
                review=midpoint,
                midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
                summary=demo_evidence.MIDPOINT_SUMMARY.format(name=student.first_name),
                no_concern_reason=demo_evidence.MIDPOINT_NO_CONCERN.format(name=student.first_name),
            )
            review_services.review_sign(actor=educator, review=midpoint)
        with self.on(half + datetime.timedelta(days=2), 9):
            review_services.review_acknowledge(
                actor=student, review=midpoint, comment=demo_evidence.MIDPOINT_ACK_COMMENT
            )
        # Amara rates her leadership lower than Helen does: a point to discuss.
        with self.on(self.today - datetime.timedelta(days=6), 19):
            self.seed_self_assessment(main, Review.Kind.FINAL, rng, gaps={"LEADERSHIP": 2})
        with self.on(self.today - datetime.timedelta(days=2), 14):
            final = review_services.review_start(
                actor=educator, placement=main, kind=Review.Kind.FINAL
            )
            self.fill_review(final, educator, rng, grades={"LEADERSHIP": 4, "SKILLS": 4})
            self.seed_strengths_and_suitability(final, educator, rng)
            demo_report.seed_final_report_extras(final, rng)
            review_services.review_outcome_save(
                actor=educator,
                review=final,
                recommendation=Review.Recommendation.PASS,
                recommendation_justification=demo_evidence.RECOMMENDATION_PASS.format(
                    name=student.first_name
                ),
                summary=demo_evidence.FINAL_SUMMARY,
            )

    def seed_midpoint_in_progress(self, placement: Placement, people) -> None:
        """A midpoint two-thirds written: the demo educator finishes and signs it."""
        rng = random.Random(11)
        educator = people[Role.EDUCATOR]
        with self.on(self.today - datetime.timedelta(days=5), 19):
            self.seed_self_assessment(placement, Review.Kind.MIDPOINT, rng)
        with self.on(self.today - datetime.timedelta(days=1), 16):
            midpoint = review_services.review_start(
                actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
            )
            self.fill_review(midpoint, educator, rng, leave=3, grades={})
            review_services.review_outcome_save(
                actor=educator,
                review=midpoint,
                midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
                summary=demo_evidence.MIDPOINT_SUMMARY.format(name=placement.student.first_name),
            )

    def seed_blocked(self, placement: Placement, people, rng) -> None:
        """A student in difficulty: an open concern, half the days, one observation, and a
        final review drafted as a pass that the sign-off rules refuse, each rule saying why."""
        educator = people[Role.EDUCATOR]
        name = placement.student.first_name
        today = self.today
        self.seed_agreement(placement)
        rows = self.attendance_days(
            placement,
            target=Decimal(placement.required_days),
            last=today,
            rng=rng,
            absences=(0.15, 6),
        )
        self.store_attendance(placement, rows, unconfirmed_weeks=2)
        self.seed_observations(placement, rng, until=today, count=1)
        domains = {d.code: d for d in placement.framework.domains.all()}
        # Raised three weeks ago, when the recording first slipped.
        with self.on(today - datetime.timedelta(days=21), 12):
            review_services.concern_raise(
                actor=educator,
                placement=placement,
                description=demo_evidence.CONCERN,
                review_date=today + datetime.timedelta(days=14),
                targets={domains[c]: t for c, t in demo_evidence.CONCERN_TARGETS.items()},
            )
        half = today - datetime.timedelta(days=14)
        with self.on(half - datetime.timedelta(days=3), 18):
            self.seed_self_assessment(placement, Review.Kind.MIDPOINT, rng)
        with self.on(half, 15):
            midpoint = review_services.review_start(
                actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
            )
            self.fill_review(
                midpoint, educator, rng, grades={"PROF": 2, "CONTEXTS": 2}, before=half
            )
            review_services.review_outcome_save(
                actor=educator,
                review=midpoint,
                midpoint_outcome=Review.MidpointOutcome.CONCERNS,
                summary=demo_evidence.MIDPOINT_CONCERNS_SUMMARY.format(name=name),
            )
            review_services.review_sign(actor=educator, review=midpoint)
        with self.on(half + datetime.timedelta(days=3), 10):
            review_services.review_acknowledge(actor=placement.student, review=midpoint)
        with self.on(today - datetime.timedelta(days=1), 17):
            final = review_services.review_start(
                actor=educator, placement=placement, kind=Review.Kind.FINAL
            )
            self.fill_review(final, educator, rng, grades={"PROF": 2})
            self.seed_strengths_and_suitability(final, educator, rng, areas=3)
            review_services.review_outcome_save(
                actor=educator,
                review=final,
                recommendation=Review.Recommendation.PASS,
                recommendation_justification=demo_evidence.BLOCKED_JUSTIFICATION.format(name=name),
            )
