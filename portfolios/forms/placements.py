from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError

from accounts.forms_plain import StatedLimitsMixin
from accounts.models import User
from accounts.roles import Role
from portfolios.models import CapabilityFramework, GradingScale, Placement, PracticeArea
from portfolios.selectors import programmes_visible_to, users_with_role


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.email})"


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id too large for the database with the usual "not a valid choice" message,
    where Django would pass it to an `__in` query that SQLite cannot run."""

    largest_id = 2**63 - 1

    def _check_values(self, value):
        for item in value:
            try:
                too_large = abs(int(item)) > self.largest_id
            except (TypeError, ValueError):
                continue
            if too_large:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    """A date picker. Browsers only read ISO dates in it, whatever the display language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's own name)
        super().__init__(attrs=attrs, format=format)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class PlacementPeopleMixin(StatedLimitsMixin, forms.Form):
    educator = PersonChoiceField(queryset=User.objects.none(), label="Practice educator")
    supervisor = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="On-site supervisor",
        help_text="Only when the practice educator is not based at the setting.",
    )
    tutor = PersonChoiceField(queryset=User.objects.none(), label="Tutor")
    setting_name = forms.CharField(
        label="Setting",
        max_length=200,
        help_text="The agency or team, e.g. Northtown Adults' Team.",
    )
    practice_area = forms.ModelChoiceField(queryset=PracticeArea.objects.all(), required=False)
    start_date = forms.DateField(widget=DateInput)
    end_date = forms.DateField(widget=DateInput)

    def _limit_people(self) -> None:
        self.fields["educator"].queryset = users_with_role(Role.EDUCATOR)
        self.fields["supervisor"].queryset = User.objects.filter(
            groups__name__in=[Role.SUPERVISOR, Role.EDUCATOR], is_active=True
        ).distinct()
        self.fields["tutor"].queryset = users_with_role(Role.TUTOR)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class PlacementCreateForm(PlacementPeopleMixin):
    student = PersonChoiceField(queryset=User.objects.none())
    programme = forms.ModelChoiceField(queryset=None)
    stage = forms.ChoiceField(choices=Placement.Stage.choices)
    required_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        required=False,
        help_text="Leave blank for the usual 70 days (first) or 100 days (final).",
    )

    field_order = [
        "student",
        "programme",
        "stage",
        "educator",
        "supervisor",
        "tutor",
        "setting_name",
        "practice_area",
        "start_date",
        "end_date",
        "required_days",
    ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_people()
        self.fields["student"].queryset = users_with_role(Role.STUDENT)
        self.fields["programme"].queryset = programmes_visible_to(user=user)
        self.helper = FormHelper()
        # Our own messages, beside each field, rather than the browser's pop-ups.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Row(Column("student"), Column("programme"), Column("stage")),
            Row(Column("educator"), Column("supervisor"), Column("tutor")),
            Row(Column("setting_name"), Column("practice_area")),
            Row(Column("start_date"), Column("end_date"), Column("required_days")),
        )
        self.helper.add_input(Submit("submit", "Create placement"))


class PlacementUpdateForm(PlacementPeopleMixin):
    required_days = forms.IntegerField(min_value=1, max_value=365)
    framework = forms.ModelChoiceField(
        queryset=CapabilityFramework.objects.all(),
        help_text="Fixed once the student has added evidence.",
    )
    grading_scale = forms.ModelChoiceField(queryset=GradingScale.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_people()
        self.helper = FormHelper()
        # Our own messages, beside each field, rather than the browser's pop-ups.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Row(Column("educator"), Column("supervisor"), Column("tutor")),
            Row(Column("setting_name"), Column("practice_area")),
            Row(Column("start_date"), Column("end_date")),
            Row(Column("required_days"), Column("framework"), Column("grading_scale")),
        )
        self.helper.add_input(Submit("submit", "Save changes"))

    @staticmethod
    def initial_from(placement: Placement) -> dict:
        fields = [
            "educator",
            "supervisor",
            "tutor",
            "setting_name",
            "practice_area",
            "start_date",
            "end_date",
            "required_days",
            "framework",
            "grading_scale",
        ]
        return {name: getattr(placement, name) for name in fields}


class PlacementTransitionForm(StatedLimitsMixin, forms.Form):
    to_status = forms.ChoiceField(choices=Placement.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class CohortFilterForm(StatedLimitsMixin, forms.Form):
    programme = forms.ModelChoiceField(queryset=None, required=False, empty_label="All programmes")
    stage = forms.ChoiceField(
        choices=[("", "Both stages"), *Placement.Stage.choices], required=False
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Placement.Status.choices], required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_visible_to(user=user)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class WriteReopenForm(StatedLimitsMixin, forms.Form):
    days = forms.IntegerField(
        label="Reopen for how many days",
        min_value=1,
        max_value=30,
        initial=7,
        help_text="Between 1 and 30 days. Signed reviews and agreements stay as they are.",
    )
    reason = forms.CharField(
        label="Why, and for what",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
