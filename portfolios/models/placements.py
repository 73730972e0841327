"""Universities, programmes, practice areas and placements, with their permission tables."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from portfolios.models.base import TimeStamped
from portfolios.models.frameworks import CapabilityFramework, GradingScale, StudentLevel


class PracticeAreaManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PracticeArea(models.Model):
    """An area of social work practice a student may be suited to."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PracticeAreaManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.code,)


class University(TimeStamped):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=60, default="England")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="universities",
        help_text="Staff: its coordinators and panel members see all its placements.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "universities"

    def __str__(self) -> str:
        return self.name


class Programme(TimeStamped):
    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(max_length=200)
    award = models.CharField(max_length=40, help_text="e.g. BA, MA, BSW, MSW.")
    framework = models.ForeignKey(
        CapabilityFramework,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text="New placements on this programme are pinned to this framework version.",
    )
    grading_scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="+")

    # Settings the sign-off rules read (assessments/rules.py); the defaults are the usual ones.
    min_narrative_words = models.PositiveSmallIntegerField(
        "minimum words per narrative",
        default=40,
        help_text="The shortest narrative a final review accepts for one domain.",
    )
    min_observations = models.PositiveSmallIntegerField(
        "minimum direct observations",
        default=3,
        help_text="Direct observations that must be recorded before the final review is signed.",
    )
    min_educator_observations = models.PositiveSmallIntegerField(
        "of which by the practice educator",
        default=2,
        help_text="How many of those the practice educator must have made themselves.",
    )
    days_tolerance = models.DecimalField(
        "days tolerance",
        max_digits=4,
        decimal_places=1,
        default=0,
        help_text="How many days short of the required days a pass may still be recommended.",
    )
    concern_notice_days = models.PositiveSmallIntegerField(
        "notice before a fail or defer (days)",
        default=10,
        help_text="A fail or defer needs a concern raised at least this many days before "
        "signing, or a written reason why there was none.",
    )
    practice_areas = models.ManyToManyField(
        "PracticeArea",
        blank=True,
        related_name="programmes",
        help_text="The areas of practice every final review rates. None chosen means all.",
    )
    # Read by the panel's moderation sample (assessments/panel.py).
    moderation_pass_share = models.PositiveSmallIntegerField(
        "passes sampled for moderation (%)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of passes the panel reads in full at each meeting, beside every "
        "fail and defer; at least one pass whenever there is one.",
    )

    class Meta:
        ordering = ["university__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "name"], name="programme_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.award} {self.name}" if self.award else self.name

    def clean(self):
        if self.min_educator_observations > self.min_observations:
            raise ValidationError(
                {
                    "min_educator_observations": "This cannot be more than the minimum direct "
                    "observations in all."
                }
            )


class Placement(TimeStamped):
    """One student's period of practice with one educator. Its portfolio hangs off it."""

    class Stage(models.TextChoices):
        FIRST = "first", "First placement"
        FINAL = "final", "Final placement"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        FINAL_REVIEW_SIGNED = "final_review_signed", "Final review signed"
        STUDENT_ACKNOWLEDGED = "student_acknowledged", "Student acknowledged"
        COUNTERSIGNED = "countersigned", "Countersigned"
        RATIFIED = "ratified", "Ratified"
        DEFERRED = "deferred", "Deferred"
        TERMINATED = "terminated", "Terminated"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placements_as_student"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placements_as_educator"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements_as_supervisor",
        verbose_name="on-site supervisor",
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placements_as_tutor"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="placements")
    setting_name = models.CharField("setting", max_length=200, help_text="The agency or team.")
    practice_area = models.ForeignKey(
        PracticeArea, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    required_days = models.PositiveSmallIntegerField()
    # Derived, never typed: the attendance services recount it from the confirmed log in the
    # same transaction as every change to that log (portfolios/services/attendance.py).
    days_completed = models.DecimalField(max_digits=5, decimal_places=1, default=0, editable=False)
    framework = models.ForeignKey(CapabilityFramework, on_delete=models.PROTECT, related_name="+")
    grading_scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PLANNED)
    # Set only by `placement_write_reopen`: a closed placement takes writes again until then.
    write_open_until = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "student__last_name"]
        permissions = [
            ("submit_evidence", "Can add and submit evidence to the placement"),
            ("assess_placement", "Can write and sign the placement's reviews"),
            ("comment_placement", "Can comment on the placement's evidence and reviews"),
            ("countersign_placement", "Can countersign the placement's final review"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="placement_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(student=F("educator")), name="placement_student_not_educator"
            ),
        ]
        indexes = [models.Index(fields=["status", "stage"])]

    def __str__(self) -> str:
        return f"{self.student.display_name} at {self.setting_name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolios:placement-detail", kwargs={"pk": self.pk})

    @property
    def progress_percent(self) -> int:
        if not self.required_days:
            return 0
        return min(100, round(100 * self.days_completed / self.required_days))

    @property
    def level(self) -> "StudentLevel | None":
        """The framework level the student is assessed at by the end of this placement."""
        return next(
            (lv for lv in self.framework.levels.all() if lv.assessed_at == self.stage), None
        )


class PlacementStatusChange(models.Model):
    """Who moved a placement from one status to another, when, and why."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=Placement.Status.choices)
    to_status = models.CharField(max_length=24, choices=Placement.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class PlacementWriteReopening(models.Model):
    """A coordinator reopened a closed placement for writing: who, when, until when, and why."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reopenings")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField()
    open_until = models.DateTimeField()
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reopened for writing until {self.open_until:%d %b %Y}"


class PlacementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Placement, on_delete=models.CASCADE)


class PlacementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Placement, on_delete=models.CASCADE)


class CohortUpload(models.Model):
    """A cohort CSV a coordinator uploaded: kept, under a random name, from its preview until
    it is imported, so the import reads exactly the bytes that were previewed (its SHA-256).
    The file is deleted once imported; the row stays as the record of who imported what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    university = models.ForeignKey(University, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="cohort-imports/", blank=True)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    placements_created = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    # A large file is imported by the task worker: when it was handed over, and, if the
    # import stopped (nothing imported), when and why.
    queued_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    import_errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    class State:
        PREVIEWED = "previewed"
        QUEUED = "queued"
        IMPORTED = "imported"
        FAILED = "failed"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.university})"

    def get_absolute_url(self) -> str:
        return reverse("portfolios:cohort-import-preview", kwargs={"pk": self.pk})

    @property
    def state(self) -> str:
        if self.imported_at:
            return self.State.IMPORTED
        if self.queued_at:
            return self.State.QUEUED
        if self.failed_at:
            return self.State.FAILED
        return self.State.PREVIEWED
