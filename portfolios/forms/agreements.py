"""The learning agreement's form (one page: how the placement runs, then a goal per domain)
and the amendment form."""

from django import forms

from accounts.forms_plain import StatedLimitsMixin
from portfolios.models import LearningAgreement
from portfolios.services.agreements import AGREEMENT_FIELDS, GOAL_MAX_LENGTH


class AgreementForm(StatedLimitsMixin, forms.Form):
    """The agreement's own fields, labelled as on the model, and a box per domain named
    goal_<domain id>."""

    def __init__(self, *args, domains, agreement: LearningAgreement | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(LearningAgreement, fields=AGREEMENT_FIELDS))
        for name in AGREEMENT_FIELDS:
            field = self.fields[name]
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            if agreement is not None:
                field.initial = getattr(agreement, name)
        self.fields["induction"].help_text = "What the student's first days and weeks hold."
        self.fields["study_days"].help_text = "How many, and how they are arranged."
        self.fields[
            "concerns_process"
        ].help_text = (
            "Who the student, educator or supervisor speaks to first, and when the tutor is told."
        )
        existing = (
            {g.domain_id: g.text for g in agreement.goals.all()} if agreement is not None else {}
        )
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"goal_{domain.pk}"] = forms.CharField(
                label=f"{domain.order}. {domain.name}",
                required=False,
                max_length=GOAL_MAX_LENGTH,
                initial=existing.get(domain.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def goal_fields(self):
        return [self[f"goal_{d.pk}"] for d in self.domains]

    def agreement_fields(self):
        return [self[name] for name in AGREEMENT_FIELDS]

    def values(self) -> dict:
        """What the service takes: the agreement's fields and the goals by domain."""
        values = {name: self.cleaned_data[name] for name in AGREEMENT_FIELDS}
        values["goals"] = {d: self.cleaned_data[f"goal_{d.pk}"] for d in self.domains}
        return values


class AgreementAmendForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="Why the agreement needs to change",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone will see this reason and sign the amended agreement again.",
        error_messages={"required": "Please give the reason for the amendment."},
    )
