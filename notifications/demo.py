import logging
from contextlib import contextmanager

from django.test import override_settings

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@contextmanager
def delivered_quietly():
    """While the demo is seeded, its notifications are delivered at once into a mailbox in
    memory: they are recorded as sent (the admin lists them) but nobody receives them, the demo's
    mail folder starts empty, and the console shows only the logins."""
    tasks_logger = logging.getLogger("django_tasks")
    level = tasks_logger.level
    tasks_logger.setLevel(logging.WARNING)
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", TASKS=IMMEDIATE
        ):
            yield
    finally:
        tasks_logger.setLevel(level)
