"""Reviews (midpoint and final), their per-domain judgements, strengths, area-of-practice
suitability, the recommendation, the sign-off chain, and concerns with action plans.

Strengths and suitability sit beside the recommendation, never inside it: a student can meet
the threshold and still not be suited (yet) to an area of practice, and the report says so.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portfolios.models import Domain, Evidence, Grade, Placement, PracticeArea, TimeStamped
from portfolios.models.immutability import Lockable, LockableManager, lock_trigger

COUNTERSIGN_COMMENT_MAX = 2000
PANEL_NOTE_MAX = 2000

REVIEW_LOCKED = (
    "This review has been signed and is locked. To correct it, the educator reopens it as an "
    "amendment, with a reason."
)
# What the sign-off chain still writes on a signed review: each later step of the chain.
# Everything else on the review row is what the educator signed.
SIGN_OFF_CHAIN_FIELDS = (
    "status",
    "acknowledged_at",
    "student_comment",
    "countersigned_by",
    "countersigned_at",
    "countersign_comment",
    "panel_by",
    "panel_at",
    "panel_meeting",
    "panel_note",
    "return_reason",
)
# Each later step writes its own fields once: when the stored row has the step's key field
# set, those fields are fixed (a countersign comment does not change after countersigning).
SIGN_OFF_STEPS = {
    "acknowledged_at": ("acknowledged_at", "student_comment"),
    "countersigned_at": ("countersigned_by", "countersigned_at", "countersign_comment"),
    "panel_at": ("panel_by", "panel_at", "panel_meeting", "panel_note", "return_reason"),
}
REVIEW_SIGNED_FIELDS = (
    "placement",
    "kind",
    "version",
    "previous",
    "amendment_reason",
    "summary",
    "midpoint_outcome",
    "recommendation",
    "recommendation_justification",
    "no_concern_reason",
    "supervisor_statement",
    "supervisor_statement_at",
    "signed_by",
    "signed_at",
    "locked_at",
)


SUPERVISOR_STATEMENT_MAX = 1500


def _review_locked_sql(review_column: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM assessments_review rv WHERE rv.id = {review_column} "
        "AND rv.locked_at IS NOT NULL)"
    )


def _judgement_locked_sql(judgement_column: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM assessments_judgement j JOIN assessments_review rv "
        f"ON rv.id = j.review_id WHERE j.id = {judgement_column} AND rv.locked_at IS NOT NULL)"
    )


class ReviewContent(Lockable):
    """Something a review holds: locked with its review, so nothing is added to, changed in
    or removed from a signed review."""

    lock_message = REVIEW_LOCKED
    lock_parent = "review"

    class Meta:
        abstract = True

    @classmethod
    def locked_q(cls) -> models.Q:
        return models.Q(review__locked_at__isnull=False)


class Review(Lockable, TimeStamped):
    class Kind(models.TextChoices):
        MIDPOINT = "midpoint", "Midpoint review"
        FINAL = "final", "Final review"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed by the educator"
        ACKNOWLEDGED = "acknowledged", "Acknowledged by the student"
        COUNTERSIGNED = "countersigned", "Countersigned by the tutor"
        RATIFIED = "ratified", "Ratified by the panel"
        RETURNED = "returned", "Returned by the panel"
        SUPERSEDED = "superseded", "Replaced by an amendment"

    class Recommendation(models.TextChoices):
        PASS = "pass", "Pass"
        FAIL = "fail", "Fail"
        DEFER = "defer", "Defer"

    class MidpointOutcome(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        CONCERNS = "concerns", "Concerns"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendment"
    )
    amendment_reason = models.TextField(blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(blank=True, help_text="The educator's overall account.")

    midpoint_outcome = models.CharField(max_length=10, choices=MidpointOutcome.choices, blank=True)
    recommendation = models.CharField(max_length=5, choices=Recommendation.choices, blank=True)
    recommendation_justification = models.TextField(blank=True)
    no_concern_reason = models.TextField(
        blank=True,
        help_text="Why no concern was raised in time: needed for a fail or defer without a "
        "concern raised early enough, and at the midpoint for a domain below the level "
        "without a concern.",
    )
    # The on-site supervisor's contribution to the final report, written before the educator
    # signs; signed content like the rest (SUPERVISOR_STATEMENT_MAX characters at most).
    supervisor_statement = models.TextField(blank=True)
    supervisor_statement_at = models.DateTimeField(null=True, blank=True)
    recommendation_domains = models.ManyToManyField(
        Domain,
        blank=True,
        related_name="+",
        help_text="The domains a fail or defer rests on.",
    )

    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    student_comment = models.TextField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersign_comment = models.TextField(
        "tutor's countersign comment", max_length=COUNTERSIGN_COMMENT_MAX, blank=True
    )
    panel_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    panel_at = models.DateTimeField(null=True, blank=True)
    panel_meeting = models.ForeignKey(
        "PanelMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="The panel meeting at which the review was ratified or returned.",
    )
    panel_note = models.TextField(
        "panel's note on ratifying", max_length=PANEL_NOTE_MAX, blank=True
    )
    return_reason = models.TextField(blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = LockableManager()
    lock_message = REVIEW_LOCKED
    mutable_when_locked = SIGN_OFF_CHAIN_FIELDS
    step_fields = SIGN_OFF_STEPS
    never_when_locked = {"status": "draft"}

    class Meta:
        ordering = ["placement", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind", "version"], name="review_unique_version"
            )
        ]
        # The panel's queue and count (countersigned final reviews across a university) start
        # here rather than from the placements.
        indexes = [models.Index(fields=["status", "kind"], name="review_status_kind")]
        triggers = [
            lock_trigger(
                "review",
                lock_sql="R.locked_at IS NOT NULL",
                columns=REVIEW_SIGNED_FIELDS,
                also_sql="NEW.status = 'draft'",
                steps=SIGN_OFF_STEPS,
                message=REVIEW_LOCKED,
            )
        ]

    def __str__(self) -> str:
        version = f", version {self.version}" if self.version > 1 else ""
        return f"{self.get_kind_display()}{version}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:review-detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_final(self) -> bool:
        return self.kind == self.Kind.FINAL

    @classmethod
    def locked_q(cls) -> models.Q:
        return models.Q(locked_at__isnull=False)


class Judgement(ReviewContent):
    """A grade on the placement's scale, a narrative, and the evidence it rests on, for one
    domain in one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="judgements")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True)
    narrative = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = LockableManager()

    class Meta:
        ordering = ["domain__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "domain"], name="judgement_unique_domain")
        ]
        triggers = [
            lock_trigger(
                "judgement",
                lock_sql=_review_locked_sql("R.review_id"),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.grade or 'not graded'}"


class JudgementEvidence(ReviewContent):
    """An evidence item a judgement rests on, in the educator's order."""

    judgement = models.ForeignKey(Judgement, on_delete=models.CASCADE, related_name="citations")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="citations")
    order = models.PositiveSmallIntegerField(default=0)

    objects = LockableManager()
    lock_parent = "judgement"

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["judgement", "evidence"], name="judgement_evidence_unique"
            )
        ]
        triggers = [
            lock_trigger(
                "citation",
                lock_sql=_judgement_locked_sql("R.judgement_id"),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]

    def __str__(self) -> str:
        return f"{self.judgement.domain.name} ← {self.evidence}"

    @classmethod
    def locked_q(cls) -> models.Q:
        return models.Q(judgement__review__locked_at__isnull=False)


class Strength(ReviewContent):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="strengths")
    text = models.TextField(max_length=2000)
    domains = models.ManyToManyField(Domain, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = LockableManager()

    class Meta:
        ordering = ["created_at", "pk"]
        triggers = [
            lock_trigger(
                "strength",
                lock_sql=_review_locked_sql("R.review_id"),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Suitability(ReviewContent):
    """How suited the student is to one area of practice, and why."""

    class Rating(models.TextChoices):
        WELL_SUITED = "well_suited", "Well suited"
        WITH_SUPPORT = "with_support", "Suited with support"
        NOT_AT_PRESENT = "not_at_present", "Not suited at present"
        NOT_OBSERVED = "not_observed", "Not observed"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="suitability")
    practice_area = models.ForeignKey(PracticeArea, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=16, choices=Rating.choices)
    rationale = models.TextField(blank=True)

    history = HistoricalRecords()

    objects = LockableManager()

    class Meta:
        ordering = ["practice_area__order", "practice_area__name"]
        verbose_name_plural = "suitability"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "practice_area"], name="suitability_unique_area"
            )
        ]
        triggers = [
            lock_trigger(
                "suitability",
                lock_sql=_review_locked_sql("R.review_id"),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_area}: {self.get_rating_display()}"


class LearningNeed(ReviewContent):
    """An area for development carried into the first year in practice (the ASYE): what to
    develop and the support suggested. Part of the final review, so it freezes with it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="learning_needs")
    area = models.CharField(max_length=200)
    development = models.TextField("what to develop", max_length=1500)
    support = models.TextField("suggested support", max_length=1500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = LockableManager()

    class Meta:
        ordering = ["created_at", "pk"]
        triggers = [
            lock_trigger(
                "learning_need",
                lock_sql=_review_locked_sql("R.review_id"),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]

    def __str__(self) -> str:
        return self.area


class ShareLink(TimeStamped):
    """A time-limited link through which someone without an account (a first employer) reads
    the student's development summary. Only the token's hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    label = models.CharField("who it is for", max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    times_opened = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link {self.label or ''}".strip()

    def state(self, now) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


class ReviewDomainLink(Review.recommendation_domains.through):
    """The domains a signed fail or defer rests on: locked with the review on PostgreSQL."""

    class Meta:
        proxy = True
        triggers = [
            lock_trigger(
                "review_domain",
                lock_sql=_review_locked_sql("R.review_id"),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]


class StrengthDomainLink(Strength.domains.through):
    """The domains a strength shows: locked with the strength's review on PostgreSQL."""

    class Meta:
        proxy = True
        triggers = [
            lock_trigger(
                "strength_domain",
                lock_sql=(
                    "EXISTS (SELECT 1 FROM assessments_strength s JOIN assessments_review rv "
                    "ON rv.id = s.review_id WHERE s.id = R.strength_id "
                    "AND rv.locked_at IS NOT NULL)"
                ),
                new_rows=True,
                message=REVIEW_LOCKED,
            )
        ]


@receiver(m2m_changed, sender=Review.recommendation_domains.through)
@receiver(m2m_changed, sender=Strength.domains.through)
def _refuse_domains_of_locked(sender, instance, action, reverse, **kwargs):
    # `.set()`, `.add()`, `.remove()` and `.clear()` write the link rows past save().
    if action in ("pre_add", "pre_remove", "pre_clear") and not reverse:
        instance.check_unlocked()


class SelfAssessment(TimeStamped):
    """The student's own rating and account of each domain before a review."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="self_assessments"
    )
    kind = models.CharField(max_length=10, choices=Review.Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["placement", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"], name="self_assessment_unique_kind"
            )
        ]

    def __str__(self) -> str:
        return f"Self-assessment before the {Review.Kind(self.kind).label.lower()}"


class SelfRating(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True)
    narrative = models.TextField(max_length=3000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["domain__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "domain"], name="self_rating_unique_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.grade or 'not rated'}"


class ReviewComment(models.Model):
    """The on-site supervisor's (or tutor's) comments for the educator: never a grade."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.review}"


class Concern(TimeStamped):
    """A concern raised early, with an action plan of targets per domain and a review date."""

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        EXTENDED = "extended", "Extended"
        ESCALATED = "escalated", "Escalated"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    domains = models.ManyToManyField(Domain, related_name="+")
    description = models.TextField()
    review_date = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_note = models.TextField(blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Concern raised {self.created_at:%d %b %Y}" if self.created_at else "Concern"

    def get_absolute_url(self) -> str:
        return reverse("assessments:concern-detail", kwargs={"pk": self.pk})


class ActionTarget(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="targets")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    target = models.TextField(max_length=2000)

    class Meta:
        ordering = ["domain__order"]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.target[:40]}"


def report_path(instance: "SignedReport", filename: str) -> str:
    return f"reports/{instance.review.placement_id}/{uuid.uuid4().hex}.pdf"


class SignedReport(models.Model):
    """A final report as it stood at one sign-off, rendered once and never changed. What a
    university downloads is byte-for-byte this file; its SHA-256 proves it."""

    class Event(models.TextChoices):
        SIGNED = "signed", "Signed by the educator"
        ACKNOWLEDGED = "acknowledged", "Acknowledged by the student"
        COUNTERSIGNED = "countersigned", "Countersigned by the tutor"
        RATIFIED = "ratified", "Ratified by the panel"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(
        help_text="Counts up across all of a placement's final reports."
    )
    event = models.CharField(max_length=14, choices=Event.choices)
    pdf = models.FileField(upload_to=report_path, max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField()
    verification_code = models.CharField(max_length=14, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        get_latest_by = "version"

    def __str__(self) -> str:
        return f"Report version {self.version} ({self.get_event_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("assessments:report-download", kwargs={"pk": self.pk})


class ReportDownload(models.Model):
    """Who downloaded what, when: every report, ZIP and CSV download is recorded."""

    class Kind(models.TextChoices):
        PDF = "pdf", "Report PDF"
        DRAFT = "draft", "Draft report PDF"
        ZIP = "zip", "Cohort ZIP"
        CSV = "csv", "Outcomes CSV"
        HTML = "html", "Accessible report"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    report = models.ForeignKey(SignedReport, on_delete=models.PROTECT, null=True, blank=True)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    item_count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} downloaded {self.get_kind_display().lower()}"


class PanelMeeting(TimeStamped):
    """A sitting of a university's practice assessment panel: its date and the members
    present. Each ratification or return is recorded against one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    university = models.ForeignKey(
        "portfolios.University", on_delete=models.PROTECT, related_name="panel_meetings"
    )
    date = models.DateField()
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"Panel meeting, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:panel-meeting", kwargs={"pk": self.pk})


class ModerationSample(models.Model):
    """The reports a panel meeting reads in full, drawn once and kept: every fail and defer
    waiting, plus a share of the passes of each programme drawn with a seed taken from the
    meeting's id (assessments/panel.py). Drawing again returns this row unchanged."""

    meeting = models.OneToOneField(PanelMeeting, on_delete=models.PROTECT, related_name="sample")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    seed = models.CharField(max_length=64, help_text="What the passes were drawn with.")
    method = models.CharField(max_length=200, help_text="How the draw was made, in words.")

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"Sample for {self.meeting}"


class ModerationSampleItem(models.Model):
    """One report that was waiting when the sample was drawn, and whether it was sampled."""

    class Reason(models.TextChoices):
        FAIL = "fail", "Every fail is read"
        DEFER = "defer", "Every defer is read"
        PASS_DRAWN = "pass_drawn", "Pass drawn for the sample"
        PASS_NOT_DRAWN = "pass_not_drawn", "Pass not drawn"

    sample = models.ForeignKey(ModerationSample, on_delete=models.CASCADE, related_name="items")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="sample_items")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    sampled = models.BooleanField()

    class Meta:
        ordering = ["sample", "-sampled", "review__placement__student__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "review"], name="sample_item_unique_review")
        ]

    def __str__(self) -> str:
        return self.get_reason_display()
