from django_tasks import task

from notifications.services import deliver


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one notification; retries are scheduled by `deliver` itself, with a back-off."""
    return deliver(notification_id=notification_id)
