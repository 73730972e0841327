"""The demo's notifications: the on-site supervisor reads one summary a day, and the daily
reminders (action plans at their review date, attendance unconfirmed for two weeks) are found
as the daily run would find them. Seeded delivered-quietly, like the rest of the demo."""

from accounts.roles import Role
from assessments.notices import reminders_send
from notifications.models import MailPreference
from notifications.services import mail_preference_set


def seed_notifications(people: dict) -> None:
    mail_preference_set(user=people[Role.SUPERVISOR], frequency=MailPreference.Frequency.DAILY)
    reminders_send()
