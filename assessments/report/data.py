"""What a final report says, gathered in a fixed number of queries into plain data.

The renderers (PDF, HTML, CSV) take a ReportData and never touch the database, so the same
data always gives the same document.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.timezone import localtime

from assessments.models import (
    ActionTarget,
    Concern,
    Judgement,
    JudgementEvidence,
    Review,
    SelfAssessment,
    SelfRating,
    Strength,
    Suitability,
)
from assessments.selectors import is_point_to_discuss, with_people
from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    DirectObservation,
    Evidence,
    EvidenceMapping,
    LearningAgreement,
    LearningGoal,
    ServiceUserFeedback,
)
from portfolios.services import agreement_current


def days_text(days: Decimal | int) -> str:
    """Days as a person writes them: "35", or "35.5" for a half day."""
    days = Decimal(days)
    return f"{days.normalize():f}" if days % 1 else str(int(days))


@dataclass(frozen=True)
class SelfView:
    """The student's own rating of a domain before a review, beside the educator's grade."""

    grade: str
    narrative: str
    to_discuss: bool  # two or more steps from the educator's grade: a point to discuss


@dataclass(frozen=True)
class CitedEvidence:
    title: str
    kind: str
    date: datetime.date


@dataclass(frozen=True)
class DomainSection:
    order: int
    name: str
    grade: str
    grade_value: int
    meets_threshold: bool
    narrative: str
    evidence: list[CitedEvidence]
    self_view: SelfView | None = None


@dataclass(frozen=True)
class MidpointRow:
    name: str
    grade: str
    self_view: SelfView | None = None


@dataclass(frozen=True)
class SuitabilityRow:
    area: str
    rating: str
    rationale: str


@dataclass(frozen=True)
class ConcernSummary:
    raised_on: datetime.date
    raised_by: str
    domains: list[str]
    description: str
    targets: list[tuple[str, str]]
    review_date: datetime.date
    outcome: str
    outcome_note: str


@dataclass(frozen=True)
class Signature:
    role: str
    name: str
    at: datetime.datetime
    declaration: str = ""  # what the signer declared by signing, in their own words


@dataclass(frozen=True)
class LearningNeedRow:
    area: str
    development: str
    support: str


@dataclass(frozen=True)
class ObservationRow:
    date: datetime.date
    practice: str  # the item's title: what was observed, and where
    observer: str
    by_educator: bool
    domains: list[int]


@dataclass(frozen=True)
class FeedbackSummary:
    pieces: int
    service_users: int
    carers: int
    others: int
    listened: dict[str, int]  # rating label -> count
    respected: dict[str, int]
    quotations: list[tuple[str, str]]  # (what went well, what could be better), never a name


@dataclass(frozen=True)
class AgreementSummary:
    version: int
    supervision_frequency: str
    supervision_length: str
    goals: list[tuple[str, str]]  # (domain, what the student will learn)
    signatures: list[Signature]
    signed_at: datetime.datetime | None


@dataclass(frozen=True)
class IndexEntry:
    title: str
    kind: str
    date: datetime.date
    domains: list[int]
    files: list[tuple[str, str]]  # (name, sha256)
    status: str = ""


@dataclass
class ReportData:
    title: str
    student: str
    programme: str
    university: str
    setting: str
    practice_area: str
    start_date: datetime.date
    end_date: datetime.date
    days_completed: Decimal
    required_days: int
    educator_title: str
    educator: str
    supervisor: str
    tutor: str
    framework: str
    level: str
    domain_word: str
    domain_word_plural: str
    scale_name: str
    scale_max: int
    pass_value: int
    review_version: int
    review_status: str
    recommendation: str
    recommendation_justification: str
    no_concern_reason: str
    recommendation_domains: list[str]
    summary: str
    strengths: list[tuple[str, list[str]]]
    suitability: list[SuitabilityRow]
    domains: list[DomainSection]
    midpoint_outcome: str
    midpoint_summary: str
    midpoint_grades: list[MidpointRow]
    concerns: list[ConcernSummary]
    student_comment: str
    signatures: list[Signature]
    evidence_index: list[IndexEntry]
    amendment_reason: str = ""
    draft: bool = False
    final_self_assessed: bool = False
    midpoint_self_assessed: bool = False
    agreement: AgreementSummary | None = None  # None: no signed learning agreement
    attendance: list[tuple[str, Decimal]] = field(default_factory=list)  # (kind, days)
    absences: list[tuple[datetime.date, str]] = field(default_factory=list)  # (date, portion)
    student_number: str = ""
    educator_credentials: str = ""
    stage: str = ""
    midpoint_signed_on: datetime.date | None = None
    learning_needs: list[LearningNeedRow] = field(default_factory=list)
    observations: list[ObservationRow] = field(default_factory=list)
    feedback: FeedbackSummary | None = None
    supervisor_statement: str = ""
    supervisor_statement_at: datetime.datetime | None = None
    countersign_comment: str = ""
    panel_note: str = ""
    declarations: list[Signature] = field(default_factory=list)

    @property
    def days_completed_text(self) -> str:
        return days_text(self.days_completed)

    @property
    def days_short(self) -> Decimal:
        return max(Decimal(self.required_days) - Decimal(self.days_completed), Decimal(0))

    @property
    def days_short_text(self) -> str:
        return days_text(self.days_short)

    @property
    def points_to_discuss(self) -> list[str]:
        return [
            f"{d.order}. {d.name}" for d in self.domains if d.self_view and d.self_view.to_discuss
        ]


ATTENDANCE_KINDS = [
    (AttendanceDay.Kind.PLACEMENT, "Placement days"),
    (AttendanceDay.Kind.STUDY, "Study days"),
    (AttendanceDay.Kind.ABSENCE, "Days absent"),
]


def _self_ratings(placement) -> dict[str, dict[int, SelfRating]]:
    """The submitted self-ratings before each review, by kind and domain id (one query)."""
    by_kind: dict[str, dict[int, SelfRating]] = {kind: {} for kind in Review.Kind.values}
    ratings = SelfRating.objects.filter(
        self_assessment__placement=placement,
        self_assessment__status=SelfAssessment.Status.SUBMITTED,
    ).select_related("self_assessment", "grade")
    for rating in ratings:
        by_kind[rating.self_assessment.kind][rating.domain_id] = rating
    return by_kind


def _self_view(rating: SelfRating | None, grade) -> SelfView | None:
    if rating is None:
        return None
    return SelfView(
        grade=rating.grade.label if rating.grade else "Not rated",
        narrative=rating.narrative,
        to_discuss=is_point_to_discuss(rating.grade, grade),
    )


def _agreement(placement, educator_title: str) -> AgreementSummary | None:
    """The signed learning agreement in force (three queries), or None."""
    agreement = agreement_current(placement=placement)
    if agreement is None or agreement.status != LearningAgreement.Status.SIGNED:
        return None
    goals = LearningGoal.objects.filter(agreement=agreement).select_related("domain")
    signatures = AgreementSignature.objects.filter(agreement=agreement).select_related("user")
    roles = {AgreementSignature.Role.EDUCATOR: educator_title.capitalize()}
    return AgreementSummary(
        version=agreement.version,
        supervision_frequency=agreement.supervision_frequency,
        supervision_length=agreement.supervision_length,
        goals=[(f"{g.domain.order}. {g.domain.name}", g.text) for g in goals],
        signatures=[
            Signature(
                roles.get(sig.role, sig.get_role_display()),
                sig.user.display_name,
                localtime(sig.signed_at),
            )
            for sig in signatures
        ],
        signed_at=localtime(agreement.signed_at) if agreement.signed_at else None,
    )


# What each person declares by signing, printed beside their name, date and time.
DECLARATIONS = {
    "educator": "I confirm that this assessment is my own, drawn from the evidence listed and "
    "from my direct observation of the student's practice.",
    "supervisor": "I confirm that this statement reflects my day-to-day supervision of the "
    "student's practice in this setting.",
    "student": "I have read this report, discussed it with my educator, and had the chance to "
    "add my comments.",
    "tutor": "I confirm that the assessment followed the programme's requirements and that I "
    "have read the report and the evidence it rests on.",
    "panel": "The practice assessment panel has read this report and ratified its recommendation.",
}
COUNTED_EVIDENCE = (
    Evidence.Status.SUBMITTED,
    Evidence.Status.RESUBMITTED,
    Evidence.Status.ACCEPTED,
)


def _observations(evidence: list[Evidence], placement) -> list[ObservationRow]:
    rows = []
    for e in evidence:
        if e.kind != Evidence.Kind.DIRECT_OBSERVATION or e.status not in COUNTED_EVIDENCE:
            continue
        obs = getattr(e, "observation", None)
        who = obs.observer if obs else ""
        if who == DirectObservation.Observer.EDUCATOR:
            observer = placement.educator.display_name
        elif who == DirectObservation.Observer.SUPERVISOR and placement.supervisor:
            observer = placement.supervisor.display_name
        elif obs:
            observer = obs.observer_name or "Someone else"
        else:
            observer = "Not recorded"
        rows.append(
            ObservationRow(
                date=e.practice_date,
                practice=e.title,
                observer=observer,
                by_educator=who == DirectObservation.Observer.EDUCATOR,
                domains=[m.domain.order for m in e.listed_mappings],
            )
        )
    return rows


def _feedback(evidence: list[Evidence]) -> FeedbackSummary:
    given = [
        e.service_user_feedback
        for e in evidence
        if e.kind == Evidence.Kind.SERVICE_USER_FEEDBACK
        and getattr(e, "service_user_feedback", None) is not None
    ]
    rel = ServiceUserFeedback.Relationship
    ratings = ServiceUserFeedback.Rating

    def tally(attr: str) -> dict[str, int]:
        return {r.label: sum(getattr(f, attr) == r.value for f in given) for r in ratings}

    return FeedbackSummary(
        pieces=len(given),
        service_users=sum(f.relationship == rel.SERVICE_USER for f in given),
        carers=sum(f.relationship == rel.CARER for f in given),
        others=sum(f.relationship == rel.OTHER for f in given),
        listened=tally("listened"),
        respected=tally("respected"),
        # The person's name is never quoted; the educator chose these words for the report.
        quotations=[
            (f.went_well.strip(), f.could_improve.strip())
            for f in given
            if f.for_report and (f.went_well.strip() or f.could_improve.strip())
        ],
    )


def _declarations(review: Review, placement, educator_title: str) -> list[Signature]:
    signed = []
    if review.supervisor_statement_at and placement.supervisor:
        signed.append(
            Signature(
                "On-site supervisor (statement)",
                placement.supervisor.display_name,
                localtime(review.supervisor_statement_at),
                DECLARATIONS["supervisor"],
            )
        )
    steps = [
        (review.signed_at, educator_title.capitalize(), review.signed_by, "educator"),
        (review.acknowledged_at, "Student (acknowledged)", placement.student, "student"),
        (review.countersigned_at, "Tutor (countersigned)", review.countersigned_by, "tutor"),
    ]
    if review.status == Review.Status.RATIFIED:
        steps.append(
            (review.panel_at, "Practice assessment panel (ratified)", review.panel_by, "panel")
        )
    for at, role, person, key in steps:
        if at and person:
            signed.append(Signature(role, person.display_name, localtime(at), DECLARATIONS[key]))
    return signed


def _attendance(placement) -> tuple[list[tuple[str, Decimal]], list[tuple[datetime.date, str]]]:
    """Confirmed days in the attendance log by kind, half days counted as half, and each
    confirmed absence by date (one query; a placement has a few hundred days at most). The
    reasons for absence stay in the log."""
    totals = {kind: Decimal(0) for kind, _ in ATTENDANCE_KINDS}
    absences = []
    rows = (
        AttendanceDay.objects.filter(placement=placement, confirmed_at__isnull=False)
        .values_list("kind", "portion", "date")
        .order_by("date")
    )
    for kind, portion, day in rows:
        half = portion == AttendanceDay.Portion.HALF
        totals[kind] = totals.get(kind, Decimal(0)) + (Decimal("0.5") if half else Decimal(1))
        if kind == AttendanceDay.Kind.ABSENCE:
            absences.append((day, "Half day" if half else "Full day"))
    return [(label, totals[kind]) for kind, label in ATTENDANCE_KINDS], absences


def reviews_for_report(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews with everything the report reads of them fetched alongside, so a page that
    fetched its review this way (scoped to the user) hands it to `report_data_for` as it is,
    instead of the review being fetched a second time."""
    return reviews.select_related(
        "placement__programme__university",
        "placement__practice_area",
        "placement__framework",
        "placement__grading_scale",
    ).prefetch_related(
        Prefetch(
            "judgements",
            queryset=Judgement.objects.select_related("domain", "grade").prefetch_related(
                _listed("citations", JudgementEvidence.objects.select_related("evidence"))
            ),
            to_attr="listed_judgements",
        ),
        _listed("strengths", Strength.objects.prefetch_related(_listed("domains"))),
        _listed("suitability", Suitability.objects.prefetch_related("practice_area")),
        _listed("learning_needs"),
        _listed("recommendation_domains"),
    )


def _listed(lookup: str, queryset: QuerySet | None = None) -> Prefetch:
    """A prefetch into a plain list, `listed_<lookup>`. Prefetching into the related manager
    builds a filtered queryset for every object it fills (a few hundred microseconds each, 140
    of them for a large report, a third of gathering its data); a list costs nothing."""
    return Prefetch(lookup, queryset=queryset, to_attr=f"listed_{lookup}")


def report_data_for(review: Review, *, fetched: bool = False) -> ReportData:
    """Everything the final report shows, in a fixed number of queries whatever its size.

    `fetched=True` says the review came from `reviews_for_report` (its relations are loaded
    already); otherwise it is fetched again here, with them."""
    if not fetched:
        review = reviews_for_report(Review.objects.all()).get(pk=review.pk)
    # The people in one query of their own: joined, they made the query far dearer to plan.
    with_people(review)
    placement = review.placement
    framework = placement.framework
    scale = placement.grading_scale
    grades = list(scale.grades.all())
    level = next(
        (lv.name for lv in framework.levels.all() if lv.assessed_at == placement.stage), ""
    )
    midpoint = (
        Review.objects.filter(placement=placement, kind=Review.Kind.MIDPOINT)
        .exclude(status=Review.Status.DRAFT)
        .order_by("-version")
        .prefetch_related(
            _listed("judgements", Judgement.objects.select_related("domain", "grade"))
        )
        .first()
    )
    concerns = (
        Concern.objects.filter(placement=placement)
        .select_related("raised_by")
        .prefetch_related(
            _listed("domains"), _listed("targets", ActionTarget.objects.prefetch_related("domain"))
        )
        .order_by("created_at")
    )
    evidence = (
        Evidence.objects.filter(placement=placement)
        .exclude(status=Evidence.Status.DRAFT)
        .select_related("observation", "service_user_feedback")
        .prefetch_related(
            _listed("mappings", EvidenceMapping.objects.select_related("domain")),
            _listed("files"),
        )
        .order_by("practice_date", "title")
    )
    evidence = list(evidence)
    # The index lists what a judgement could rest on: submitted or accepted, and mapped.
    indexed = [e for e in evidence if e.status in COUNTED_EVIDENCE and e.listed_mappings]
    self_ratings = _self_ratings(placement)
    final_self = self_ratings[Review.Kind.FINAL]
    midpoint_self = self_ratings[Review.Kind.MIDPOINT]

    domains = [
        DomainSection(
            order=j.domain.order,
            name=j.domain.name,
            grade=j.grade.label if j.grade else "Not graded",
            grade_value=j.grade.value if j.grade else 0,
            meets_threshold=bool(j.grade and j.grade.value >= scale.pass_value),
            narrative=j.narrative,
            evidence=[
                CitedEvidence(
                    c.evidence.title, c.evidence.get_kind_display(), c.evidence.practice_date
                )
                for c in j.listed_citations
            ],
            self_view=_self_view(final_self.get(j.domain_id), j.grade),
        )
        for j in review.listed_judgements
    ]
    declarations = _declarations(review, placement, framework.educator_title)
    attendance, absences = _attendance(placement)
    signatures = []
    if review.signed_at:
        signatures.append(
            Signature(
                framework.educator_title.capitalize(),
                review.signed_by.display_name,
                localtime(review.signed_at),
            )
        )
    if review.acknowledged_at:
        signatures.append(
            Signature(
                "Student (acknowledged)",
                placement.student.display_name,
                localtime(review.acknowledged_at),
            )
        )
    if review.countersigned_at:
        signatures.append(
            Signature(
                "Tutor (countersigned)",
                review.countersigned_by.display_name,
                localtime(review.countersigned_at),
            )
        )
    if review.status == Review.Status.RATIFIED and review.panel_at:
        signatures.append(
            Signature(
                "Practice assessment panel (ratified)",
                review.panel_by.display_name,
                localtime(review.panel_at),
            )
        )
    return ReportData(
        title=f"Final assessment report: {placement.student.display_name}",
        student=placement.student.display_name,
        programme=str(placement.programme),
        university=placement.programme.university.name,
        setting=placement.setting_name,
        practice_area=str(placement.practice_area or "Not recorded"),
        start_date=placement.start_date,
        end_date=placement.end_date,
        days_completed=placement.days_completed,
        required_days=placement.required_days,
        educator_title=framework.educator_title,
        educator=placement.educator.display_name,
        supervisor=placement.supervisor.display_name if placement.supervisor else "None",
        tutor=placement.tutor.display_name,
        framework=str(framework),
        level=level,
        domain_word=framework.domain_word,
        domain_word_plural=framework.domain_word_plural,
        scale_name=scale.name,
        scale_max=max((g.value for g in grades), default=1),
        pass_value=scale.pass_value,
        review_version=review.version,
        review_status=review.get_status_display(),
        recommendation=review.get_recommendation_display() or "Not yet made",
        recommendation_justification=review.recommendation_justification,
        no_concern_reason=review.no_concern_reason,
        recommendation_domains=[d.name for d in review.listed_recommendation_domains],
        summary=review.summary,
        strengths=[(s.text, [d.name for d in s.listed_domains]) for s in review.listed_strengths],
        suitability=[
            SuitabilityRow(str(s.practice_area), s.get_rating_display(), s.rationale)
            for s in review.listed_suitability
        ],
        domains=domains,
        midpoint_outcome=midpoint.get_midpoint_outcome_display() if midpoint else "",
        midpoint_summary=midpoint.summary if midpoint else "",
        midpoint_grades=[
            MidpointRow(
                j.domain.name,
                j.grade.label if j.grade else "Not graded",
                _self_view(midpoint_self.get(j.domain_id), j.grade),
            )
            for j in (midpoint.listed_judgements if midpoint else [])
        ],
        concerns=[
            ConcernSummary(
                raised_on=c.created_at.date(),
                raised_by=c.raised_by.display_name,
                domains=[d.name for d in c.listed_domains],
                description=c.description,
                targets=[(t.domain.name, t.target) for t in c.listed_targets],
                review_date=c.review_date,
                outcome=c.get_outcome_display(),
                outcome_note=c.outcome_note,
            )
            for c in concerns
        ],
        student_comment=review.student_comment,
        signatures=signatures,
        evidence_index=[
            IndexEntry(
                title=e.title,
                kind=e.get_kind_display(),
                date=e.practice_date,
                domains=[m.domain.order for m in e.listed_mappings],
                files=[(f.original_name, f.sha256) for f in e.listed_files],
                status=e.get_status_display(),
            )
            for e in indexed
        ],
        amendment_reason=review.amendment_reason,
        draft=review.status == Review.Status.DRAFT,
        final_self_assessed=bool(final_self),
        midpoint_self_assessed=bool(midpoint_self),
        agreement=_agreement(placement, framework.educator_title),
        attendance=attendance,
        absences=absences,
        student_number=placement.student.student_number,
        educator_credentials=placement.educator.educator_credentials,
        stage=placement.get_stage_display(),
        midpoint_signed_on=localtime(midpoint.signed_at).date()
        if midpoint and midpoint.signed_at
        else None,
        learning_needs=[
            LearningNeedRow(n.area, n.development, n.support) for n in review.listed_learning_needs
        ],
        observations=_observations(evidence, placement),
        feedback=_feedback(evidence),
        supervisor_statement=review.supervisor_statement,
        supervisor_statement_at=localtime(review.supervisor_statement_at)
        if review.supervisor_statement_at
        else None,
        # Written by the tutor and the panel on their steps.
        countersign_comment=review.countersign_comment,
        panel_note=review.panel_note,
        declarations=declarations,
    )
