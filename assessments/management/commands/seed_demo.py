"""Fill the database with a believable demo: two universities, three programmes, forty
placements across every status, and six fixed logins that all use the password
`practice-demo`. Safe to run again: it adds nothing the second time.
"""

import datetime
import random
from decimal import Decimal

import factory.random
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from assessments import services as review_services
from assessments.demo_notifications import seed_notifications
from assessments.models import Concern, Review, ReviewComment, SelfAssessment
from assessments.rules import CITABLE
from assessments.services.self_assessment import self_assessment_save, self_assessment_submit
from notifications.demo import delivered_quietly
from portfolios import demo_data as demo_evidence
from portfolios import services
from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    CapabilityFramework,
    DirectObservation,
    Evidence,
    GradingScale,
    LearningAgreement,
    Placement,
    PracticeArea,
)
from portfolios.models.immutability import backdating
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

SETTINGS_UK = [
    ("Northbridge Adults' Community Team", "adult-social-care"),
    ("Riverside Child Protection Team", "child-protection"),
    ("Eastgate Fostering Service", "fostering-adoption"),
    ("Northbridge Youth Justice Service", "youth-justice"),
    ("Harbour Lane Community Mental Health Team", "mental-health"),
    ("St Anne's Hospital Discharge Team", "hospital-health"),
    ("Millbrook Learning Disability Service", "learning-disability"),
    ("Westfield Recovery Service", "substance-use"),
    ("Oakwood Children's Home", "residential-care"),
    ("Canal Side Community Hub", "community-development"),
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


class Command(BaseCommand):
    help = "Load the frameworks and a believable demo data set (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it refuses to run with "
                "DEBUG off. Pass --force if this really is a demo server."
            )
        call_command("loaddata", "frameworks", "grading_scales", "practice_areas", verbosity=0)
        # The services notify people as they act; in a seeded demo nobody should receive it,
        # and the console should show only the logins.
        with delivered_quietly(), transaction.atomic():
            created = self.seed()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {created} placements."))
        else:
            self.stdout.write("Demo data already present; nothing added.")
        self.stdout.write("Demo logins (password: practice-demo):")
        for email, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {role.label}")

    def seed(self) -> int:
        factory.random.reseed_random("practice-portfolio-demo")
        rng = random.Random(2026)
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
        areas = {a.code: a for a in PracticeArea.objects.all()}
        today = datetime.date.today()

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
        ) -> Placement:
            start = start or {
                S.PLANNED: today + datetime.timedelta(days=rng.randint(14, 60)),
                S.ACTIVE: today - datetime.timedelta(days=rng.randint(30, 110)),
                S.DEFERRED: today - datetime.timedelta(days=rng.randint(60, 120)),
                S.TERMINATED: today - datetime.timedelta(days=rng.randint(60, 120)),
            }.get(status, today - datetime.timedelta(days=rng.randint(160, 400)))
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
                end_date=start + datetime.timedelta(days=165 if stage == "final" else 115),
                required_days=100 if stage == "final" else 70,
            )
            actors = {
                "coordinator": coordinator,
                "educator": educator,
                "student": student,
                "tutor": tutor,
                "panel": panel,
            }
            for to_status, who, reason in PATHS[status]:
                if to_status in REVIEW_STATUSES:
                    break  # these steps are taken by signing the final review, below
                if to_status != S.ACTIVE and with_evidence:
                    self.seed_other_evidence(rng, placement)
                    with_evidence = False
                services.placement_transition(
                    actor=actors[who], placement=placement, to_status=to_status, reason=reason
                )
                if to_status == S.ACTIVE and setup:
                    self.seed_agreement(
                        placement, all_sign=rng.random() > 0.15 or status != S.ACTIVE
                    )
                    self.seed_attendance(placement, status, rng)
            if with_evidence and status != S.PLANNED:
                self.seed_other_evidence(rng, placement)
            if status in REVIEW_STATUSES:
                self.seed_reviews(placement, actors, status, rng)
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
            start=today - datetime.timedelta(days=48),
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
                setting, area = SETTINGS_UK[i % len(SETTINGS_UK)]
                # The demo educator and tutor get a realistic share of the cohort.
                educator = uk_educators[0] if i % 5 == 0 else rng.choice(uk_educators)
                make(
                    student=factories.StudentFactory(),
                    educator=educator,
                    supervisor=people[Role.SUPERVISOR] if i % 6 == 0 else None,
                    tutor=uk_tutors[i % 2],
                    programme=rng.choice([ma, ba]),
                    status=status,
                    setting=setting,
                    area=area,
                    stage=rng.choice(["first", "final"]),
                    **uk,
                )
            count += 1
        seed_notifications(people)
        return count + 2

    def seed_main_evidence(self, main: Placement, people) -> None:
        """The demo student's portfolio, walked through the real services."""
        student, educator = people[Role.STUDENT], people[Role.EDUCATOR]
        domains = {d.code: d for d in main.framework.domains.all()}
        services.placement_confidential_names_set(
            actor=student, placement=main, names=demo_evidence.NAMES_TO_KEEP_OUT
        )
        items = []
        for kind, title, days_in, status, reflection, maps in demo_evidence.MAIN_EVIDENCE:
            practice_date = min(
                main.start_date + datetime.timedelta(days=days_in), datetime.date.today()
            )
            evidence = services.evidence_create(
                actor=student,
                placement=main,
                kind=kind,
                title=title,
                practice_date=practice_date,
                reflection=reflection,
                mappings=[MappingInput(domains[code], note) for code, note in maps],
                details=demo_evidence.DETAILS.get(title),
            )
            if status != "draft":
                evidence = services.evidence_submit(actor=student, evidence=evidence)
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
            services.evidence_comment_add(
                actor=people[Role.EDUCATOR if who == "educator" else Role.SUPERVISOR],
                evidence=items[index],
                text=text,
            )

    def seed_structured(self, main: Placement, people, items: list[Evidence]) -> None:
        """Observation feedback, supervision on both sides, and service user feedback."""
        student, educator = people[Role.STUDENT], people[Role.EDUCATOR]
        domains = {d.code: d for d in main.framework.domains.all()}
        observation = next(e for e in items if e.kind == Evidence.Kind.DIRECT_OBSERVATION)
        services.observation_feedback_save(
            actor=educator,
            evidence=observation,
            feedback={domains[c]: t for c, t in demo_evidence.OBSERVATION_FEEDBACK.items()},
        )
        students_record = next(e for e in items if e.kind == Evidence.Kind.SUPERVISION)
        services.supervision_record_confirm(actor=educator, evidence=students_record)
        services.supervision_record_create(
            actor=educator,
            placement=main,
            practice_date=min(main.start_date + datetime.timedelta(days=40), datetime.date.today()),
            **demo_evidence.EDUCATOR_SUPERVISION,
        )
        for work, answers, verified in demo_evidence.SERVICE_USER_FEEDBACK:
            _, token = services.feedback_request_create(
                actor=student, placement=main, work_description=work
            )
            evidence = services.feedback_give(token=token, consent=True, **answers)
            if verified:
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
                services.evidence_verify(actor=educator, evidence=evidence)
        services.feedback_request_create(
            actor=student, placement=main, work_description="the carers' group on Thursday"
        )

    def seed_other_evidence(self, rng: random.Random, placement: Placement) -> None:
        """Some submitted evidence, so dashboards show coverage and reviews can cite it; a
        learning log covers any domain the other items leave without evidence."""
        domains = list(placement.framework.domains.all())
        items = rng.sample(demo_evidence.OTHER_ITEMS, rng.randint(4, 8))
        covered: set = set()
        for n, (kind, title) in enumerate(items):
            shown = rng.sample(domains, rng.randint(2, 4))
            covered.update(shown)
            self.add_evidence(placement, kind, title, n, shown)
        missing = [d for d in domains if d not in covered]
        if missing:
            self.add_evidence(placement, *demo_evidence.LEARNING_LOG, len(items), missing)

    def add_evidence(self, placement, kind, title, n, domains) -> None:
        evidence = services.evidence_create(
            actor=placement.student,
            placement=placement,
            kind=kind,
            details=demo_evidence.OTHER_SUPERVISION if kind == "supervision" else None,
            title=title,
            practice_date=min(
                placement.start_date + datetime.timedelta(days=7 * (n + 1)),
                datetime.date.today(),
            ),
            reflection="",
            mappings=[
                MappingInput(d, "Shown in how I planned and carried out this work.")
                for d in domains
            ],
        )
        services.evidence_submit(actor=placement.student, evidence=evidence)

    # --- Reviews ---------------------------------------------------------------------------

    def fill_review(
        self,
        review,
        educator,
        rng: random.Random,
        *,
        below: int = 0,
        leave: int = 0,
        grades: dict | None = None,
    ) -> None:
        """Grade every domain, citing the evidence mapped to it; `below` domains fall short,
        the last `leave` stay ungraded (a review still being written), and `grades` fixes the
        grade value of some domains by code."""
        placement = review.placement
        scale = list(placement.grading_scale.grades.all())
        passing = [g for g in scale if g.meets_threshold]
        failing = [g for g in scale if not g.meets_threshold]
        by_value = {g.value: g for g in scale}
        name = placement.student.first_name
        judgements = list(review.judgements.select_related("domain"))
        for i, judgement in enumerate(judgements[: len(judgements) - leave]):
            fixed = (grades or {}).get(judgement.domain.code)
            grade = (
                by_value[fixed] if fixed else (failing[-1] if i < below else rng.choice(passing))
            )
            template = rng.choice(
                demo_evidence.NARRATIVE_MEETS
                if grade.meets_threshold
                else demo_evidence.NARRATIVE_BELOW
            )
            cited = list(
                placement.evidence.filter(
                    mappings__domain=judgement.domain, status__in=CITABLE
                ).order_by("practice_date")[:3]
            )
            review_services.judgement_save(
                actor=educator,
                judgement=judgement,
                grade=grade,
                narrative=template.format(name=name, domain=judgement.domain.name.lower()),
                evidence=cited,
            )

    def seed_reviews(self, placement: Placement, actors: dict, status: str, rng) -> None:
        """A signed and acknowledged midpoint and a final review walked as far as the
        placement's status, each after the student's self-assessment, as the rules need."""
        educator = actors["educator"]
        name = placement.student.first_name
        self.seed_observations(placement, rng)
        self.seed_self_assessment(placement, Review.Kind.MIDPOINT, rng)
        midpoint = review_services.review_start(
            actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
        )
        self.fill_review(midpoint, educator, rng, below=1)
        review_services.review_outcome_save(
            actor=educator,
            review=midpoint,
            midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
            summary=demo_evidence.MIDPOINT_SUMMARY.format(name=name),
            no_concern_reason=demo_evidence.MIDPOINT_NO_CONCERN.format(name=name),
        )
        review_services.review_sign(actor=educator, review=midpoint)
        review_services.review_acknowledge(actor=actors["student"], review=midpoint)
        self.seed_self_assessment(placement, Review.Kind.FINAL, rng)
        final = review_services.review_start(
            actor=educator, placement=placement, kind=Review.Kind.FINAL
        )
        self.fill_review(final, educator, rng)
        self.seed_strengths_and_suitability(final, educator, rng)
        review_services.review_outcome_save(
            actor=educator,
            review=final,
            recommendation=Review.Recommendation.PASS,
            recommendation_justification=demo_evidence.RECOMMENDATION_PASS.format(name=name),
            summary=f"{name} has made steady progress across the placement.",
        )
        review_services.review_sign(actor=educator, review=final)
        if status == S.FINAL_REVIEW_SIGNED:
            return
        review_services.review_acknowledge(
            actor=actors["student"], review=final, comment=demo_evidence.STUDENT_ACK_COMMENT
        )
        if status == S.STUDENT_ACKNOWLEDGED:
            return
        review_services.review_countersign(actor=actors["tutor"], review=final)
        if status == S.RATIFIED:
            review_services.review_ratify(actor=actors["panel"], review=final)

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
        """The learning agreement, drafted by the educator in the first week and signed by
        everyone (or, on a placement just begun, by everyone but the tutor so far)."""
        generic = demo_evidence.GENERIC_GOALS
        goals = {
            d: demo_evidence.AGREEMENT_GOALS.get(d.code, generic[i % len(generic)])
            for i, d in enumerate(placement.framework.domains.all())
        }
        agreement = services.agreement_save(
            actor=placement.educator, placement=placement, goals=goals, **demo_evidence.AGREEMENT
        )
        signers = [placement.student, placement.educator, placement.supervisor, placement.tutor]
        for person in signers[:-1] if not all_sign else signers:
            if person is not None:
                agreement = services.agreement_sign(actor=person, agreement=agreement)
        # Dated as it happened: drafted on day three, signed over the next days.
        drafted = self.at(placement.start_date + datetime.timedelta(days=2), 10)
        LearningAgreement.objects.filter(pk=agreement.pk).update(
            created_at=drafted,
            signed_at=self.at(placement.start_date + datetime.timedelta(days=6), 15)
            if agreement.signed_at
            else None,
        )
        for n, signature in enumerate(agreement.signatures.order_by("signed_at")):
            day = placement.start_date + datetime.timedelta(days=3 + n)
            with backdating():
                AgreementSignature.objects.filter(pk=signature.pk).update(
                    signed_at=self.at(day, 11 + n)
                )

    @staticmethod
    def at(day: datetime.date, hour: int) -> datetime.datetime:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 20)))
        return min(moment, timezone.now())

    def seed_attendance(self, placement: Placement, status: str, rng: random.Random) -> None:
        """The attendance log as the student and educator would have kept it: days through
        the placement, a study day a fortnight, a few absences; confirmed week by week except
        the latest week (or, on one placement in five, the latest three)."""
        today = datetime.date.today()
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

    def seed_observations(self, placement: Placement, rng, *, count: int = 3) -> None:
        """Direct observations, the last by the on-site supervisor or a senior colleague."""
        domains = list(placement.framework.domains.all())
        titles = rng.sample(demo_evidence.OBSERVATION_TITLES, count)
        for n, title in enumerate(titles):
            observer = DirectObservation.Observer.EDUCATOR
            if n == 2:
                observer = (
                    DirectObservation.Observer.SUPERVISOR
                    if placement.supervisor
                    else DirectObservation.Observer.OTHER
                )
            evidence = services.evidence_create(
                actor=placement.student,
                placement=placement,
                kind=Evidence.Kind.DIRECT_OBSERVATION,
                title=title,
                practice_date=placement.start_date + datetime.timedelta(days=20 + 25 * n),
                reflection=demo_evidence.OBSERVATION_REFLECTION,
                details={
                    "observer": observer,
                    "observer_name": "Senior social worker in the team",
                    **demo_evidence.OBSERVATION_DETAILS,
                },
                mappings=[
                    MappingInput(d, "Shown in the practice observed and the feedback on it.")
                    for d in rng.sample(domains, 3)
                ],
            )
            evidence = services.evidence_submit(actor=placement.student, evidence=evidence)
            if observer == DirectObservation.Observer.EDUCATOR:
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
            last=datetime.date.today(),
            rng=rng,
            absences=(0.05, 2),
        )
        self.store_attendance(main, rows, unconfirmed_weeks=1)
        self.seed_main_evidence(main, people)
        self.seed_self_assessment(main, Review.Kind.MIDPOINT, rng, gaps={"LEADERSHIP": 2})
        midpoint = review_services.review_start(
            actor=educator, placement=main, kind=Review.Kind.MIDPOINT
        )
        self.fill_review(midpoint, educator, rng, grades={"LEADERSHIP": 2})
        review_services.review_comment_add(
            actor=people[Role.SUPERVISOR],
            review=midpoint,
            text=demo_evidence.SUPERVISOR_REVIEW_COMMENT,
        )
        review_services.review_outcome_save(
            actor=educator,
            review=midpoint,
            midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
            summary=demo_evidence.MIDPOINT_SUMMARY.format(name=student.first_name),
            no_concern_reason=demo_evidence.MIDPOINT_NO_CONCERN.format(name=student.first_name),
        )
        review_services.review_sign(actor=educator, review=midpoint)
        review_services.review_acknowledge(
            actor=student, review=midpoint, comment=demo_evidence.MIDPOINT_ACK_COMMENT
        )
        # The midpoint happened halfway through: its dates say so.
        half = main.start_date + datetime.timedelta(days=74)
        SelfAssessment.objects.filter(placement=main, kind=Review.Kind.MIDPOINT).update(
            submitted_at=self.at(half - datetime.timedelta(days=4), 18)
        )
        ReviewComment.objects.filter(review=midpoint).update(
            created_at=self.at(half - datetime.timedelta(days=2), 12)
        )
        with backdating():
            Review.objects.filter(pk=midpoint.pk).update(
                signed_at=self.at(half, 16),
                locked_at=self.at(half, 16),
                acknowledged_at=self.at(half + datetime.timedelta(days=2), 9),
            )
        # Amara rates her leadership lower than Helen does: a point to discuss.
        self.seed_self_assessment(main, Review.Kind.FINAL, rng, gaps={"LEADERSHIP": 2})
        SelfAssessment.objects.filter(placement=main, kind=Review.Kind.FINAL).update(
            submitted_at=self.at(datetime.date.today() - datetime.timedelta(days=6), 19)
        )
        final = review_services.review_start(actor=educator, placement=main, kind=Review.Kind.FINAL)
        self.fill_review(final, educator, rng, grades={"LEADERSHIP": 4, "SKILLS": 4})
        self.seed_strengths_and_suitability(final, educator, rng)
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
        self.seed_self_assessment(placement, Review.Kind.MIDPOINT, rng)
        midpoint = review_services.review_start(
            actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
        )
        self.fill_review(midpoint, educator, rng, leave=3)
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
        self.seed_agreement(placement)
        rows = self.attendance_days(
            placement,
            target=Decimal(placement.required_days),
            last=datetime.date.today(),
            rng=rng,
            absences=(0.15, 6),
        )
        self.store_attendance(placement, rows, unconfirmed_weeks=2)
        self.seed_other_evidence(rng, placement)
        self.seed_observations(placement, rng, count=1)
        domains = {d.code: d for d in placement.framework.domains.all()}
        concern = review_services.concern_raise(
            actor=educator,
            placement=placement,
            description=demo_evidence.CONCERN,
            review_date=datetime.date.today() + datetime.timedelta(days=14),
            targets={domains[c]: t for c, t in demo_evidence.CONCERN_TARGETS.items()},
        )
        # Raised three weeks ago, when the recording first slipped.
        Concern.objects.filter(pk=concern.pk).update(
            created_at=concern.created_at - datetime.timedelta(days=21)
        )
        self.seed_self_assessment(placement, Review.Kind.MIDPOINT, rng)
        midpoint = review_services.review_start(
            actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
        )
        self.fill_review(midpoint, educator, rng, grades={"PROF": 2, "CONTEXTS": 2})
        review_services.review_outcome_save(
            actor=educator,
            review=midpoint,
            midpoint_outcome=Review.MidpointOutcome.CONCERNS,
            summary=demo_evidence.MIDPOINT_CONCERNS_SUMMARY.format(name=name),
        )
        review_services.review_sign(actor=educator, review=midpoint)
        review_services.review_acknowledge(actor=placement.student, review=midpoint)
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
