"""The sign-off rules: what must hold before a practice educator signs a review.

Each rule is one small function of a `SignContext` that returns `Unmet` (the sentence the
educator reads, and where to fix it) or None. The review page's checklist, the service that
refuses to sign and the tests all iterate the same lists, so a rule cannot hold in one place
and not another. Rules block; warnings inform; the two lists never mix.

Programme settings (minimum words, observations, days tolerance, notice before a fail or
defer) feed the rules; see docs/assessment.md.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from assessments.models import Concern, Judgement, JudgementEvidence, Review
from portfolios.models import (
    AgreementSignature,
    DirectObservation,
    Evidence,
    EvidenceMapping,
    LearningAgreement,
    ObservationFeedback,
    Placement,
    PracticeArea,
)
from portfolios.services import agreement_current

# Evidence an educator may rest a judgement on: with the educator, not back with the student.
CITABLE = (Evidence.Status.SUBMITTED, Evidence.Status.RESUBMITTED, Evidence.Status.ACCEPTED)
OPEN_CONCERN = (Concern.Outcome.OPEN, Concern.Outcome.EXTENDED)
# Fewer service-user or carer voices than this is worth a second look before signing.
FEW_VOICES = 2


@dataclass(frozen=True)
class Unmet:
    message: str
    fix_url: str = ""
    fix_label: str = ""


@dataclass
class SignContext:
    """Everything the rules read, gathered in a fixed number of queries."""

    review: Review
    placement: Placement
    judgements: list[Judgement]
    evidence: dict  # id -> Evidence, for every cited item
    mapped: set  # (evidence_id, domain_id) pairs of the cited items
    midpoint: Review | None
    agreement: LearningAgreement | None
    agreement_signers: dict  # role -> id of the user who signed for it
    concerns: list[Concern]
    observations: list[Evidence]
    areas: list[PracticeArea]
    rated_area_ids: set
    strength_count: int
    voices: int
    now: datetime.datetime

    @property
    def word(self) -> str:
        return self.placement.framework.domain_word

    @property
    def words(self) -> str:
        return self.placement.framework.domain_word_plural

    @property
    def educator(self) -> str:
        return self.placement.framework.educator_title

    @property
    def programme(self):
        return self.placement.programme

    def domain_url(self, judgement: Judgement) -> str:
        return reverse(
            "assessments:judgement-edit",
            kwargs={"pk": self.review.pk, "order": judgement.domain.order},
        )

    def citable(self, judgement: Judgement) -> list[Evidence]:
        return [
            self.evidence[c.evidence_id]
            for c in judgement.citations.all()
            if self.evidence[c.evidence_id].status in CITABLE
        ]

    def below_threshold(self) -> list[Judgement]:
        pass_value = self.placement.grading_scale.pass_value
        return [j for j in self.judgements if j.grade and j.grade.value < pass_value]


def sign_context(review: Review) -> SignContext:
    review = Review.objects.select_related(
        "placement__programme", "placement__framework", "placement__grading_scale"
    ).get(pk=review.pk)
    placement = review.placement
    judgements = list(
        review.judgements.select_related("domain", "grade").prefetch_related(
            Prefetch("citations", queryset=JudgementEvidence.objects.order_by("order"))
        )
    )
    cited = {c.evidence_id for j in judgements for c in j.citations.all()}
    programme_areas = list(placement.programme.practice_areas.all())
    agreement = agreement_current(placement=placement)
    return SignContext(
        review=review,
        placement=placement,
        judgements=judgements,
        evidence=Evidence.objects.in_bulk(cited),
        mapped=set(
            EvidenceMapping.objects.filter(evidence_id__in=cited).values_list(
                "evidence_id", "domain_id"
            )
        ),
        midpoint=current_review(placement, Review.Kind.MIDPOINT),
        agreement=agreement,
        agreement_signers=dict(agreement.signatures.values_list("role", "user_id"))
        if agreement
        else {},
        concerns=list(placement.concerns.prefetch_related("domains")),
        observations=list(
            Evidence.objects.filter(
                placement=placement, kind=Evidence.Kind.DIRECT_OBSERVATION, status__in=CITABLE
            )
            .select_related("observation")
            .annotate(
                has_feedback=Exists(
                    ObservationFeedback.objects.filter(observation__evidence=OuterRef("pk"))
                )
            )
        ),
        areas=programme_areas or list(PracticeArea.objects.all()),
        rated_area_ids=set(review.suitability.values_list("practice_area_id", flat=True)),
        strength_count=review.strengths.count(),
        voices=placement.evidence.filter(
            kind=Evidence.Kind.SERVICE_USER_FEEDBACK, status__in=CITABLE
        ).count(),
        now=timezone.now(),
    )


def current_review(placement: Placement, kind: str) -> Review | None:
    """The version of a review that counts: not replaced by an amendment or returned."""
    return (
        placement.reviews.filter(kind=kind)
        .exclude(status__in=[Review.Status.SUPERSEDED, Review.Status.RETURNED])
        .order_by("-version")
        .first()
    )


def _names(judgements: list[Judgement]) -> str:
    return ", ".join(j.domain.name for j in judgements)


def _outcome_url(ctx: SignContext) -> str:
    return reverse("assessments:review-outcome", kwargs={"pk": ctx.review.pk})


def _reviews_url(ctx: SignContext) -> str:
    return reverse("assessments:placement-reviews", kwargs={"pk": ctx.placement.pk})


# --- Rules for both reviews -------------------------------------------------------------------


def every_domain_graded(ctx: SignContext) -> Unmet | None:
    missing = [j for j in ctx.judgements if j.grade is None]
    if missing:
        return Unmet(
            f"Every {ctx.word} needs a grade. Not yet graded: {_names(missing)}.",
            ctx.domain_url(missing[0]),
            f"Grade {missing[0].domain.name}",
        )
    return None


def citations_still_usable(ctx: SignContext) -> Unmet | None:
    """Nothing cited may be back with the student, or no longer mapped to its domain."""
    for j in ctx.judgements:
        for c in j.citations.all():
            item = ctx.evidence[c.evidence_id]
            if item.status not in CITABLE:
                return Unmet(
                    f"“{item.title}”, cited under {j.domain.name}, is back with the student "
                    f"for revision. Wait for it to be resubmitted, or stop citing it.",
                    ctx.domain_url(j),
                    f"Open {j.domain.name}",
                )
            if (item.pk, j.domain_id) not in ctx.mapped:
                return Unmet(
                    f"“{item.title}” is cited under {j.domain.name} but is no longer mapped "
                    f"to that {ctx.word}. Stop citing it there.",
                    ctx.domain_url(j),
                    f"Open {j.domain.name}",
                )
    return None


# --- Final review -----------------------------------------------------------------------------


def midpoint_signed_and_acknowledged(ctx: SignContext) -> Unmet | None:
    midpoint = ctx.midpoint
    if midpoint is None:
        return Unmet(
            "There is no midpoint review. Write and sign it, and ask the student to "
            "acknowledge it, before signing the final review.",
            _reviews_url(ctx),
            "Start the midpoint review",
        )
    if midpoint.status == Review.Status.DRAFT:
        return Unmet(
            "The midpoint review is not signed yet. Sign it, and ask the student to "
            "acknowledge it.",
            midpoint.get_absolute_url(),
            "Open the midpoint review",
        )
    if midpoint.acknowledged_at is None:
        return Unmet(
            "The student has not yet acknowledged the midpoint review. Ask them to read and "
            "acknowledge it from their placement's Reviews page.",
            midpoint.get_absolute_url(),
            "Open the midpoint review",
        )
    return None


def learning_agreement_signed(ctx: SignContext) -> Unmet | None:
    url = reverse("portfolios:agreement-detail", kwargs={"pk": ctx.placement.pk})
    if ctx.agreement is None:
        return Unmet(
            "There is no learning agreement. Draft it with the student and have everyone on "
            "the placement sign it.",
            url,
            "Open the learning agreement",
        )
    if ctx.agreement.status != LearningAgreement.Status.SIGNED:
        return Unmet(
            "The learning agreement is not yet signed by everyone on the placement.",
            url,
            "Open the learning agreement",
        )
    placement = ctx.placement
    people = {
        "student": placement.student_id,
        "educator": placement.educator_id,
        "supervisor": placement.supervisor_id,
        "tutor": placement.tutor_id,
    }
    changed = [
        role
        for role, person in people.items()
        if person is not None and ctx.agreement_signers.get(role) != person
    ]
    if changed:
        who = " and ".join(AgreementSignature.Role(r).label.lower() for r in changed)
        return Unmet(
            f"The {who} changed after the learning agreement was signed. Amend the agreement "
            "so the people on the placement now can sign it.",
            url,
            "Open the learning agreement",
        )
    return None


def narratives_long_enough(ctx: SignContext) -> Unmet | None:
    minimum = ctx.programme.min_narrative_words
    short = [j for j in ctx.judgements if len(j.narrative.split()) < minimum]
    if short:
        return Unmet(
            f"Each {ctx.word} needs a narrative of at least {minimum} words. Too short or "
            f"missing: {_names(short)}.",
            ctx.domain_url(short[0]),
            f"Write {short[0].domain.name}",
        )
    return None


def every_domain_cites_evidence(ctx: SignContext) -> Unmet | None:
    bare = [j for j in ctx.judgements if not ctx.citable(j)]
    if bare:
        return Unmet(
            f"Each {ctx.word} must rest on at least one submitted or accepted evidence item. "
            f"Citing none: {_names(bare)}.",
            ctx.domain_url(bare[0]),
            f"Cite evidence for {bare[0].domain.name}",
        )
    return None


def strengths_recorded(ctx: SignContext) -> Unmet | None:
    if ctx.strength_count == 0:
        return Unmet(
            "Record at least one of the student's strengths.",
            reverse("assessments:strengths-suitability", kwargs={"pk": ctx.review.pk}),
            "Record strengths",
        )
    return None


def every_area_rated(ctx: SignContext) -> Unmet | None:
    missing = [a for a in ctx.areas if a.pk not in ctx.rated_area_ids]
    if missing:
        names = ", ".join(a.name for a in missing)
        return Unmet(
            f"Rate the student's suitability for every area of practice the programme asks "
            f"about (“Not observed” is allowed). Not yet rated: {names}.",
            reverse("assessments:strengths-suitability", kwargs={"pk": ctx.review.pk}),
            "Rate suitability",
        )
    return None


def recommendation_justified(ctx: SignContext) -> Unmet | None:
    review = ctx.review
    if not review.recommendation:
        return Unmet(
            "Choose a recommendation: pass, fail or defer.",
            _outcome_url(ctx),
            "Choose the recommendation",
        )
    if not review.recommendation_justification.strip():
        return Unmet(
            "Write the justification for the recommendation.",
            _outcome_url(ctx),
            "Justify the recommendation",
        )
    if review.recommendation != Review.Recommendation.PASS and not (
        review.recommendation_domains.exists()
    ):
        return Unmet(
            f"Name the {ctx.words} the {review.get_recommendation_display().lower()} "
            "recommendation rests on.",
            _outcome_url(ctx),
            f"Name the {ctx.words}",
        )
    return None


def no_open_concern(ctx: SignContext) -> Unmet | None:
    open_ = [c for c in ctx.concerns if c.outcome in OPEN_CONCERN]
    if open_:
        concern = open_[0]
        state = (
            "has an extended action plan still running"
            if concern.outcome == Concern.Outcome.EXTENDED
            else "is still open"
        )
        return Unmet(
            f"A concern raised on {concern.created_at:%-d %B %Y} {state}. Record its outcome "
            "(resolved or escalated) before signing.",
            concern.get_absolute_url(),
            "Open the concern",
        )
    return None


def days_support_the_recommendation(ctx: SignContext) -> Unmet | None:
    placement = ctx.placement
    short = placement.days_completed + ctx.programme.days_tolerance < placement.required_days
    if short and ctx.review.recommendation not in (
        Review.Recommendation.FAIL,
        Review.Recommendation.DEFER,
    ):
        done = _days(placement.days_completed)
        return Unmet(
            f"Only {done} of the {placement.required_days} required days are confirmed in the "
            "attendance log. Confirm the days the student has worked, or recommend Defer (or "
            "Fail); a pass needs the days.",
            reverse("portfolios:attendance", kwargs={"pk": placement.pk}),
            "Open the attendance log",
        )
    return None


def observations_recorded(ctx: SignContext) -> Unmet | None:
    programme = ctx.programme
    total = len(ctx.observations)
    # The student says who observed; an observation counts as the educator's once the
    # educator has accepted it or written feedback on it, so the tick rests on their word.
    by_educator = sum(
        1
        for e in ctx.observations
        if _observer(e) == DirectObservation.Observer.EDUCATOR
        and (e.status == Evidence.Status.ACCEPTED or e.has_feedback)
    )
    if total < programme.min_observations or by_educator < programme.min_educator_observations:
        return Unmet(
            f"The programme asks for at least {programme.min_observations} direct observations, "
            f"{programme.min_educator_observations} of them by the {ctx.educator} (accepted or "
            f"with your feedback). Recorded and submitted: {total}, {by_educator} by the "
            f"{ctx.educator}.",
            reverse("portfolios:evidence-list", kwargs={"pk": ctx.placement.pk}),
            "Open the evidence list",
        )
    return None


def pass_needs_every_domain_at_threshold(ctx: SignContext) -> Unmet | None:
    below = ctx.below_threshold()
    if ctx.review.recommendation == Review.Recommendation.PASS and below:
        return Unmet(
            f"A pass cannot be signed while {_names(below)} "
            f"{'is' if len(below) == 1 else 'are'} graded below the pass threshold. Grade again "
            "if the evidence supports a higher grade, or recommend Defer.",
            ctx.domain_url(below[0]),
            f"Open {below[0].domain.name}",
        )
    return None


def no_surprises(ctx: SignContext) -> Unmet | None:
    review = ctx.review
    if review.recommendation not in (Review.Recommendation.FAIL, Review.Recommendation.DEFER):
        return None
    days = ctx.programme.concern_notice_days
    cutoff = ctx.now - datetime.timedelta(days=days)
    if any(c.created_at <= cutoff for c in ctx.concerns) or review.no_concern_reason.strip():
        return None
    return Unmet(
        f"A {review.get_recommendation_display().lower()} needs a concern raised at least "
        f"{days} days before signing, so the student was told in time. None was: write why "
        "beside the recommendation.",
        _outcome_url(ctx),
        "Write why",
    )


# --- Midpoint review --------------------------------------------------------------------------


def every_domain_has_narrative(ctx: SignContext) -> Unmet | None:
    missing = [j for j in ctx.judgements if not j.narrative.strip()]
    if missing:
        return Unmet(
            f"Each {ctx.word} needs a narrative. Missing: {_names(missing)}.",
            ctx.domain_url(missing[0]),
            f"Write {missing[0].domain.name}",
        )
    return None


def below_track_has_concern(ctx: SignContext) -> Unmet | None:
    covered = {d.pk for c in ctx.concerns for d in c.domains.all()}
    bare = [j for j in ctx.below_threshold() if j.domain_id not in covered]
    if bare and not ctx.review.no_concern_reason.strip():
        return Unmet(
            f"{_names(bare)} {'is' if len(bare) == 1 else 'are'} below “on track”. Raise a "
            "concern with an action plan, or write why none is needed beside the outcome.",
            reverse("assessments:concern-create", kwargs={"pk": ctx.placement.pk}),
            "Raise a concern",
        )
    return None


def midpoint_outcome_recorded(ctx: SignContext) -> Unmet | None:
    if not ctx.review.midpoint_outcome:
        return Unmet(
            "Record whether the student is on track or there are concerns.",
            _outcome_url(ctx),
            "Record the outcome",
        )
    return None


# --- Warnings: soft matters, shown apart, never blocking --------------------------------------


def single_source_domains(ctx: SignContext) -> str | None:
    single = [j for j in ctx.judgements if len(ctx.citable(j)) == 1]
    if single:
        return (
            f"{_names(single)} rest{'s' if len(single) == 1 else ''} on a single evidence "
            "item. Consider whether a second source would strengthen the judgement."
        )
    return None


def evidence_older_than_placement(ctx: SignContext) -> str | None:
    start = ctx.placement.start_date
    old = sorted(
        {e.title for e in ctx.evidence.values() if e.practice_date < start},
    )
    if old:
        return (
            f"Some cited evidence predates the placement ({'; '.join(old[:3])}). Check it "
            "shows practice from this placement."
        )
    return None


def few_service_user_voices(ctx: SignContext) -> str | None:
    if ctx.voices < FEW_VOICES:
        return (
            f"The portfolio holds {ctx.voices} piece{'s' if ctx.voices != 1 else ''} of service "
            "user or carer feedback. Their voice usually informs the judgement."
        )
    return None


def uncited_midpoint_domains(ctx: SignContext) -> str | None:
    bare = [j for j in ctx.judgements if j.grade and not ctx.citable(j)]
    if bare:
        return f"These {ctx.words} cite no evidence yet: {_names(bare)}."
    return None


# --- The lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    title: str  # what the checklist says when the rule holds
    check: Callable[[SignContext], Unmet | None]


FINAL_RULES: list[Rule] = [
    Rule("The midpoint review is signed and acknowledged.", midpoint_signed_and_acknowledged),
    Rule("The learning agreement is signed by everyone.", learning_agreement_signed),
    Rule("Every domain has a grade.", every_domain_graded),
    Rule("Every narrative reaches the programme's minimum words.", narratives_long_enough),
    Rule("Every domain cites submitted or accepted evidence.", every_domain_cites_evidence),
    Rule("Nothing cited is back with the student or unmapped.", citations_still_usable),
    Rule("At least one strength is recorded.", strengths_recorded),
    Rule("Every area of practice is rated.", every_area_rated),
    Rule("The recommendation is made and justified.", recommendation_justified),
    Rule("No concern is still open.", no_open_concern),
    Rule("The days completed support the recommendation.", days_support_the_recommendation),
    Rule("Enough direct observations are recorded.", observations_recorded),
    Rule("A pass has every domain at the pass threshold.", pass_needs_every_domain_at_threshold),
    Rule("A fail or defer was preceded by a concern, or says why not.", no_surprises),
]

MIDPOINT_RULES: list[Rule] = [
    Rule("Every domain has a grade.", every_domain_graded),
    Rule("Every domain has a narrative.", every_domain_has_narrative),
    Rule("Nothing cited is back with the student or unmapped.", citations_still_usable),
    Rule("Each domain below “on track” has a concern, or a reason.", below_track_has_concern),
    Rule("Whether the student is on track is recorded.", midpoint_outcome_recorded),
]

FINAL_WARNINGS: list[Callable[[SignContext], str | None]] = [
    single_source_domains,
    evidence_older_than_placement,
    few_service_user_voices,
]

MIDPOINT_WARNINGS: list[Callable[[SignContext], str | None]] = [
    uncited_midpoint_domains,
    single_source_domains,
    evidence_older_than_placement,
]


@dataclass
class ChecklistItem:
    title: str
    unmet: Unmet | None

    @property
    def met(self) -> bool:
        return self.unmet is None


@dataclass
class Checklist:
    items: list[ChecklistItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [i.unmet.message for i in self.items if i.unmet is not None]

    @property
    def can_sign(self) -> bool:
        return not self.problems


def rules_for(review: Review) -> tuple[list[Rule], list[Callable]]:
    if review.kind == Review.Kind.FINAL:
        return FINAL_RULES, FINAL_WARNINGS
    return MIDPOINT_RULES, MIDPOINT_WARNINGS


def checklist(review: Review) -> Checklist:
    """Every rule for the review, met or not, and the warnings beside them."""
    ctx = sign_context(review)
    rules, warnings = rules_for(review)
    return Checklist(
        items=[ChecklistItem(_framework_words(r.title, ctx), r.check(ctx)) for r in rules],
        warnings=[w for w in (check(ctx) for check in warnings) if w],
    )


def _framework_words(title: str, ctx: SignContext) -> str:
    """The titles say "domain"; a CSWE placement reads "competency"."""
    return title.replace("domains", ctx.words).replace("domain", ctx.word)


def _observer(item: Evidence) -> str:
    observation = getattr(item, "observation", None)
    return observation.observer if observation else ""


def _days(value: Decimal) -> str:
    return f"{value.normalize():f}" if value % 1 else str(int(value))
