from django import forms

from notifications.models import MailPreference


class MailPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How would you like to hear what needs you?",
        choices=MailPreference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=(
            "The daily summary goes out once each morning with everything that arrived since "
            "the last one. Invitations and password emails always come at once."
        ),
    )
