"""Logs carry no evidence text and no identifiers. Our own log calls name only the page and the
kind of error; this is the safety net for everything else that logs (Django, libraries,
tracebacks): any email address in a message, its arguments or a traceback is replaced before
the line is written."""

import logging
import re
import traceback

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[email removed]"


def redact(text: str) -> str:
    return EMAIL.sub(REDACTED, text)


class RedactEmails(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if EMAIL.search(message):
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            # What Formatter.formatException would write, redacted; the formatter uses it as is.
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
