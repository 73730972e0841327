"""Capability frameworks, their domains and levels, and grading scales: data, versioned.

A framework version or grading scale that any placement uses is frozen: what signed reviews
say rests on its names, descriptors and grades. A change is a new version (a new row).
"""

from django.db import models

from portfolios.models.base import TimeStamped
from portfolios.models.immutability import Lockable, LockableManager, lock_trigger

FRAMEWORK_IN_USE = (
    "This framework version is used by a placement, so it can no longer change. Publish the "
    "change as a new version of the framework."
)
SCALE_IN_USE = (
    "This grading scale is used by a placement, so it can no longer change. Add a new "
    "grading scale instead."
)


def _framework_used_sql(column: str) -> str:
    return f"EXISTS (SELECT 1 FROM portfolios_placement p WHERE p.framework_id = {column})"


def _scale_used_sql(column: str) -> str:
    return f"EXISTS (SELECT 1 FROM portfolios_placement p WHERE p.grading_scale_id = {column})"


def _framework_in_use(path: str) -> models.Q:
    from portfolios.models.placements import Placement

    return models.Q(models.Exists(Placement.objects.filter(framework=models.OuterRef(path))))


def _scale_in_use(path: str) -> models.Q:
    from portfolios.models.placements import Placement

    return models.Q(models.Exists(Placement.objects.filter(grading_scale=models.OuterRef(path))))


class CapabilityFrameworkManager(LockableManager):
    def get_by_natural_key(self, code, version):
        return self.get(code=code, version=version)


class CapabilityFramework(Lockable, TimeStamped):
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
    lock_message = FRAMEWORK_IN_USE

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="framework_code_version_unique"
            )
        ]
        triggers = [
            lock_trigger(
                "framework",
                lock_sql=_framework_used_sql("R.id"),
                message=FRAMEWORK_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def natural_key(self):
        return (self.code, self.version)

    @classmethod
    def locked_q(cls) -> models.Q:
        return _framework_in_use("pk")


class StudentLevelManager(LockableManager):
    def get_by_natural_key(self, framework_code, framework_version, code):
        return self.get(
            framework__code=framework_code, framework__version=framework_version, code=code
        )


class StudentLevel(Lockable, models.Model):
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
    lock_message = FRAMEWORK_IN_USE
    lock_parent = "framework"

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="level_framework_code_unique"
            )
        ]
        triggers = [
            lock_trigger(
                "level",
                lock_sql=_framework_used_sql("R.framework_id"),
                new_rows=True,
                message=FRAMEWORK_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["portfolios.capabilityframework"]

    @classmethod
    def locked_q(cls) -> models.Q:
        return _framework_in_use("framework")


class DomainManager(LockableManager):
    def get_by_natural_key(self, framework_code, framework_version, code):
        return self.get(
            framework__code=framework_code, framework__version=framework_version, code=code
        )


class Domain(Lockable, models.Model):
    framework = models.ForeignKey(
        CapabilityFramework, on_delete=models.CASCADE, related_name="domains"
    )
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = DomainManager()
    lock_message = FRAMEWORK_IN_USE
    lock_parent = "framework"

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
        triggers = [
            lock_trigger(
                "domain",
                lock_sql=_framework_used_sql("R.framework_id"),
                new_rows=True,
                message=FRAMEWORK_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["portfolios.capabilityframework"]

    @classmethod
    def locked_q(cls) -> models.Q:
        return _framework_in_use("framework")


class LevelDescriptorManager(LockableManager):
    def get_by_natural_key(self, framework_code, framework_version, domain_code, level_code):
        return self.get(
            domain__framework__code=framework_code,
            domain__framework__version=framework_version,
            domain__code=domain_code,
            level__code=level_code,
        )


class LevelDescriptor(Lockable, models.Model):
    """What a domain looks like at one student level."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(StudentLevel, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField()

    objects = LevelDescriptorManager()
    lock_message = FRAMEWORK_IN_USE
    lock_parent = "domain"

    class Meta:
        ordering = ["domain", "level__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "level"], name="descriptor_domain_level_unique"
            )
        ]
        triggers = [
            lock_trigger(
                "descriptor",
                lock_sql=(
                    "EXISTS (SELECT 1 FROM portfolios_domain d JOIN portfolios_placement p "
                    "ON p.framework_id = d.framework_id WHERE d.id = R.domain_id)"
                ),
                new_rows=True,
                message=FRAMEWORK_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain.name} — {self.level.name}"

    def natural_key(self):
        return (*self.domain.natural_key(), self.level.code)

    natural_key.dependencies = ["portfolios.domain", "portfolios.studentlevel"]

    @classmethod
    def locked_q(cls) -> models.Q:
        return _framework_in_use("domain__framework")


class GradingScaleManager(LockableManager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class GradingScale(Lockable, TimeStamped):
    """An ordered set of grades; a grade whose value reaches `pass_value` meets the threshold."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pass_value = models.PositiveSmallIntegerField(
        help_text="The value of the lowest grade that meets the pass threshold."
    )

    objects = GradingScaleManager()
    lock_message = SCALE_IN_USE

    class Meta:
        ordering = ["name"]
        triggers = [
            lock_trigger(
                "scale",
                lock_sql=_scale_used_sql("R.id"),
                message=SCALE_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.code,)

    @classmethod
    def locked_q(cls) -> models.Q:
        return _scale_in_use("pk")


class GradeManager(LockableManager):
    def get_by_natural_key(self, scale_code, code):
        return self.get(scale__code=scale_code, code=code)


class Grade(Lockable, models.Model):
    scale = models.ForeignKey(GradingScale, on_delete=models.CASCADE, related_name="grades")
    value = models.PositiveSmallIntegerField(help_text="Higher is better; orders the scale.")
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    objects = GradeManager()
    lock_message = SCALE_IN_USE
    lock_parent = "scale"

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="grade_scale_code_unique"),
            models.UniqueConstraint(fields=["scale", "value"], name="grade_scale_value_unique"),
        ]
        triggers = [
            lock_trigger(
                "grade",
                lock_sql=_scale_used_sql("R.scale_id"),
                new_rows=True,
                message=SCALE_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (*self.scale.natural_key(), self.code)

    natural_key.dependencies = ["portfolios.gradingscale"]

    @property
    def meets_threshold(self) -> bool:
        return self.value >= self.scale.pass_value

    @classmethod
    def locked_q(cls) -> models.Q:
        return _scale_in_use("scale")
