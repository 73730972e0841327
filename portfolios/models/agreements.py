"""The learning agreement made at the start of a placement: what the student will learn, per
domain, and how the placement will run. Signed by everyone on the placement; a change after
signing is a new version with a reason, and the signed one is kept."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portfolios.models.base import TimeStamped
from portfolios.models.frameworks import Domain
from portfolios.models.immutability import ALWAYS, Lockable, LockableManager, lock_trigger
from portfolios.models.placements import Placement

AGREEMENT_SIGNED = (
    "Someone has signed this learning agreement, so it can no longer change. To change it, "
    "amend it, giving the reason."
)
SIGNATURE_FINAL = "A signature on a learning agreement can never be changed or removed."
# What people signed: every field but the status and when the last signature landed.
AGREEMENT_SIGNED_FIELDS = (
    "placement",
    "version",
    "previous",
    "amendment_reason",
    "supervision_frequency",
    "supervision_length",
    "induction",
    "study_days",
    "workload",
    "concerns_process",
    "supervisor_role",
    "created_by",
)


def _signed_sql(agreement_column: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM portfolios_agreementsignature sg "
        f"WHERE sg.agreement_id = {agreement_column})"
    )


def _signed(path: str) -> models.Q:
    return models.Q(
        models.Exists(AgreementSignature.objects.filter(agreement=models.OuterRef(path)))
    )


class LearningAgreement(Lockable, TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed by everyone"
        SUPERSEDED = "superseded", "Replaced by an amendment"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendment"
    )
    amendment_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    supervision_frequency = models.CharField(
        "how often supervision happens", max_length=120, blank=True, help_text="e.g. fortnightly"
    )
    supervision_length = models.CharField(
        "how long each session lasts", max_length=120, blank=True, help_text="e.g. 90 minutes"
    )
    induction = models.TextField("induction", blank=True)
    study_days = models.TextField("study days", blank=True)
    workload = models.TextField("workload", blank=True)
    concerns_process = models.TextField("how concerns are raised", blank=True)
    supervisor_role = models.TextField("the on-site supervisor's part", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last required signature was added."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = LockableManager()
    lock_message = AGREEMENT_SIGNED
    mutable_when_locked = ("status", "signed_at")

    class Meta:
        ordering = ["placement", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "version"], name="agreement_unique_version"
            )
        ]
        triggers = [
            lock_trigger(
                "agreement",
                lock_sql=_signed_sql("R.id"),
                columns=AGREEMENT_SIGNED_FIELDS,
                message=AGREEMENT_SIGNED,
            )
        ]

    def __str__(self) -> str:
        return f"Learning agreement, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("portfolios:agreement-detail", kwargs={"pk": self.placement_id})

    @classmethod
    def locked_q(cls) -> models.Q:
        return _signed("pk")


class LearningGoal(Lockable, models.Model):
    """What the student will learn in one domain."""

    agreement = models.ForeignKey(LearningAgreement, on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)

    objects = LockableManager()
    lock_message = AGREEMENT_SIGNED
    lock_parent = "agreement"

    class Meta:
        ordering = ["domain__order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "domain"], name="goal_unique_domain")
        ]
        triggers = [
            lock_trigger(
                "goal",
                lock_sql=_signed_sql("R.agreement_id"),
                new_rows=True,
                message=AGREEMENT_SIGNED,
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain.name}: {self.text[:40]}"

    @classmethod
    def locked_q(cls) -> models.Q:
        return _signed("agreement")


class AgreementSignature(Lockable, models.Model):
    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        EDUCATOR = "educator", "Practice educator"
        SUPERVISOR = "supervisor", "On-site supervisor"
        TUTOR = "tutor", "Tutor"

    agreement = models.ForeignKey(
        LearningAgreement, on_delete=models.CASCADE, related_name="signatures"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    objects = LockableManager()
    lock_message = SIGNATURE_FINAL

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "role"], name="agreement_signature_role")
        ]
        triggers = [lock_trigger("signature", lock_sql="TRUE", message=SIGNATURE_FINAL)]

    def __str__(self) -> str:
        return f"{self.get_role_display()} signed {self.agreement}"

    @classmethod
    def locked_q(cls) -> models.Q:
        return ALWAYS
