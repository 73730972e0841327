"""Capability frameworks, their domains and levels, and grading scales: data, versioned."""

from django.db import models

from portfolios.models.base import TimeStamped


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
