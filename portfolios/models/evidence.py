"""Evidence: entered once, mapped to many domains, with its files, comments and the
structured kinds (direct observations, supervision records, service user feedback)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portfolios.models.base import TimeStamped
from portfolios.models.frameworks import Domain
from portfolios.models.placements import Placement


class Evidence(TimeStamped):
    """One piece of evidence on a placement, mapped to every domain it shows."""

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

    class Meta:
        ordering = ["-practice_date", "title"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["placement", "status"])]

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
