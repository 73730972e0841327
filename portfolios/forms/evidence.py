from django import forms
from django.conf import settings
from django.utils import timezone

from accounts.forms_plain import StatedLimitsMixin
from portfolios.forms.placements import DateInput
from portfolios.models import DirectObservation, Evidence, Placement, ServiceUserFeedback
from portfolios.services.evidence import MappingInput
from portfolios.uploads import ALLOWED_TYPES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by its content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def accepted_types_text() -> str:
    labels = sorted({t.label for t in ALLOWED_TYPES.values()})
    return ", ".join(labels)


# Generous: a long critical reflection runs to a few thousand words.
REFLECTION_MAX_LENGTH = 20_000


class EvidenceForm(StatedLimitsMixin, forms.Form):
    """The evidence item and, for each domain of the placement's framework, whether it shows
    that domain and why. Domain fields are made per framework, named map_<id> / note_<id>."""

    kind = forms.ChoiceField(
        label="Kind",
        # No default: a kind picked for the student would file the item under the wrong heading.
        choices=[("", "Choose the kind")] + Evidence.Kind.choices,
        error_messages={"required": "Please choose the kind of evidence this is."},
    )
    title = forms.CharField(max_length=200)
    practice_date = forms.DateField(widget=DateInput, label="Date of the practice")
    reflection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=REFLECTION_MAX_LENGTH,
        label="Reflection",
        help_text="Write in plain text; **bold**, *italics*, lists and headings (#) work too.",
    )
    files = MultipleFileField(required=False)
    # Direct observations: the planning discussion before, and what happened.
    planning_notes = forms.CharField(
        label="Planning discussion",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you and your educator agreed before the observation.",
    )
    observer = forms.ChoiceField(
        label="Who observed you",
        choices=DirectObservation.Observer.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Observations by your practice educator count towards the programme's "
        "minimum once your educator has accepted them.",
    )
    observer_name = forms.CharField(
        label="The observer's name and role",
        required=False,
        max_length=120,
        help_text="Only if someone other than your educator or on-site supervisor observed.",
    )
    observation_record = forms.CharField(
        label="What happened",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="An account of the practice that was observed. Your reflection on it goes in "
        "the Reflection box below.",
    )
    # Supervision records.
    attendees = forms.CharField(label="Who was there", required=False, max_length=300)
    agenda = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    supervision_notes = forms.CharField(
        label="Notes", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    agreed_actions = forms.CharField(
        label="Agreed actions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.domains = list(placement.framework.domains.all())
        for domain in self.domains:
            self.fields[f"map_{domain.pk}"] = forms.BooleanField(
                required=False, label=f"Shows “{domain.name}”"
            )
            self.fields[f"note_{domain.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                label=f"Why this shows {domain.name}",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["files"].help_text = (
            f"Up to {settings.EVIDENCE_MAX_UPLOAD_MB} MB each. Accepted: "
            f"{accepted_types_text()}. You can choose several files at once."
        )

    def domain_rows(self):
        """(domain, checkbox field, note field) for the template."""
        return [(d, self[f"map_{d.pk}"], self[f"note_{d.pk}"]) for d in self.domains]

    def clean_practice_date(self):
        value = self.cleaned_data["practice_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the practice cannot be in the future.")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Evidence.Kind.SUPERVISION and not cleaned.get("attendees"):
            self.add_error("attendees", "Please say who was at the supervision.")
        if cleaned.get("kind") == Evidence.Kind.DIRECT_OBSERVATION and not cleaned.get("observer"):
            self.add_error("observer", "Please say who observed you.")
        for domain in self.domains:
            if (
                cleaned.get(f"map_{domain.pk}")
                and not (cleaned.get(f"note_{domain.pk}") or "").strip()
            ):
                self.add_error(
                    f"note_{domain.pk}",
                    f"Please say in a sentence or two why this evidence shows {domain.name}.",
                )
        return cleaned

    def mappings(self) -> list[MappingInput]:
        return [
            MappingInput(domain=d, note=self.cleaned_data[f"note_{d.pk}"])
            for d in self.domains
            if self.cleaned_data.get(f"map_{d.pk}")
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "practice_date": data["practice_date"],
            "reflection": data["reflection"],
            "mappings": self.mappings(),
            "details": {
                "planning_notes": data["planning_notes"],
                "observation_record": data["observation_record"],
                "observer": data["observer"],
                "observer_name": data["observer_name"],
                "attendees": data["attendees"],
                "agenda": data["agenda"],
                "notes": data["supervision_notes"],
                "agreed_actions": data["agreed_actions"],
            },
        }

    @staticmethod
    def initial_from(evidence: Evidence) -> dict:
        initial = {
            "kind": evidence.kind,
            "title": evidence.title,
            "practice_date": evidence.practice_date,
            "reflection": evidence.reflection,
        }
        observation = getattr(evidence, "observation", None)
        if observation is not None:
            initial["planning_notes"] = observation.planning_notes
            initial["observation_record"] = observation.observation_record
            initial["observer"] = observation.observer
            initial["observer_name"] = observation.observer_name
        supervision = getattr(evidence, "supervision", None)
        if supervision is not None:
            initial["attendees"] = supervision.attendees
            initial["agenda"] = supervision.agenda
            initial["supervision_notes"] = supervision.notes
            initial["agreed_actions"] = supervision.agreed_actions
        for mapping in evidence.mappings.all():
            initial[f"map_{mapping.domain_id}"] = True
            initial[f"note_{mapping.domain_id}"] = mapping.note
        return initial


class EvidenceReviewForm(StatedLimitsMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("revise", "Ask for a revision")],
        error_messages={
            "required": "Please choose whether to accept the evidence or ask for a revision.",
            "invalid_choice": "Please choose whether to accept the evidence or ask for a revision.",
        },
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Please keep the comment under 5,000 characters."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "revise" and not (cleaned.get("comment") or "").strip():
            self.add_error(
                "comment", "Please say what the student should change before resubmitting."
            )
        return cleaned


class CommentForm(StatedLimitsMixin, forms.Form):
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Please write your comment before sending it."},
    )


class ConfidentialNamesForm(StatedLimitsMixin, forms.Form):
    names = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        label="Names to keep out",
        help_text=(
            "One per line: the names of people you work with on this placement. They are looked "
            "for in your evidence before you submit it. Only you and your educator see this list."
        ),
    )


class SupervisionRecordForm(StatedLimitsMixin, forms.Form):
    practice_date = forms.DateField(widget=DateInput, label="Date of the supervision")
    attendees = forms.CharField(label="Who was there", max_length=300)
    agenda = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    agreed_actions = forms.CharField(
        label="Agreed actions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackRequestForm(StatedLimitsMixin, forms.Form):
    work_description = forms.CharField(
        label="What is the feedback about?",
        max_length=200,
        help_text="In words the person will recognise, e.g. “our meeting at your home on "
        "Tuesday 3 March”. They will see this at the top of the page.",
    )


class ServiceUserFeedbackForm(StatedLimitsMixin, forms.Form):
    """The public, easy-read form. Plain words; nothing but consent is compulsory."""

    Rating = ServiceUserFeedback.Rating
    consent = forms.BooleanField(
        label="I am happy for my feedback to be shared with the student, their practice "
        "educator and their university.",
        error_messages={"required": "Please tick this box if you are happy to share."},
    )
    relationship = forms.ChoiceField(
        label="Who are you?",
        choices=ServiceUserFeedback.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one answer."},
    )
    listened = forms.ChoiceField(
        label="Did the student listen to you?",
        choices=ServiceUserFeedback.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one answer."},
    )
    respected = forms.ChoiceField(
        label="Did the student treat you with respect?",
        choices=ServiceUserFeedback.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one answer."},
    )
    went_well = forms.CharField(
        label="What did the student do well?",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    could_improve = forms.CharField(
        label="What could the student do better?",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    given_name = forms.CharField(
        label="Your name (you do not have to tell us)",
        required=False,
        max_length=100,
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("went_well", "").strip() or cleaned.get("could_improve", "").strip()):
            self.add_error("went_well", "Please write something in at least one of these boxes.")
        return cleaned


class ObservationFeedbackForm(StatedLimitsMixin, forms.Form):
    """One box per domain the observation was mapped to, named fb_<domain id>."""

    def __init__(self, *args, domains, existing: dict, word: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"fb_{domain.pk}"] = forms.CharField(
                label=f"{domain.order}. {domain.name}",
                required=False,
                max_length=5000,
                initial=existing.get(domain.pk, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"Your feedback against this {word}.",
            )

    def feedback(self) -> dict:
        return {d: self.cleaned_data[f"fb_{d.pk}"] for d in self.domains}
