"""A national-scale data set for measuring pages (`manage.py seed_scale`, bench/run.py).

Built with `bulk_create` in batches, one transaction per university, with every row the real
services would leave: role groups and memberships, each placement's object permissions
(`portfolios.permissions.expected_permissions`), status trails, evidence with its mappings
and structured records, reviews with judgements, citations, strengths, suitability and
learning needs, concerns with action plans, panel meetings, stored signed reports and
django-simple-history rows.

Signed content is written in the order the locks allow, never past them: evidence a signed
review cites is stored with `locked_at` already set (what a signature leaves), reviews are
stored unlocked, their content added, and only then is each signed review locked by one
UPDATE, after which its judgements and citations refuse every change as usual.

Reports: the project's renderer draws one real report per shape (framework × sign-off step);
each stored report is a copy of it with its own PDF comment appended, so every file has its
own SHA-256, as bench/run.py's ZIP section does. Rendering 10,000 reports would take an hour.

Everything is drawn from one seeded random generator, so the same sizes and seed give the
same people, placements, text and keys. A university is complete once its row exists, since
it is created in the same transaction as everything in it; a second run skips it.
"""

import datetime
import hashlib
import operator
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from portfolios import demo_bank
from portfolios import demo_data as demo_text
from portfolios.models import (
    CapabilityFramework,
    DirectObservation,
    Domain,
    Evidence,
    EvidenceMapping,
    GradingScale,
    Placement,
    PlacementStatusChange,
    PlacementUserObjectPermission,
    PracticeArea,
    Programme,
    SupervisionRecord,
    University,
)
from portfolios.permissions import expected_permissions

S = Placement.Status
BATCH = 2000
EMAIL_DOMAIN = "scale.example.org"

# Fixed names: with them, a run can tell which universities are already complete.
UNIVERSITY_NAMES = [
    "University of Northmoor",
    "Kingsbridge University",
    "University of East Wessex",
    "Harlow Vale University",
    "Lakeshore State University (scale)",
    "University of Southmead",
    "Carrick Metropolitan University",
    "University of Fenwick",
    "Westbay State University",
    "University of Ashcombe",
]
# Every fourth university teaches an MSW on the CSWE framework; the others a BA and an MA on
# the PCF.
US_UNIVERSITIES = {4, 8}

# Setting (a key of demo_bank.SETTINGS) → practice area code.
UK_SETTINGS = {
    "Northbridge Adults' Community Team": "adult-social-care",
    "Riverside Child Protection Team": "child-protection",
    "Eastgate Family Support Service": "statutory-childrens-services",
    "Eastgate Fostering Service": "fostering-adoption",
    "Northbridge Youth Justice Service": "youth-justice",
    "Harbour Lane Community Mental Health Team": "mental-health",
    "St Anne's Hospital Discharge Team": "hospital-health",
    "Millbrook Learning Disability Service": "learning-disability",
    "Westfield Recovery Service": "substance-use",
    "Oakwood Children's Home": "residential-care",
    "Canal Side Community Hub": "community-development",
}
US_SETTINGS = {
    "Lakeshore County Child Welfare": "child-protection",
    "Harbor Point Behavioral Health": "mental-health",
    "Lakeshore Unified School District": "education-settings",
    "Elm Street Senior Services": "older-people",
}

# The statuses of a cohort in spring: most placements running or already decided.
STATUS_WEIGHTS = {
    S.PLANNED: 5,
    S.ACTIVE: 35,
    S.FINAL_REVIEW_SIGNED: 7,
    S.STUDENT_ACKNOWLEDGED: 6,
    S.COUNTERSIGNED: 8,
    S.RATIFIED: 35,
    S.DEFERRED: 2,
    S.TERMINATED: 2,
}
SIGNED_STATUSES = (S.FINAL_REVIEW_SIGNED, S.STUDENT_ACKNOWLEDGED, S.COUNTERSIGNED, S.RATIFIED)
# The path to each status, and who takes each step (as seed_demo walks it).
PATHS = {
    S.PLANNED: [],
    S.ACTIVE: [S.ACTIVE],
    S.FINAL_REVIEW_SIGNED: [S.ACTIVE, S.FINAL_REVIEW_SIGNED],
    S.STUDENT_ACKNOWLEDGED: [S.ACTIVE, S.FINAL_REVIEW_SIGNED, S.STUDENT_ACKNOWLEDGED],
    S.COUNTERSIGNED: [S.ACTIVE, S.FINAL_REVIEW_SIGNED, S.STUDENT_ACKNOWLEDGED, S.COUNTERSIGNED],
    S.RATIFIED: [
        S.ACTIVE,
        S.FINAL_REVIEW_SIGNED,
        S.STUDENT_ACKNOWLEDGED,
        S.COUNTERSIGNED,
        S.RATIFIED,
    ],
    S.DEFERRED: [S.ACTIVE, S.DEFERRED],
    S.TERMINATED: [S.ACTIVE, S.TERMINATED],
}
STEP_ACTOR = {
    S.ACTIVE: "coordinator",
    S.FINAL_REVIEW_SIGNED: "educator",
    S.STUDENT_ACKNOWLEDGED: "student",
    S.COUNTERSIGNED: "tutor",
    S.RATIFIED: "panel",
    S.DEFERRED: "tutor",
    S.TERMINATED: "coordinator",
}
STEP_REASON = {
    S.DEFERRED: "Student on sick leave for four weeks; placement to resume next term.",
    S.TERMINATED: "The team was restructured and could no longer offer supervision; a new "
    "placement is being found.",
}

# The login handles bench/run.py and a person exploring the data use (largest university).
HANDLES = {
    "coordinator": "coordinator",
    "panel": "panel",
    "tutor": "tutor",
    "supervisor": "supervisor",
    "educator": "educator",
    "student": "student",  # 69 items; a draft final review citing evidence
    "signed": "student-signed",  # a signed final review with its stored report
    "large": "student-large",  # ~60 items with reflections of a few hundred words
}
MAIN_EVIDENCE = 69
LARGE_EVIDENCE = 60


def handle_email(handle: str, university: int = 1) -> str:
    """The email of a fixed login: `handle_email("educator")` → educator@u01.scale.example.org."""
    return f"{HANDLES.get(handle, handle)}@u{university:02d}.{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Sizes:
    universities: int = 10
    placements: int = 5000
    largest: int = 1000
    # A finished placement's portfolio; running ones hold their share so far, planned none.
    evidence_per_placement: int = 62
    seed: int = 2026

    def per_university(self) -> list[int]:
        """Placements in each university: the first is the largest, the rest share the rest."""
        if self.universities < 1 or self.placements < self.universities:
            raise ValueError("Each university needs at least one placement.")
        if self.universities > len(UNIVERSITY_NAMES):
            raise ValueError(f"At most {len(UNIVERSITY_NAMES)} universities.")
        if self.universities == 1:
            return [self.placements]
        largest = max(1, min(self.largest, self.placements - (self.universities - 1)))
        others, extra = divmod(self.placements - largest, self.universities - 1)
        return [largest] + [others + (1 if i < extra else 0) for i in range(self.universities - 1)]


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class SizeMismatch(Exception):
    """The database holds scale data of other sizes: seeding on top would mix them."""


def seed_scale(
    *,
    sizes: Sizes,
    password: str | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> Outcome:
    """Create every university of `sizes` not already present. Returns what was done."""
    counts = sizes.per_university()
    if not _fixtures_loaded():
        call_command("loaddata", "frameworks", "grading_scales", "practice_areas", verbosity=0)
    outcome = Outcome()
    existing = dict(
        University.objects.filter(name__in=UNIVERSITY_NAMES[: len(counts)])
        .annotate(n=models.Count("programmes__placements"))
        .values_list("name", "n")
    )
    for index, n in enumerate(counts):
        name = UNIVERSITY_NAMES[index]
        if name in existing and existing[name] != n:
            raise SizeMismatch(
                f"{name} already has {existing[name]} placements, not {n}: seed a fresh "
                "database, or pass the sizes it was seeded with."
            )
    shared = _Shared.load(password)
    for index, n in enumerate(counts):
        name = UNIVERSITY_NAMES[index]
        if name in existing:
            outcome.skipped.append(name)
            continue
        rng = random.Random(f"{sizes.seed}:{index}")
        builder = _UniversityBuilder(
            shared=shared, index=index, name=name, size=n, sizes=sizes, rng=rng
        )
        with transaction.atomic():
            builder.build()
        for model, created in builder.counts.items():
            outcome.counts[model] += created
        outcome.created.append(name)
        log(
            f"{name}: {n} placements, {builder.counts['evidence']} evidence items ("
            + ", ".join(f"{step} {t:.1f} s" for step, t in builder.timings.items())
            + ")"
        )
    if outcome.created and connection.vendor == "postgresql":
        # Autovacuum would analyse the new rows in its own time; until it does, the planner
        # guesses (600 evidence items a placement, say, for 69) and picks sequential scans of
        # whole tables. A real database has long had its statistics; so should this one.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"Statistics gathered for the planner (ANALYZE) in {time.monotonic() - started:.1f} s")
    return outcome


def _fixtures_loaded() -> bool:
    """The frameworks, scales and areas are there (loading them again costs seconds)."""
    return (
        CapabilityFramework.objects.filter(code__in=["PCF", "CSWE-EPAS"]).count() == 2
        and Domain.objects.filter(framework__code__in=["PCF", "CSWE-EPAS"]).count() == 18
        and GradingScale.objects.filter(code__in=["UK-4", "US-5"]).count() == 2
        and PracticeArea.objects.count() >= 15
    )


@dataclass
class _Shared:
    """What every university uses: frameworks, scales, areas, groups, permissions, reports."""

    password_hash: str
    frameworks: dict[str, CapabilityFramework]
    scales: dict[str, GradingScale]
    domains: dict[int, list[Domain]]
    grades: dict[int, dict[int, int]]  # scale id → value → grade id
    pass_values: dict[int, int]
    areas: dict[str, PracticeArea]
    groups: dict[str, int]
    permissions: dict[str, int]
    # (framework code, event) → rendered PDF, drawn once per run.
    pdfs: dict[tuple[str, str], bytes] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    ids: "_Ids" = field(default_factory=lambda: _Ids())

    @classmethod
    def load(cls, password: str | None) -> "_Shared":
        from portfolios.models import Grade

        frameworks = {
            "PCF": CapabilityFramework.objects.get(code="PCF", version="2018"),
            "CSWE": CapabilityFramework.objects.get(code="CSWE-EPAS", version="2022"),
        }
        scales = {
            "PCF": GradingScale.objects.get(code="UK-4"),
            "CSWE": GradingScale.objects.get(code="US-5"),
        }
        domains = {
            fw.pk: list(Domain.objects.filter(framework=fw).order_by("order"))
            for fw in frameworks.values()
        }
        grades: dict[int, dict[int, int]] = defaultdict(dict)
        for scale_id, value, pk in Grade.objects.values_list("scale_id", "value", "pk"):
            grades[scale_id][value] = pk
        groups = {str(role): Group.objects.get_or_create(name=str(role))[0].pk for role in Role}
        permissions = dict(
            Permission.objects.filter(content_type__app_label="portfolios").values_list(
                "codename", "pk"
            )
        )
        from assessments.models import SignedReport

        return cls(
            # One hash for every account: hashing thousands of passwords would take minutes.
            password_hash=make_password(password),
            frameworks=frameworks,
            scales=scales,
            domains=domains,
            grades=grades,
            pass_values={s.pk: s.pass_value for s in scales.values()},
            areas={a.code: a for a in PracticeArea.objects.all()},
            groups=groups,
            permissions=permissions,
            codes=set(SignedReport.objects.values_list("verification_code", flat=True)),
        )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _moment(day: datetime.date, hour: int, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)))
    return timezone.make_aware(min(moment, datetime.datetime.now() - datetime.timedelta(hours=1)))


def _spread(first: datetime.date, last: datetime.date, count: int, rng) -> list[datetime.date]:
    """`count` weekdays between `first` and `last`, in order."""
    span = max((last - first).days, 1)
    days = sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
    return [d - datetime.timedelta(days=max(d.weekday() - 4, 0)) for d in days]


def _is_timestamp(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _batched(model, objs: list, counts: dict, key: str | None = None) -> list:
    """Write model instances: by COPY on PostgreSQL, where bulk_create's arrays cost more than
    the rows themselves; by bulk_create elsewhere. A key left empty is the database's to fill;
    timestamps left empty are now (and set on the instances, so history rows read them)."""
    counts[key or model._meta.model_name] += len(objs)
    if not objs:
        return objs
    pk = model._meta.pk
    if (
        connection.vendor == "postgresql"
        and isinstance(pk, models.fields.AutoFieldMixin)
        and getattr(objs[0], pk.attname) is None
    ):
        # COPY returns no keys: take them first, as history rows and links need them.
        for obj, value in zip(objs, _Ids().take(model, len(objs)), strict=True):
            setattr(obj, pk.attname, value)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(objs[0], f.attname) is None)
    ]
    now = timezone.now()
    for f in fields:
        if _is_timestamp(f):
            for obj in objs:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, now)
    if connection.vendor != "postgresql":
        for start in range(0, len(objs), BATCH):
            model.objects.bulk_create(objs[start : start + BATCH])
        return objs
    getters = [
        (lambda o, a=f.attname: getattr(o, a).name)
        if isinstance(f, models.FileField)
        else operator.attrgetter(f.attname)
        for f in fields
    ]
    _copy(model, [f.column for f in fields], (tuple(g(o) for g in getters) for o in objs))
    for obj in objs:  # saved, as bulk_create leaves them
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def _write_rows(model, attnames: list[str], rows: list[tuple], counts: dict, key: str) -> None:
    """Write plain rows (`attnames` in order), for the tables with hundreds of thousands."""
    counts[key] += len(rows)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    stamps = [a for a, f in fields.items() if _is_timestamp(f) and a not in attnames]
    if stamps:
        extra = (timezone.now(),) * len(stamps)
        attnames = [*attnames, *stamps]
        rows = [row + extra for row in rows]
    if connection.vendor != "postgresql":
        for start in range(0, len(rows), BATCH):
            model.objects.bulk_create(
                model(**dict(zip(attnames, row, strict=True)))
                for row in rows[start : start + BATCH]
            )
        return
    _copy(model, [fields[a].column for a in attnames], rows)


def _copy(model, columns: list[str], rows: Iterable[tuple]) -> None:
    # Row triggers fire for COPY as for INSERT: the locks hold here too.
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # Each lock trigger first asks pgtrigger whether it is being ignored, reading the
        # setting below inside an exception block; unset, the read fails and the block's
        # subtransaction rolls back, and PostgreSQL then walks every foreign-key check queued
        # in the transaction (Django's are deferred to the commit). With a university's rows
        # queued that is most of a millisecond a row, growing as the load goes on; set to
        # "ignore nothing", the read succeeds and the triggers still run.
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class _Ids:
    """Keys handed out before the rows are written, so the rows that point at them can be
    built first: from the table's sequence on PostgreSQL, counted on from the highest key
    elsewhere."""

    def __init__(self):
        self.high: dict[str, int] = {}

    def take(self, model, n: int) -> list[int]:
        if not n:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            if table not in self.high:
                cursor.execute(
                    f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}"
                )
                self.high[table] = cursor.fetchone()[0]
        start = self.high[table] + 1
        self.high[table] += n
        return list(range(start, start + n))


@dataclass
class _PlacementPlan:
    placement: Placement
    status: str
    evidence_count: int
    long_reflections: bool = False
    draft_final: bool = False  # a draft final review with judgements (the bench's own)
    midpoint: str = ""  # "", "draft" or "signed"
    concern: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    days: dict[str, datetime.date] = field(default_factory=dict)  # the day of each step
    mapped: dict[int, list[Evidence]] = field(default_factory=dict)  # domain id → items


FIRST_NAMES = [
    "Amara", "Daniel", "Chloe", "Priya", "Tom", "Ruth", "Sam", "Helen", "Nadia", "Joseph",
    "Fiona", "Kerry", "Gareth", "Claire", "Aisha", "Oliver", "Mia", "Yusuf", "Grace", "Ethan",
    "Zara", "Liam", "Sofia", "Kwame", "Emily", "Harry", "Leah", "Callum", "Imani", "Rhys",
    "Hannah", "Tariq", "Megan", "Jacob", "Ellie", "Arjun", "Freya", "Noah", "Bethan", "Kofi",
]  # fmt: skip
LAST_NAMES = [
    "Osei", "Marsh", "Pritchard", "Adeyemi", "Whitfield", "Nair", "Okafor", "Brennan",
    "Rahman", "Mensah", "McLeod", "Walsh", "Lloyd", "Dobson", "Khan", "Evans", "Hughes",
    "Patel", "Murphy", "Clarke", "Begum", "Jones", "Taylor", "Ali", "Campbell", "Reid",
    "Morgan", "Ahmed", "Kelly", "Price", "Shah", "Bennett", "Doherty", "Owusu", "Fraser",
    "Singh", "Turner", "Gallagher", "Hussain", "Wright",
]  # fmt: skip


class _UniversityBuilder:
    def __init__(self, *, shared: _Shared, index: int, name: str, size: int, sizes, rng):
        self.shared, self.index, self.name, self.size = shared, index, name, size
        self.sizes, self.rng = sizes, rng
        self.us = index in US_UNIVERSITIES
        self.key = "CSWE" if self.us else "PCF"
        self.framework = shared.frameworks[self.key]
        self.scale = shared.scales[self.key]
        self.domains = shared.domains[self.framework.pk]
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.counts: dict[str, int] = defaultdict(int)
        self.history: dict[type, list] = defaultdict(list)
        self.settings = US_SETTINGS if self.us else UK_SETTINGS

    # --- People ---------------------------------------------------------------------------

    def email(self, handle: str, n: int | None = None) -> str:
        local = handle if n is None else f"{handle}{n}"
        return f"{local}@u{self.index + 1:02d}.{EMAIL_DOMAIN}"

    def person(self, email: str, role: Role, **fields) -> User:
        return User(
            email=email,
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
            password=self.shared.password_hash,
            **fields,
        )

    def people(self) -> None:
        n = self.size
        rng = self.rng
        self.coordinators = [self.person(self.email("coordinator", None), Role.COORDINATOR)]
        self.coordinators.append(self.person(self.email("coordinator", 2), Role.COORDINATOR))
        self.panel = [self.person(self.email("panel"), Role.PANEL)] + [
            self.person(self.email("panel", i), Role.PANEL) for i in (2, 3)
        ]
        self.tutors = [
            self.person(self.email("tutor") if i == 0 else self.email("tutor", i + 1), Role.TUTOR)
            for i in range(max(1, n // 60))
        ]
        # Caseloads of 5–15; the first educator (the fixed login) has ten.
        caseloads = [min(10, n)]
        while sum(caseloads) < n:
            caseloads.append(min(rng.randint(5, 15), n - sum(caseloads)))
        self.educators = [
            self.person(
                self.email("educator") if i == 0 else self.email("educator", i + 1),
                Role.EDUCATOR,
                educator_stage=rng.choice(["stage_1", "stage_2", "stage_2"]),
                registration_number=f"SW{rng.randint(10000, 129999):06d}",
            )
            for i in range(len(caseloads))
        ]
        self.caseloads = caseloads
        self.supervisors = [
            self.person(
                self.email("supervisor") if i == 0 else self.email("supervisor", i + 1),
                Role.SUPERVISOR,
            )
            for i in range(max(1, n // 12))
        ]
        handles = [HANDLES["student"], HANDLES["signed"], HANDLES["large"]]
        self.students = [
            self.person(
                self.email(handles[i]) if i < len(handles) else self.email("student", i + 1),
                Role.STUDENT,
                student_number=f"{24000000 + self.index * 100000 + i}",
            )
            for i in range(n)
        ]
        roles = [
            (self.coordinators, Role.COORDINATOR),
            (self.panel, Role.PANEL),
            (self.tutors, Role.TUTOR),
            (self.educators, Role.EDUCATOR),
            (self.supervisors, Role.SUPERVISOR),
            (self.students, Role.STUDENT),
        ]
        everyone = [u for users, _ in roles for u in users]
        for user, pk in zip(everyone, self.shared.ids.take(User, len(everyone)), strict=True):
            user.pk = pk
        _batched(User, everyone, self.counts, "user")
        memberships = [
            (u.pk, self.shared.groups[str(role)]) for users, role in roles for u in users
        ]
        _write_rows(
            User.groups.through,
            ["user_id", "group_id"],
            memberships,
            self.counts,
            "group membership",
        )

    # --- Placements -----------------------------------------------------------------------

    def university(self) -> None:
        country = "United States" if self.us else "England"
        short = self.name.replace("University of ", "").split()[0]
        self.uni = University.objects.create(name=self.name, short_name=short, country=country)
        self.uni.members.add(*self.coordinators, *self.panel)
        if self.us:
            names = [("Social Work", "MSW")]
            area_codes = demo_text.US_PRACTICE_AREAS
        else:
            names = [("Social Work", "MA"), ("Social Work (undergraduate)", "BA (Hons)")]
            area_codes = demo_text.UK_PRACTICE_AREAS
        self.programmes = [
            Programme.objects.create(
                university=self.uni,
                name=name,
                award=award,
                framework=self.framework,
                grading_scale=self.scale,
            )
            for name, award in names
        ]
        self.programme_areas = [self.shared.areas[c] for c in area_codes]
        for programme in self.programmes:
            programme.practice_areas.set(self.programme_areas)
        self.counts["university"] += 1
        self.counts["programme"] += len(self.programmes)

    def dates(self, status: str, length: int) -> tuple[datetime.date, datetime.date]:
        rng, today = self.rng, self.today
        if status == S.PLANNED:
            start = today + datetime.timedelta(days=rng.randint(14, 60))
        elif status == S.ACTIVE:
            start = today - datetime.timedelta(days=rng.randint(20, length - 5))
        elif status in (S.DEFERRED, S.TERMINATED):
            start = today - datetime.timedelta(days=rng.randint(60, 120))
        else:
            waited = rng.randint(60, 200) if status == S.RATIFIED else rng.randint(2, 40)
            start = today - datetime.timedelta(days=length + waited)
        return start, start + datetime.timedelta(days=length)

    def placements(self) -> list[_PlacementPlan]:
        rng, E = self.rng, self.sizes.evidence_per_placement
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        educator_of = [
            e for e, load in zip(self.educators, self.caseloads, strict=True) for _ in range(load)
        ]
        settings_list = list(self.settings)
        plans = []
        supervisor_of_setting: dict[str, list[User]] = defaultdict(list)
        for i, sup in enumerate(self.supervisors):
            supervisor_of_setting[settings_list[i % len(settings_list)]].append(sup)
        for i, student in enumerate(self.students):
            special = self.index == 0 and self.size >= 3 and i < 3
            status = rng.choices(statuses, weights)[0]
            stage = rng.choice([Placement.Stage.FIRST, Placement.Stage.FINAL])
            setting = settings_list[i % len(settings_list)]
            supervisor = (
                rng.choice(supervisor_of_setting[setting])
                if supervisor_of_setting[setting] and rng.random() < 0.7
                else None
            )
            if special:
                status = [S.ACTIVE, S.FINAL_REVIEW_SIGNED, S.ACTIVE][i]
                stage = Placement.Stage.FINAL
                setting = settings_list[i]
                supervisor = self.supervisors[0] if i == 0 else None
            length = 165 if stage == Placement.Stage.FINAL else 115
            start, end = self.dates(status, length)
            if special and i in (0, 2):
                start = self.today - datetime.timedelta(days=150 if i == 0 else 120)
                end = start + datetime.timedelta(days=length)
            required = 100 if stage == Placement.Stage.FINAL else 70
            elapsed = min(max((self.today - start).days / length, 0), 1)
            done = {S.PLANNED: 0, S.ACTIVE: elapsed, S.DEFERRED: 0.4, S.TERMINATED: 0.4}
            placement = Placement(
                id=_uuid(rng),
                student=student,
                educator=educator_of[i],
                supervisor=supervisor,
                tutor=self.tutors[i % len(self.tutors)],
                programme=self.programmes[i % len(self.programmes)],
                setting_name=setting,
                practice_area=self.shared.areas[self.settings[setting]],
                stage=stage,
                start_date=start,
                end_date=end,
                required_days=required,
                days_completed=round(required * done.get(status, 1)),
                framework=self.framework,
                grading_scale=self.scale,
                status=status,
            )
            share = done.get(status, 1)
            count = round(E * share) if status != S.PLANNED else 0
            if status in SIGNED_STATUSES:
                count = max(1, E + rng.randint(-(E // 8), E // 8))
            plan = _PlacementPlan(placement=placement, status=status, evidence_count=count)
            if status == S.ACTIVE:
                if elapsed > 0.5:
                    plan.midpoint = "signed" if rng.random() < 0.9 else "draft"
                plan.draft_final = elapsed > 0.8 and rng.random() < 0.6
                plan.concern = rng.random() < 0.06
            elif status in SIGNED_STATUSES or status in (S.DEFERRED, S.TERMINATED):
                plan.midpoint = (
                    "signed" if status in SIGNED_STATUSES else rng.choice(["", "signed"])
                )
                plan.concern = rng.random() < 0.05 or status == S.TERMINATED
            if special:
                plan.midpoint = "signed"
                plan.evidence_count = [MAIN_EVIDENCE, E, LARGE_EVIDENCE][i]
                plan.draft_final = i == 0
                plan.long_reflections = i == 2
                plan.concern = False
            plans.append(plan)
        rows = [p.placement for p in plans]
        _batched(Placement, rows, self.counts)
        self.permissions(rows)
        self.status_trails(plans)
        return plans

    def permissions(self, placements: list[Placement]) -> None:
        perms = self.shared.permissions
        rows = [
            (p.pk, user_id, perms[codename])
            for p in placements
            for user_id, codename in sorted(expected_permissions(p))
        ]
        _write_rows(
            PlacementUserObjectPermission,
            ["content_object_id", "user_id", "permission_id"],
            rows,
            self.counts,
            "object permission",
        )

    def actor(self, placement: Placement, who: str) -> User:
        if who == "coordinator":
            return self.coordinators[0]
        if who == "panel":
            return self.panel[0]
        return getattr(placement, who)

    def step_days(self, plan: _PlacementPlan) -> dict[str, datetime.date]:
        """The day of each step on a placement's path."""
        p = plan.placement
        signed = p.end_date - datetime.timedelta(days=self.rng.randint(1, 4))
        days = {S.ACTIVE: p.start_date, S.FINAL_REVIEW_SIGNED: signed}
        days[S.STUDENT_ACKNOWLEDGED] = signed + datetime.timedelta(days=self.rng.randint(2, 5))
        days[S.COUNTERSIGNED] = days[S.STUDENT_ACKNOWLEDGED] + datetime.timedelta(
            days=self.rng.randint(4, 9)
        )
        days[S.RATIFIED] = days[S.COUNTERSIGNED] + datetime.timedelta(days=self.rng.randint(12, 30))
        ended = p.start_date + datetime.timedelta(days=self.rng.randint(35, 55))
        days[S.DEFERRED] = days[S.TERMINATED] = ended
        return {k: min(v, self.today) for k, v in days.items()}

    def status_trails(self, plans: list[_PlacementPlan]) -> None:
        """A PlacementStatusChange per step and the history rows `placement_transition`
        leaves (its save), after the row `placement_create` left."""
        changes, history = [], []
        for plan in plans:
            p = plan.placement
            plan.days = self.step_days(plan)
            created = _moment(
                min(p.start_date, self.today) - datetime.timedelta(days=30), 10, self.rng
            )
            history.append((p, "+", created, self.coordinators[0].pk, {"status": S.PLANNED}))
            before = S.PLANNED
            for step in PATHS[plan.status]:
                at = _moment(plan.days[step], 9 if step == S.ACTIVE else 15, self.rng)
                actor = self.actor(p, STEP_ACTOR[step])
                changes.append((p.pk, before, step, actor.pk, STEP_REASON.get(step, ""), at))
                history.append((p, "~", at, actor.pk, {"status": step}))
                before = step
        _write_rows(
            PlacementStatusChange,
            ["placement_id", "from_status", "to_status", "actor_id", "reason", "created_at"],
            changes,
            self.counts,
            "status change",
        )
        self.history_rows(Placement, history)

    # --- History --------------------------------------------------------------------------

    def history_rows(self, model, entries: Iterable[tuple]) -> None:
        """Historical rows as django-simple-history records a save: (instance, type, when,
        user id, fields that differed then from the instance now)."""
        historical = model.history.model
        names = [f.attname for f in historical._meta.fields if f.attname in _tracked(model)]
        rows = []
        for instance, kind, when, user_id, overrides in entries:
            values = [getattr(instance, name) for name in names]
            if overrides:
                values = [overrides.get(n, v) for n, v in zip(names, values, strict=True)]
            rows.append((*values, when, kind, user_id, ""))
        history = ["history_date", "history_type", "history_user_id", "history_change_reason"]
        _write_rows(historical, [*names, *history], rows, self.counts, "history")

    # --- Evidence -------------------------------------------------------------------------

    def bank(self, setting: str) -> list[demo_bank.Item]:
        rng = self.rng
        return demo_bank.observations_for(setting, rng) + demo_bank.bank_for(setting, rng)

    def extra_item(self, n: int) -> demo_bank.Item:
        """Beyond the setting's bank: fortnightly reflective logs and supervision records."""
        rng = self.rng
        if n % 3 == 2:
            return demo_bank.supervision_item(rng.choice(demo_bank.SUPERVISION_THEMES))
        what, reflection = rng.choice(demo_bank.LOG_THEMES)
        return demo_bank.Item(
            "critical_reflection",
            f"Reflective log, {{date}}: {rng.choice(demo_bank.LOG_FRAMES).format(what)}",
            reflection,
            {
                "PROF": "I take responsibility for my own learning and wellbeing.",
                "REFLECTION": "I examine my own practice honestly.",
                "KNOWLEDGE": "I connect what I read to what I did.",
                "C1": "Shows professional self-reflection.",
                "C4": "Uses research to inform practice.",
            },
        )

    def long_reflection(self, item: demo_bank.Item) -> str:
        """A few hundred words: the item's own reflection, then two logs that follow it up."""
        parts = [item.reflection]
        for _ in range(3):
            parts.append(self.rng.choice(demo_bank.LOG_THEMES)[1])
        parts.append(
            "Looking back over these weeks, the pattern I see is that I learn most from the "
            "work I found hardest, and least from the work I rushed. I have agreed with my "
            "educator to bring one piece of each kind to supervision, to slow down when I "
            "notice myself hurrying, and to write up the same evening while the detail is "
            "fresh. I will look again at this reflection at the final review."
        )
        return "\n\n".join(parts)

    def evidence(self, plans: list[_PlacementPlan]) -> None:
        rng = self.rng
        codes = {d.code: d for d in self.domains}
        items, mappings, observations, supervisions, history = [], [], [], [], []
        for plan in plans:
            p = plan.placement
            if not plan.evidence_count:
                continue
            bank = self.bank(p.setting_name)
            horizon = (
                min(plan.days[S.FINAL_REVIEW_SIGNED], self.today)
                if plan.status in SIGNED_STATUSES
                else min(p.end_date, self.today)
            )
            if plan.status in (S.DEFERRED, S.TERMINATED):
                horizon = plan.days[plan.status]
            last = max(horizon - datetime.timedelta(days=2), p.start_date)
            days = _spread(
                p.start_date + datetime.timedelta(days=3), last, plan.evidence_count, rng
            )
            running = plan.status == S.ACTIVE
            for n, day in enumerate(days):
                item = bank[n] if n < len(bank) else self.extra_item(n)
                recent = running and n >= len(days) - max(2, len(days) // 7)
                if recent:
                    status = rng.choice(["submitted", "submitted", "draft", "revision_requested"])
                else:
                    status = "accepted" if rng.random() < 0.95 or not running else "submitted"
                submitted = None if status == "draft" else _moment(day, 19, rng)
                reviewed = (
                    _moment(day + datetime.timedelta(days=rng.randint(1, 3)), 11, rng)
                    if status in ("accepted", "revision_requested")
                    else None
                )
                reflection = (
                    self.long_reflection(item) if plan.long_reflections else item.reflection
                )
                evidence = Evidence(
                    id=_uuid(rng),
                    placement_id=p.pk,
                    kind=item.kind,
                    title=item.title.format(date=f"{day:%-d %B}")[:200],
                    practice_date=day,
                    reflection=reflection,
                    status=status,
                    created_by_id=p.student_id,
                    submitted_at=submitted,
                    reviewed_by_id=p.educator_id if reviewed else None,
                    reviewed_at=reviewed,
                    review_comment=demo_text.REVISION_COMMENT
                    if status == "revision_requested"
                    else "",
                )
                plan.evidence.append(evidence)
                items.append(evidence)
                shown = [codes[c] for c in item.notes if c in codes]
                if len(shown) < 2:
                    shown += rng.sample([d for d in self.domains if d not in shown], 2 - len(shown))
                if rng.random() < 0.4:
                    extra = [d for d in self.domains if d not in shown]
                    shown.append(rng.choice(extra))
                for domain in shown:
                    note = (
                        item.notes.get(domain.code)
                        or item.notes.get("*")
                        or (f"This shows my {domain.name.lower()} in practice.")
                    )
                    mappings.append((evidence.pk, domain.pk, note))
                    if status != "draft":
                        plan.mapped.setdefault(domain.pk, []).append(evidence)
                if item.kind == Evidence.Kind.DIRECT_OBSERVATION:
                    observations.append(
                        DirectObservation(
                            evidence_id=evidence.pk,
                            observer=DirectObservation.Observer.EDUCATOR
                            if n % 3
                            else DirectObservation.Observer.SUPERVISOR,
                            planning_notes=item.details.get("planning_notes", ""),
                            observation_record=item.details.get("observation_record", ""),
                        )
                    )
                elif item.kind == Evidence.Kind.SUPERVISION:
                    supervisions.append(
                        SupervisionRecord(
                            evidence_id=evidence.pk,
                            attendees=f"{p.student.display_name} (student), "
                            f"{p.educator.display_name} ({self.framework.educator_title})",
                            agenda=item.details.get("agenda", ""),
                            notes=item.details.get("notes", ""),
                            agreed_actions=item.details.get("agreed_actions", ""),
                            confirmed_by_id=p.educator_id if reviewed else None,
                            confirmed_at=reviewed,
                        )
                    )
                # evidence_create saves a draft; submitting and reviewing each save again.
                # The lock a signature sets is an UPDATE, which leaves no row of its own.
                written = _moment(day, 18, rng)
                history.append((evidence, "+", written, p.student_id, _draft_state()))
                if status != "draft":
                    submitted_state = {
                        **_draft_state(),
                        "status": Evidence.Status.SUBMITTED,
                        "submitted_at": submitted,
                    }
                    history.append((evidence, "~", submitted, p.student_id, submitted_state))
                if reviewed:
                    history.append((evidence, "~", reviewed, p.educator_id, {"locked_at": None}))
        self.items = items
        self.mappings = mappings
        self.observations = observations
        self.supervisions = supervisions
        self.evidence_history = history

    def save_evidence(self) -> None:
        """Evidence goes in with its lock already set where a signed review cites it."""
        _batched(Evidence, self.items, self.counts, "evidence")
        _write_rows(
            EvidenceMapping,
            ["evidence_id", "domain_id", "note"],
            self.mappings,
            self.counts,
            "evidence mapping",
        )
        _batched(DirectObservation, self.observations, self.counts, "direct observation")
        _batched(SupervisionRecord, self.supervisions, self.counts, "supervision record")
        self.history_rows(Evidence, self.evidence_history)

    # --- Build ----------------------------------------------------------------------------

    def build(self) -> None:
        from portfolios.scale_reviews import ReviewBuilder

        steps = [
            ("people", self.people),
            ("university", self.university),
            ("placements", lambda: setattr(self, "plans", self.placements())),
            ("evidence planned", lambda: self.evidence(self.plans)),
            ("reviews planned", lambda: setattr(self, "reviewer", ReviewBuilder(self, self.plans))),
            ("", lambda: self.reviewer.plan()),
            ("evidence written", self.save_evidence),
            ("reviews written", lambda: self.reviewer.save()),
            ("concerns", lambda: self.reviewer.concerns()),
            ("reports", lambda: self.reviewer.reports()),
        ]
        self.timings: dict[str, float] = {}
        for name, step in steps:
            started = time.monotonic()
            step()
            if name:
                self.timings[name] = time.monotonic() - started
        started = time.monotonic()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Deferred foreign keys are checked here, before the transaction commits.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.timings["constraints checked"] = time.monotonic() - started


def _draft_state() -> dict:
    return {
        "status": Evidence.Status.DRAFT,
        "submitted_at": None,
        "reviewed_by_id": None,
        "reviewed_at": None,
        "review_comment": "",
        "locked_at": None,
    }


def _tracked(model) -> set[str]:
    historical = model.history.model
    own = {f.attname for f in model._meta.concrete_fields}
    return {f.attname for f in historical._meta.fields if f.attname in own}


def store_report_copy(pdf: bytes, *, review, version: int, event: str, code: str, tag: str):
    """A stored report as `report_store` leaves one, from a PDF rendered once for its shape:
    the copy carries its own comment after the end, so its SHA-256 is its own."""
    from assessments.models import SignedReport, report_path

    body = pdf + f"% seed_scale copy {tag}\n".encode()
    report = SignedReport(
        review=review,
        version=version,
        event=event,
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        verification_code=code,
    )
    report.pdf.name = default_storage.save(report_path(report, "report.pdf"), ContentFile(body))
    return report


def verify_url() -> str:
    from django.urls import reverse

    return f"{settings.SITE_URL}{reverse('verify')}"
