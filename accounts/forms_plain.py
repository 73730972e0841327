"""What every form here does to its text fields, so no form can forget: each has a length
limit, stated beside it and enforced, and a refusal reads as a sentence."""

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

# A field declared without a limit still gets one: nothing typed may be unbounded.
FALLBACK_MAX_LENGTH = 10_000

NULL_CHARACTER_MESSAGE = (
    "This text contains a hidden character that cannot be saved (a null character). "
    "Please retype or paste it again as plain text."
)


def use_plain_null_character_message() -> None:
    """Django's own "Null characters are not allowed." means nothing to a social worker. Every
    CharField (ours, the admin's, model forms') builds this validator, so set it once."""
    ProhibitNullCharactersValidator.message = NULL_CHARACTER_MESSAGE


# Far above any passphrase a person types, far below what would make hashing a weapon.
PASSWORD_MAX_LENGTH = 128


def state_limit(field: forms.Field) -> None:
    """Give a text field a limit if it has none, say it in the help text and in the message."""
    if not isinstance(field, forms.CharField):
        return
    if field.max_length is None:
        is_password = isinstance(field.widget, forms.PasswordInput)
        field.max_length = PASSWORD_MAX_LENGTH if is_password else FALLBACK_MAX_LENGTH
        field.validators.append(MaxLengthValidator(field.max_length))
        field.widget.attrs.update(field.widget_attrs(field.widget))
    limit = f"Up to {field.max_length:,} characters."
    help_text = str(field.help_text or "")
    if limit not in help_text:
        field.help_text = f"{help_text} {limit}".strip()
    field.error_messages.setdefault(
        "max_length",
        f"Please shorten this to {field.max_length:,} characters or fewer (it has %(show_value)s).",
    )


class StatedLimitsMixin:
    """Put first in a form's bases. Fields a form adds in its own __init__ (one per domain,
    say) come after this mixin's __init__, so the limits are stated when the form is first
    rendered or cleaned instead."""

    def _state_limits(self) -> None:
        for field in self.fields.values():
            state_limit(field)

    def __getitem__(self, name):
        self._state_limits()
        return super().__getitem__(name)

    def full_clean(self):
        self._state_limits()
        return super().full_clean()
