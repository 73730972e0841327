import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- Frameworks -------------------------------------------------------------------------------


class CapabilityFrameworkManager(models.Manager):
    def get_by_natural_key(self, code, version):
        return self.get(code=code, version=version)


class CapabilityFramework(TimeStamped):
    """A versioned set of domains (PCF) or competencies (CSWE) that students are assessed on.

    A placement pins the version it started with; a new version is a new row.
    """

    code = models.CharField(max_length=20, help_text="Short code, e.g. PCF or CSWE-EPAS.")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=20)
    jurisdiction = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    domain_word = models.CharField(
        max_length=40,
        default="domain",
        help_text='What the framework calls one item, e.g. "domain".',
    )
    domain_word_plural = models.CharField(max_length=40, default="domains")
    educator_title = models.CharField(
        max_length=60,
        default="practice educator",
        help_text='What the assessor is called, e.g. "practice educator" or "field instructor".',
    )

    objects = CapabilityFrameworkManager()

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="framework_code_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def natural_key(self):
        return (self.code, self.version)


class StudentLevelManager(models.Manager):
    def get_by_natural_key(self, framework_code, framework_version, code):
        return self.get(
            framework__code=framework_code, framework__version=framework_version, code=code
        )


class StudentLevel(models.Model):
    """A point of progression a framework describes, e.g. "end of first placement"."""

    framework = models.ForeignKey(
        CapabilityFramework, on_delete=models.CASCADE, related_name="levels"
    )
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    assessed_at = models.CharField(
        max_length=10,
        blank=True,
        choices=[("first", "End of a first placement"), ("final", "End of a final placement")],
        help_text="The placement stage whose end this level marks, if any.",
    )

    objects = StudentLevelManager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="level_framework_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["portfolios.capabilityframework"]


class DomainManager(models.Manager):
    def get_by_natural_key(self, framework_code, framework_version, code):
        return self.get(
            framework__code=framework_code, framework__version=framework_version, code=code
        )


class Domain(models.Model):
    framework = models.ForeignKey(
        CapabilityFramework, on_delete=models.CASCADE, related_name="domains"
    )
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = DomainManager()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="domain_framework_code_unique"
            ),
            models.UniqueConstraint(
                fields=["framework", "order"], name="domain_framework_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["portfolios.capabilityframework"]


class LevelDescriptorManager(models.Manager):
    def get_by_natural_key(self, framework_code, framework_version, domain_code, level_code):
        return self.get(
            domain__framework__code=framework_code,
            domain__framework__version=framework_version,
            domain__code=domain_code,
            level__code=level_code,
        )


class LevelDescriptor(models.Model):
    """What a domain looks like at one student level."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(StudentLevel, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField()

    objects = LevelDescriptorManager()

    class Meta:
        ordering = ["domain", "level__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "level"], name="descriptor_domain_level_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain.name} — {self.level.name}"

    def natural_key(self):
        return (*self.domain.natural_key(), self.level.code)

    natural_key.dependencies = ["portfolios.domain", "portfolios.studentlevel"]


# --- Grading ----------------------------------------------------------------------------------


class GradingScaleManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class GradingScale(TimeStamped):
    """An ordered set of grades; a grade whose value reaches `pass_value` meets the threshold."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pass_value = models.PositiveSmallIntegerField(
        help_text="The value of the lowest grade that meets the pass threshold."
    )

    objects = GradingScaleManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.code,)


class GradeManager(models.Manager):
    def get_by_natural_key(self, scale_code, code):
        return self.get(scale__code=scale_code, code=code)


class Grade(models.Model):
    scale = models.ForeignKey(GradingScale, on_delete=models.CASCADE, related_name="grades")
    value = models.PositiveSmallIntegerField(help_text="Higher is better; orders the scale.")
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    objects = GradeManager()

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="grade_scale_code_unique"),
            models.UniqueConstraint(fields=["scale", "value"], name="grade_scale_value_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (*self.scale.natural_key(), self.code)

    natural_key.dependencies = ["portfolios.gradingscale"]

    @property
    def meets_threshold(self) -> bool:
        return self.value >= self.scale.pass_value


# --- Organisations ----------------------------------------------------------------------------


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

    class Meta:
        ordering = ["university__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "name"], name="programme_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.award} {self.name}" if self.award else self.name


# --- Placements -------------------------------------------------------------------------------


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
    days_completed = models.PositiveSmallIntegerField(default=0)
    framework = models.ForeignKey(CapabilityFramework, on_delete=models.PROTECT, related_name="+")
    grading_scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PLANNED)

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


class PlacementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Placement, on_delete=models.CASCADE)


class PlacementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Placement, on_delete=models.CASCADE)


# --- Evidence ---------------------------------------------------------------------------------


class Evidence(TimeStamped):
    """One piece of evidence, entered once; mapped to domains in a later change."""

    class Kind(models.TextChoices):
        DIRECT_OBSERVATION = "direct_observation", "Direct observation"
        CRITICAL_REFLECTION = "critical_reflection", "Critical reflection or process recording"
        SUPERVISION = "supervision", "Supervision record"
        SERVICE_USER_FEEDBACK = "service_user_feedback", "Service user or carer feedback"
        CASE_REVIEW = "case_review", "Case review reflection"
        WRITTEN_WORK = "written_work", "Written work"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    practice_date = models.DateField(help_text="The date of the practice this records.")
    reflection = models.TextField(blank=True)

    class Meta:
        ordering = ["-practice_date", "title"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title
