"""What the retention command removed, and when: the record a data protection officer asks for.
It holds counts only, never what was removed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portfolios.models import Placement


class Anonymisation(models.Model):
    """One placement (or one account) anonymised after its retention period."""

    placement = models.OneToOneField(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="anonymisation"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anonymisation",
    )
    retention_years = models.PositiveSmallIntegerField()
    counts = models.JSONField(default=dict, help_text="What was removed or blanked, by kind.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(placement__isnull=False, user__isnull=True)
                | Q(placement__isnull=True, user__isnull=False),
                name="anonymisation_placement_or_user",
            )
        ]

    def __str__(self) -> str:
        what = "placement" if self.placement_id else "account"
        return f"Anonymised {what} ({self.created_at:%d %b %Y})" if self.created_at else what
