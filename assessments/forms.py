from django import forms

from accounts.forms_plain import StatedLimitsMixin
from assessments.models import (
    COUNTERSIGN_COMMENT_MAX,
    PANEL_NOTE_MAX,
    SUPERVISOR_STATEMENT_MAX,
    Concern,
    PanelMeeting,
    Review,
    Suitability,
)
from portfolios.forms.placements import BoundedModelMultipleChoiceField, DateInput
from portfolios.models import Evidence, Grade, PracticeArea


class JudgementForm(StatedLimitsMixin, forms.Form):
    """One domain: grade, narrative, and the evidence it rests on (from the evidence mapped to
    that domain), in the order the educator numbers them."""

    grade = forms.ModelChoiceField(
        queryset=Grade.objects.none(), required=False, widget=forms.RadioSelect, empty_label=None
    )
    narrative = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 14}), max_length=20000
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, grades, evidence, word: str = "domain", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = grades
        self.fields["evidence"].queryset = evidence
        self.fields["grade"].error_messages["invalid_choice"] = (
            "That grade is not on this placement's grading scale."
        )
        self.fields["evidence"].error_messages["invalid_choice"] = (
            f"That evidence cannot be cited here: it is not mapped to this {word} on this "
            "placement."
        )

    def ordered_evidence(self, data) -> list[Evidence]:
        """The ticked evidence, in the order the educator numbered it."""
        chosen = list(self.cleaned_data["evidence"])

        def position(item: Evidence) -> tuple[int, str]:
            try:
                return int(data.get(f"order_{item.pk}", 999)), item.title
            except (TypeError, ValueError):
                return 999, item.title

        return sorted(chosen, key=position)


class StrengthForm(StatedLimitsMixin, forms.Form):
    text = forms.CharField(
        label="A strength",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the student does well, in concrete terms, e.g. “gathers and writes up "
        "assessments clearly and quickly”.",
    )
    domains = BoundedModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, domains, word: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = domains
        self.fields["domains"].label = f"Related {word} (optional)"


class SuitabilityForm(StatedLimitsMixin, forms.Form):
    practice_area = forms.ModelChoiceField(queryset=PracticeArea.objects.all())
    rating = forms.ChoiceField(choices=Suitability.Rating.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text="Required for every rating except “not observed”.",
    )


class OutcomeForm(StatedLimitsMixin, forms.Form):
    summary = forms.CharField(
        label="Overall account",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )
    midpoint_outcome = forms.ChoiceField(
        label="Is the student on track?",
        choices=Review.MidpointOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommendation = forms.ChoiceField(
        choices=Review.Recommendation.choices, widget=forms.RadioSelect, required=False
    )
    recommendation_justification = forms.CharField(
        label="Why this recommendation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
    )
    no_concern_reason = forms.CharField(
        label="Why no concern was raised",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
    )
    recommendation_domains = BoundedModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        framework = review.placement.framework
        self.fields["recommendation_domains"].queryset = framework.domains.all()
        self.fields[
            "recommendation_domains"
        ].label = f"The {framework.domain_word_plural} a fail or defer rests on"
        if review.is_final:
            del self.fields["midpoint_outcome"]
            self.fields["no_concern_reason"].help_text = (
                "Only for a fail or defer when no concern was raised at least "
                f"{review.placement.programme.concern_notice_days} days before signing: why the "
                "student was not told earlier."
            )
        else:
            for name in (
                "recommendation",
                "recommendation_justification",
                "recommendation_domains",
            ):
                del self.fields[name]
            self.fields["no_concern_reason"].help_text = (
                f"Only when a {framework.domain_word} is below “on track” and no concern names "
                "it: why none is needed."
            )


class ReasonForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AcknowledgeForm(StatedLimitsMixin, forms.Form):
    comment = forms.CharField(
        label="Your comments (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="Anything you want the tutor and the panel to read alongside the report.",
    )


class ConcernForm(StatedLimitsMixin, forms.Form):
    description = forms.CharField(
        label="What is the concern?", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    review_date = forms.DateField(widget=DateInput, label="Review the plan on")

    def __init__(self, *args, domains, word: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"target_{domain.pk}"] = forms.CharField(
                label=f"{domain.order}. {domain.name}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"The target for this {word}, if the concern touches it.",
            )

    def targets(self) -> dict:
        return {d: self.cleaned_data.get(f"target_{d.pk}", "") for d in self.domains}


class ConcernOutcomeForm(StatedLimitsMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=[c for c in Concern.Outcome.choices if c[0] != Concern.Outcome.OPEN],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    review_date = forms.DateField(
        widget=DateInput, required=False, label="New review date (if extended)"
    )


class ReviewCommentForm(StatedLimitsMixin, forms.Form):
    text = forms.CharField(
        label="Comment for the educator",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Please write your comment before sending it."},
    )


class SelfAssessmentForm(StatedLimitsMixin, forms.Form):
    """The student's own rating and a short account, for every domain of the framework."""

    def __init__(self, *args, domains, grades, word: str = "domain", **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            grade = forms.ModelChoiceField(
                queryset=grades,
                required=False,
                empty_label="Not rated yet",
                label="Your rating",
            )
            grade.error_messages["invalid_choice"] = (
                "That rating is not on this placement's grading scale."
            )
            self.fields[f"grade_{domain.pk}"] = grade
            self.fields[f"narrative_{domain.pk}"] = forms.CharField(
                label="Why: what you did that shows it",
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=f"Up to 300 words, about this {word} only.",
                error_messages={"max_length": "Please keep this under 3,000 characters."},
            )

    def rows(self):
        """Each domain with its two fields, for the template to group under one heading."""
        return [
            (domain, self[f"grade_{domain.pk}"], self[f"narrative_{domain.pk}"])
            for domain in self.domains
        ]

    def ratings(self) -> dict:
        return {
            d: (self.cleaned_data.get(f"grade_{d.pk}"), self.cleaned_data.get(f"narrative_{d.pk}"))
            for d in self.domains
        }


class CountersignForm(StatedLimitsMixin, forms.Form):
    comment = forms.CharField(
        label="Your comment for the panel (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COUNTERSIGN_COMMENT_MAX,
        help_text="It goes to the panel with the report and is printed in it.",
    )
    # Not required here, so the service's sentence is the one shown beside it.
    confirmed = forms.BooleanField(
        label="I have read this report and countersign it", required=False
    )


class _PanelDecisionForm(StatedLimitsMixin, forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=PanelMeeting.objects.none(),
        required=False,
        label="At the panel meeting",
        empty_label="Choose the meeting",
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].error_messages["invalid_choice"] = (
            "Choose a panel meeting of this placement's university that you attended."
        )


class RatifyForm(_PanelDecisionForm):
    note = forms.CharField(
        label="The panel's note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=PANEL_NOTE_MAX,
        help_text="Printed in the report beside the panel's decision.",
    )


class ReturnForm(_PanelDecisionForm):
    reason = forms.CharField(
        label="What the panel needs before it can ratify",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The educator reads this in the new version of the review.",
    )


class PanelMeetingForm(StatedLimitsMixin, forms.Form):
    university = forms.ModelChoiceField(queryset=None, empty_label=None)
    date = forms.DateField(widget=DateInput, label="Date of the meeting")
    members = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Panel members present",
    )

    def __init__(self, *args, universities, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda user: user.display_name
        only = list(universities[:2])
        if len(only) == 1:
            self.fields["university"].widget = forms.HiddenInput()
            self.fields["university"].initial = only[0].pk


class LearningNeedForm(StatedLimitsMixin, forms.Form):
    """An area for development carried into the first year in practice (the ASYE)."""

    area = forms.CharField(
        label="Area for development",
        max_length=200,
        help_text="e.g. “Court skills” or “Working with interpreters”.",
    )
    development = forms.CharField(
        label="What to develop",
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the student should build on in their first year, in concrete terms.",
    )
    support = forms.CharField(
        label="Suggested support",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: shadowing, training or supervision that would help.",
    )


class SupervisorStatementForm(StatedLimitsMixin, forms.Form):
    text = forms.CharField(
        label="Your statement",
        max_length=SUPERVISOR_STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you saw of the student's day-to-day practice in your setting. It is "
        "printed in the final report under your name; leave it empty to withdraw it.",
    )
