from django.conf import settings
from django.db import models
from django.db.models import Q

from notifications.events import WORDING, Event


class Notification(models.Model):
    """One email owed to one person: the record of what was sent, when, and what went wrong.

    Only the event, a link and the few context fields its sentence names are kept, never the
    case detail behind them."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the daily digest"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        IN_DIGEST = "in_digest", "Sent in a daily digest"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not sent: its link no longer works"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    link = models.CharField(
        max_length=500,
        blank=True,
        help_text="A path on this site, behind the sign-in. Empty for an invitation or a "
        "password reset: their link holds a secret, made by the worker as it sends the email.",
    )
    # The invitation an INVITATION email carries a link for; its token is never stored.
    invitation = models.ForeignKey(
        "accounts.Invitation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # Set on a digest only: one digest per person per day.
    digest_date = models.DateField(null=True, blank=True)
    # Set on reminders found by a periodic run, so the same reminder is never sent twice.
    once_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "recipient"], name="notif_status_recipient")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_date"],
                condition=Q(digest_date__isnull=False),
                name="notif_one_digest_per_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "event", "once_key"],
                condition=~Q(once_key=""),
                name="notif_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} for {self.recipient.email}"

    @property
    def subject(self) -> str:
        return WORDING[self.event].subject.format(**self.context)

    @property
    def action(self) -> str:
        return WORDING[self.event].action.format(**self.context)

    @property
    def link_text(self) -> str:
        """What following the link does, in words: a digest line's link, an email's button."""
        return WORDING[self.event].link_text.format(**self.context)

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.link}"


class MailPreference(models.Model):
    """How a person likes to be told: each email at once, or one summary a day."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Each email as it happens"
        DAILY = "daily", "One summary email a day"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_preference",
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user.email}: {self.get_frequency_display().lower()}"
