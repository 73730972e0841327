"""The attendance log: the days a student was on placement, at study, or absent. Days completed
are counted from the confirmed rows only, never typed."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from portfolios.models.base import TimeStamped
from portfolios.models.immutability import Lockable, LockableManager, lock_trigger
from portfolios.models.placements import Placement

DAY_CONFIRMED = (
    "This day has been confirmed, so it can no longer be changed or removed: the days a "
    "placement counts rest on it."
)


class AttendanceDay(Lockable, TimeStamped):
    class Portion(models.TextChoices):
        FULL = "full", "Full day"
        HALF = "half", "Half day"

    class Kind(models.TextChoices):
        PLACEMENT = "placement", "Placement day"
        STUDY = "study", "Study day"
        ABSENCE = "absence", "Absence"

    # Study days agreed in the learning agreement count towards the placement's days.
    COUNTED_KINDS = (Kind.PLACEMENT, Kind.STUDY)

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField()
    portion = models.CharField(max_length=4, choices=Portion.choices, default=Portion.FULL)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PLACEMENT)
    absence_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = LockableManager()
    lock_message = DAY_CONFIRMED

    class Meta:
        ordering = ["date"]
        verbose_name = "attendance day"
        constraints = [
            models.UniqueConstraint(fields=["placement", "date"], name="attendance_one_per_day")
        ]
        indexes = [models.Index(fields=["placement", "confirmed_at"])]
        triggers = [
            lock_trigger("attendance", lock_sql="R.confirmed_at IS NOT NULL", message=DAY_CONFIRMED)
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.get_kind_display()} ({self.get_portion_display()})"

    @property
    def days(self) -> Decimal:
        return Decimal("1") if self.portion == self.Portion.FULL else Decimal("0.5")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @classmethod
    def locked_q(cls) -> models.Q:
        return models.Q(confirmed_at__isnull=False)
