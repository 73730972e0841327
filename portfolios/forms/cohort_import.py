from django import forms

from accounts.forms_plain import StatedLimitsMixin
from accounts.models import User
from portfolios.cohort_import import MAX_BYTES
from portfolios.selectors import universities_overseen_by


class CohortUploadForm(StatedLimitsMixin, forms.Form):
    university = forms.ModelChoiceField(queryset=None, empty_label=None)
    file = forms.FileField(
        label="CSV file",
        help_text=f"A CSV file of up to {MAX_BYTES // (1024 * 1024)} MB, with the columns below.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities_overseen_by(user=user)
        self.fields["university"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"This file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split the cohort "
                "into smaller files."
            )
        return upload
