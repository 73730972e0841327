from notifications.models import Notification


class Told:
    """Who was told what by the steps run since it was made: (recipient, event) pairs."""

    def __init__(self):
        self.since = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __call__(self) -> list[tuple]:
        rows = Notification.objects.filter(pk__gt=self.since).order_by("pk")
        new = [(n.recipient, n.event) for n in rows.select_related("recipient")]
        self.since = rows.last().pk if new else self.since
        return new


def rendered(mails) -> list[str]:
    """Every part of every email a person would read: subject, text and HTML."""
    return [
        part
        for mail in mails
        for part in [mail.subject, mail.body, *(content for content, _ in mail.alternatives)]
    ]


def assert_none_of(markers, mails) -> None:
    assert mails, "expected some email to check"
    for part in rendered(mails):
        for marker in markers:
            assert marker not in part, f"{marker!r} reached an email"
