"""Fill the database with a believable demo: two universities, three programmes, forty
placements across every status, and six fixed logins that all use the password
`practice-demo`. Safe to run again: it adds nothing the second time.
"""

import datetime
import random

import factory.random
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import Role
from assessments import services as review_services
from assessments.models import Review
from portfolios import demo_data as demo_evidence
from portfolios import services
from portfolios.models import (
    CapabilityFramework,
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
        with transaction.atomic():
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
        ) -> Placement:
            start = {
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
                end_date=start + datetime.timedelta(days=140 if stage == "final" else 100),
                required_days=100 if stage == "final" else 70,
            )
            actors = {
                "coordinator": coordinator,
                "educator": educator,
                "student": student,
                "tutor": tutor,
                "panel": panel,
            }
            elapsed = max(0, (today - start).days)
            done = (
                placement.required_days
                if status
                in (S.FINAL_REVIEW_SIGNED, S.STUDENT_ACKNOWLEDGED, S.COUNTERSIGNED, S.RATIFIED)
                else min(placement.required_days, elapsed * 5 // 7)
            )
            Placement.objects.filter(pk=placement.pk).update(days_completed=done)
            placement.days_completed = done
            for to_status, who, reason in PATHS[status]:
                if to_status in REVIEW_STATUSES:
                    break  # these steps are taken by signing the final review, below
                if to_status != S.ACTIVE and with_evidence:
                    self.seed_other_evidence(rng, placement)
                    with_evidence = False
                services.placement_transition(
                    actor=actors[who], placement=placement, to_status=to_status, reason=reason
                )
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
            **uk,
        )
        self.seed_main_evidence(main, people)
        self.seed_main_midpoint(main, people)

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
        self.seed_concern(people)
        return count

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
        """Some submitted evidence, so dashboards show coverage and reviews can cite it."""
        kinds = [k for k in Evidence.Kind.values if k != Evidence.Kind.SERVICE_USER_FEEDBACK]
        domains = list(placement.framework.domains.all())
        for n in range(rng.randint(4, 9)):
            kind = rng.choice(kinds)
            evidence = services.evidence_create(
                actor=placement.student,
                placement=placement,
                kind=kind,
                details=demo_evidence.OTHER_SUPERVISION if kind == "supervision" else None,
                title=rng.choice(demo_evidence.OTHER_TITLES),
                practice_date=min(
                    placement.start_date + datetime.timedelta(days=7 * (n + 1)),
                    datetime.date.today(),
                ),
                reflection="",
                mappings=[
                    MappingInput(d, "Shown in how I planned and carried out this work.")
                    for d in rng.sample(domains, rng.randint(2, 4))
                ],
            )
            services.evidence_submit(actor=placement.student, evidence=evidence)

    # --- Reviews ---------------------------------------------------------------------------

    def fill_review(
        self, review, educator, rng: random.Random, *, below: int = 0, leave: int = 0
    ) -> None:
        """Grade every domain, citing the evidence mapped to it; `below` domains fall short
        and the last `leave` stay ungraded (a review still being written)."""
        placement = review.placement
        grades = list(placement.grading_scale.grades.all())
        passing = [g for g in grades if g.meets_threshold]
        failing = [g for g in grades if not g.meets_threshold]
        name = placement.student.first_name
        judgements = list(review.judgements.select_related("domain"))
        for i, judgement in enumerate(judgements[: len(judgements) - leave]):
            short = i < below
            grade = failing[-1] if short else rng.choice(passing)
            template = rng.choice(
                demo_evidence.NARRATIVE_BELOW if short else demo_evidence.NARRATIVE_MEETS
            )
            cited = list(
                placement.evidence.filter(mappings__domain=judgement.domain)
                .exclude(status=Evidence.Status.DRAFT)
                .order_by("practice_date")[:3]
            )
            review_services.judgement_save(
                actor=educator,
                judgement=judgement,
                grade=grade,
                narrative=template.format(name=name, domain=judgement.domain.name.lower()),
                evidence=cited,
            )

    def seed_reviews(self, placement: Placement, actors: dict, status: str, rng) -> None:
        """A signed midpoint and a final review walked as far as the placement's status."""
        educator = actors["educator"]
        name = placement.student.first_name
        midpoint = review_services.review_start(
            actor=educator, placement=placement, kind=Review.Kind.MIDPOINT
        )
        self.fill_review(midpoint, educator, rng, below=1)
        review_services.review_outcome_save(
            actor=educator,
            review=midpoint,
            midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
            summary=demo_evidence.MIDPOINT_SUMMARY.format(name=name),
        )
        review_services.review_sign(actor=educator, review=midpoint)
        final = review_services.review_start(
            actor=educator, placement=placement, kind=Review.Kind.FINAL
        )
        self.fill_review(final, educator, rng)
        areas = {a.code: a for a in PracticeArea.objects.all()}
        for text in rng.sample(demo_evidence.STRENGTHS, 2):
            review_services.strength_add(actor=educator, review=final, text=text)
        for code, rating, rationale in demo_evidence.SUITABILITY:
            review_services.suitability_save(
                actor=educator,
                review=final,
                practice_area=areas[code],
                rating=rating,
                rationale=rationale,
            )
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

    def seed_main_midpoint(self, main: Placement, people) -> None:
        """The demo student's midpoint, two-thirds written: the demo educator finishes and signs
        it, then writes the final review."""
        rng = random.Random(7)
        educator = people[Role.EDUCATOR]
        midpoint = review_services.review_start(
            actor=educator, placement=main, kind=Review.Kind.MIDPOINT
        )
        self.fill_review(midpoint, educator, rng, leave=3)
        review_services.review_comment_add(
            actor=people[Role.SUPERVISOR],
            review=midpoint,
            text=demo_evidence.SUPERVISOR_REVIEW_COMMENT,
        )
        review_services.review_outcome_save(
            actor=educator,
            review=midpoint,
            midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
            summary=demo_evidence.MIDPOINT_SUMMARY.format(name=main.student.first_name),
        )

    def seed_concern(self, people) -> None:
        """An open concern with an action plan on one of the demo educator's students."""
        placement = (
            Placement.objects.filter(educator=people[Role.EDUCATOR], status=S.ACTIVE)
            .exclude(student=people[Role.STUDENT])
            .first()
        )
        if placement is None:
            return
        domains = {d.code: d for d in placement.framework.domains.all()}
        review_services.concern_raise(
            actor=people[Role.EDUCATOR],
            placement=placement,
            description=demo_evidence.CONCERN,
            review_date=datetime.date.today() + datetime.timedelta(days=14),
            targets={domains[c]: t for c, t in demo_evidence.CONCERN_TARGETS.items()},
        )
