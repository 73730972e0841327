from django import forms

from accounts.forms_plain import StatedLimitsMixin
from portfolios.forms.placements import DateInput
from portfolios.models import AttendanceDay


class AttendanceDayForm(StatedLimitsMixin, forms.Form):
    """One day in the student's log. The service checks the dates and the reason."""

    date = forms.DateField(widget=DateInput, label="Day")
    portion = forms.ChoiceField(
        choices=AttendanceDay.Portion.choices,
        initial=AttendanceDay.Portion.FULL,
        widget=forms.RadioSelect,
        label="Full or half day",
    )
    kind = forms.ChoiceField(
        choices=AttendanceDay.Kind.choices,
        initial=AttendanceDay.Kind.PLACEMENT,
        label="What kind of day",
        help_text="Study days agreed in your learning agreement count towards your days.",
    )
    absence_reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason for an absence",
        help_text="Only for an absence: for example ill, or a family emergency.",
    )


class AttendanceWeekForm(StatedLimitsMixin, forms.Form):
    """The confirm button of one week: any day of it names the week."""

    week_start = forms.DateField()
