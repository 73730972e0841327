"""No email address reaches the log: a filter on the log handler redacts any address in a
message, its arguments or a traceback; django-axes masks the email and address it warns about
(its AXES_SENSITIVE_PARAMETERS default), which a test here holds it to."""

import contextlib
import io
import logging

import pytest
from django.urls import reverse

from privacy.log_redaction import RedactEmails


@contextlib.contextmanager
def written_log():
    """What the configured handler writes, caught in a buffer."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactEmails) for f in h.filters)
    ]
    buffer = io.StringIO()
    # Swapped directly, not with setStream(): that flushes the old stream, which pytest may
    # already have closed when an earlier test captured the output.
    previous, handler.stream = handler.stream, buffer
    try:
        yield buffer
    finally:
        handler.stream = previous


def test_an_email_in_a_message_or_its_arguments_is_redacted():
    with written_log() as log:
        logging.getLogger("anything").warning("Sent to %s", "amara.okafor@uni.example.ac.uk")
        logging.getLogger("anything").error("Mail for o'brien+x@example.org bounced")

    assert "@" not in log.getvalue()
    assert log.getvalue().count("[email removed]") == 2
    assert "Sent to [email removed]" in log.getvalue()


def test_an_email_in_a_traceback_is_redacted():
    with written_log() as log:
        try:
            raise ValueError("duplicate key (email)=(helen.price@example.org)")
        except ValueError:
            logging.getLogger("anything").exception("Saving failed")

    assert "helen.price" not in log.getvalue()
    assert "ValueError: duplicate key (email)=([email removed])" in log.getvalue()


def test_text_without_an_address_is_left_alone():
    with written_log() as log:
        logging.getLogger("anything").warning("Saving failed on %s (%s)", "page", "Error")

    assert "Saving failed on page (Error)" in log.getvalue()


@pytest.mark.django_db
def test_repeated_failed_sign_ins_log_neither_the_email_nor_the_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    with written_log() as log:
        for _ in range(3):
            client.post(
                reverse("accounts:login"),
                {"username": "someone@example.org", "password": "wrong"},
                REMOTE_ADDR="198.51.100.7",
            )

    text = log.getvalue()
    assert "AXES" in text
    assert "someone" not in text and "198.51.100.7" not in text
