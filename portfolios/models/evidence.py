"""Evidence: entered once, mapped to many domains, with its files, comments and the
structured kinds (direct observations, supervision records, service user feedback)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portfolios.models.base import TimeStamped
from portfolios.models.frameworks import Domain
from portfolios.models.immutability import Lockable, LockableManager, lock_trigger
from portfolios.models.placements import Placement

EVIDENCE_LOCKED = "This evidence is cited in a signed review, so it can no longer be changed."
# What a signed review rests on: every field but the educator's later verification of service
# user feedback (it adds a fact, changes nothing the student wrote) and the timestamps.
EVIDENCE_SIGNED_FIELDS = (
    "placement",
    "kind",
    "title",
    "practice_date",
    "reflection",
    "status",
    "created_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "locked_at",
)


class Evidence(Lockable, TimeStamped):
    """One piece of evidence on a placement, mapped to every domain it shows. Once a signed
    review cites it (`locked_at`), its content refuses a change at every layer."""

    class Kind(models.TextChoices):
        DIRECT_OBSERVATION = "direct_observation", "Direct observation"
        CRITICAL_REFLECTION = "critical_reflection", "Critical reflection or process recording"
        SUPERVISION = "supervision", "Supervision record"
        SERVICE_USER_FEEDBACK = "service_user_feedback", "Service user or carer feedback"
        CASE_REVIEW = "case_review", "Case review reflection"
        WRITTEN_WORK = "written_work", "Written work"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        REVISION_REQUESTED = "revision_requested", "Revision requested"
        RESUBMITTED = "resubmitted", "Resubmitted"

    # A student may change evidence only while it is in one of these states.
    EDITABLE_STATUSES = (Status.DRAFT, Status.REVISION_REQUESTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    practice_date = models.DateField(help_text="The date of the practice this records.")
    reflection = models.TextField(
        blank=True, help_text="Your reflective writing. Markdown formatting is allowed."
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(
        blank=True, help_text="The educator's comment when asking for a revision."
    )
    # Service user feedback arrives unverified; the educator verifies it.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Set by the sign-off service when a signed review cites this item; nothing may change it.
    locked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = LockableManager()
    lock_message = EVIDENCE_LOCKED
    mutable_when_locked = ("verified_by", "verified_at")

    class Meta:
        ordering = ["-practice_date", "title"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["placement", "status"])]
        triggers = [
            lock_trigger(
                "evidence",
                lock_sql="R.locked_at IS NOT NULL",
                columns=EVIDENCE_SIGNED_FIELDS,
                message=EVIDENCE_LOCKED,
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolios:evidence-detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.locked_at is None and self.status in self.EDITABLE_STATUSES

    @property
    def needs_verification(self) -> bool:
        return self.kind == self.Kind.SERVICE_USER_FEEDBACK and self.verified_at is None

    @classmethod
    def locked_q(cls) -> models.Q:
        return models.Q(locked_at__isnull=False)


class EvidenceMapping(models.Model):
    """Evidence ↔ domain, with the student's note on why the evidence shows that domain."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="mappings")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="mappings")
    note = models.TextField(max_length=2000)

    class Meta:
        ordering = ["domain__order"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "domain"], name="mapping_unique_domain")
        ]

    def __str__(self) -> str:
        return f"{self.evidence} → {self.domain.name}"


def evidence_file_path(instance: "EvidenceFile", filename: str) -> str:
    # The stored name is random: it never reveals the student's own file name.
    return f"evidence/{instance.evidence.placement_id}/{uuid.uuid4().hex}{instance.extension}"


class EvidenceFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_file_path, max_length=255)
    original_name = models.CharField(max_length=200, help_text="Sanitised; for display only.")
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    active_content = models.BooleanField(
        default=False, help_text="A PDF with scripts or actions: always served as a download."
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("portfolios:evidence-file-download", kwargs={"pk": self.pk})

    @property
    def download_name(self) -> str:
        """The student's file name, with the extension its content proved it has."""
        if self.original_name.lower().endswith(self.extension.lower()):
            return self.original_name
        return f"{self.original_name}{self.extension}"


class EvidenceComment(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.evidence}"


class ConfidentialName(models.Model):
    """A name on a placement's "keep out" list, looked for in evidence before submission."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="confidential_names"
    )
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "name"], name="confidential_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ConfidentialityConfirmation(models.Model):
    """The student's word that one finding is not identifying. Holds a fingerprint of the
    match, never the matched text itself."""

    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="confidentiality_confirmations"
    )
    fingerprint = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "fingerprint"], name="confidentiality_confirmation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Confirmed finding on {self.evidence}"


# --- Structured kinds -------------------------------------------------------------------------


class DirectObservation(models.Model):
    """The four steps of a direct observation. The student's reflection afterwards is the
    evidence item's own reflection; the educator's feedback is per domain observed."""

    class Observer(models.TextChoices):
        EDUCATOR = "educator", "The practice educator"
        SUPERVISOR = "supervisor", "The on-site supervisor"
        OTHER = "other", "Someone else"

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, primary_key=True, related_name="observation"
    )
    observer = models.CharField(
        "who observed", max_length=12, choices=Observer.choices, default=Observer.EDUCATOR
    )
    observer_name = models.CharField(
        "observer's name and role",
        max_length=120,
        blank=True,
        help_text="Only when someone other than the educator or on-site supervisor observed.",
    )
    planning_notes = models.TextField(
        "planning discussion", blank=True, help_text="What was agreed before the observation."
    )
    observation_record = models.TextField(
        "what happened", blank=True, help_text="An account of the practice observed."
    )

    def __str__(self) -> str:
        return f"Observation: {self.evidence}"


class ObservationFeedback(TimeStamped):
    observation = models.ForeignKey(
        DirectObservation, on_delete=models.CASCADE, related_name="feedback"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["domain__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "domain"], name="observation_feedback_unique_domain"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.domain.name}"


class SupervisionRecord(models.Model):
    """A supervision meeting. Either party writes it; the other confirms it."""

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, primary_key=True, related_name="supervision"
    )
    attendees = models.CharField(max_length=300)
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Supervision: {self.evidence}"


class FeedbackRequest(TimeStamped):
    """A one-time link for a service user or carer to give feedback without an account.

    Only a hash of the link's token is kept, so the link cannot be recovered from the database.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    work_description = models.CharField(
        "the piece of work",
        max_length=200,
        help_text="What the feedback is about, in words the person will recognise, "
        "e.g. “our meeting at your home on Tuesday”.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    evidence = models.OneToOneField(
        Evidence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_request",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feedback link: {self.work_description}"


class ServiceUserFeedback(models.Model):
    """What the person said, kept apart from the student's evidence so the student can map
    and reflect on it but never change it."""

    class Relationship(models.TextChoices):
        SERVICE_USER = "service_user", "I was the person the student worked with"
        CARER = "carer", "I am a carer or family member"
        OTHER = "other", "Something else / I'd rather not say"

    class Rating(models.TextChoices):
        YES = "yes", "Yes"
        MOSTLY = "mostly", "Mostly"
        NOT_REALLY = "not_really", "Not really"

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, primary_key=True, related_name="service_user_feedback"
    )
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    listened = models.CharField(max_length=20, choices=Rating.choices)
    respected = models.CharField(max_length=20, choices=Rating.choices)
    went_well = models.TextField(blank=True)
    could_improve = models.TextField(blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    consent_given_at = models.DateTimeField()
    # The educator quotes these words (never the name) in the final report's feedback summary.
    for_report = models.BooleanField("quoted in the final report", default=False)

    def __str__(self) -> str:
        return f"Service user feedback: {self.evidence}"


def pending_upload_path(instance: "PendingUpload", filename: str) -> str:
    return f"evidence/{instance.placement_id}/{uuid.uuid4().hex}{instance.extension}"


class PendingUpload(models.Model):
    """A checked file held for a student while they correct a mistake elsewhere in the form,
    so a validation error never makes them upload it again. It becomes an EvidenceFile (the
    stored bytes are kept, not copied) when the evidence saves; unclaimed ones are purged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=pending_upload_path, max_length=255)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    active_content = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name
