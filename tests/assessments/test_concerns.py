"""Concerns: raised early by the educator or the tutor with an action plan (targets per domain
and a review date), the tutor told at once by email; later an outcome is recorded."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import ActionTarget, Concern
from tests.assessments import builders

Outcome = Concern.Outcome


def raise_concern(cast, **overrides):
    domains = list(cast.placement.framework.domains.all())
    kwargs = {
        "actor": cast.educator,
        "placement": cast.placement,
        "description": "  Late to two visits; records not written up.  ",
        "review_date": builders.days_ahead(14),
        "targets": {domains[0]: "Arrive on time.", domains[4]: "  Write up within a day. "},
    }
    kwargs.update(overrides)
    return services.concern_raise(**kwargs)


@pytest.mark.parametrize("who", ["educator", "tutor"])
def test_the_educator_or_tutor_raises_a_concern_with_an_action_plan(cast, who):
    concern = raise_concern(cast, actor=getattr(cast, who))
    assert concern.raised_by == getattr(cast, who)
    assert concern.description == "Late to two visits; records not written up."
    assert concern.outcome == Outcome.OPEN
    targets = list(concern.targets.values_list("domain__order", "target"))
    assert targets == [(1, "Arrive on time."), (5, "Write up within a day.")]
    assert list(concern.domains.values_list("order", flat=True)) == [1, 5]


@pytest.mark.parametrize(
    "who", ["student", "supervisor", "coordinator", "panel", "other_educator", "other_tutor"]
)
def test_no_one_else_raises_a_concern(cast, who):
    with pytest.raises(PermissionDenied):
        raise_concern(cast, actor=getattr(cast, who))
    assert not Concern.objects.exists()


def test_the_tutor_and_the_student_are_emailed_at_once_with_a_link_and_no_case_detail(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_concern(cast)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.tutor.email, cast.student.email])
    for mail in mailoutbox:
        assert concern.get_absolute_url() in mail.body
        assert "Sign in to read it" in mail.body
    for detail in [
        "Late to two visits",
        cast.student.display_name,
        cast.placement.setting_name,
        f"{concern.review_date:%-d %B %Y}",
    ]:
        assert all(detail not in m.subject + m.body for m in mailoutbox)


def test_no_email_goes_when_the_concern_is_refused(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        raise_concern(cast, targets={})
    assert mailoutbox == []


@pytest.mark.parametrize("targets", [{}, "blank"])
def test_an_action_plan_needs_at_least_one_target(cast, targets):
    if targets == "blank":
        targets = dict.fromkeys(cast.placement.framework.domains.all(), "   ")
    with pytest.raises(ValidationError) as exc:
        raise_concern(cast, targets=targets)
    assert exc.value.message_dict["targets"] == [
        "Set a target for at least one domain in the action plan."
    ]
    assert not Concern.objects.exists()


def test_a_target_cannot_name_another_frameworks_domain(cast):
    foreign = cast.other_placement.framework.domains.first()
    with pytest.raises(ValidationError) as exc:
        raise_concern(cast, targets={foreign: "Do better."})
    assert "targets" in exc.value.message_dict
    assert not ActionTarget.objects.exists()


@pytest.mark.parametrize("days", [0, -1, -30])
def test_the_review_date_must_be_in_the_future(cast, days):
    with pytest.raises(ValidationError) as exc:
        raise_concern(cast, review_date=datetime.date.today() + datetime.timedelta(days=days))
    assert exc.value.message_dict["review_date"] == ["The review date must be in the future."]
    assert not Concern.objects.exists()


def test_a_concern_needs_a_description(cast):
    with pytest.raises(ValidationError) as exc:
        raise_concern(cast, description="  ")
    assert "description" in exc.value.message_dict


# --- Outcomes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.RESOLVED, Outcome.ESCALATED])
@pytest.mark.parametrize("who", ["educator", "tutor"])
def test_the_educator_or_tutor_records_the_outcome(cast, outcome, who):
    concern = raise_concern(cast)
    services.concern_record_outcome(
        actor=getattr(cast, who), concern=concern, outcome=outcome, note="  Sorted.  "
    )
    concern.refresh_from_db()
    assert (concern.outcome, concern.outcome_note) == (outcome, "Sorted.")
    assert concern.outcome_by == getattr(cast, who)
    assert concern.outcome_at is not None


def test_extending_a_plan_sets_the_new_review_date(cast):
    concern = raise_concern(cast)
    new_date = builders.days_ahead(40)
    services.concern_record_outcome(
        actor=cast.educator,
        concern=concern,
        outcome=Outcome.EXTENDED,
        note="Two more weeks.",
        review_date=new_date,
    )
    concern.refresh_from_db()
    assert (concern.outcome, concern.review_date) == (Outcome.EXTENDED, new_date)


@pytest.mark.parametrize("review_date", [None, "today", "past"])
def test_an_extension_needs_a_future_review_date(cast, review_date):
    concern = raise_concern(cast)
    review_date = {
        None: None,
        "today": datetime.date.today(),
        "past": builders.days_ago(2),
    }[review_date]
    with pytest.raises(ValidationError) as exc:
        services.concern_record_outcome(
            actor=cast.educator,
            concern=concern,
            outcome=Outcome.EXTENDED,
            note="More time.",
            review_date=review_date,
        )
    assert "review_date" in exc.value.message_dict
    concern.refresh_from_db()
    assert concern.outcome == Outcome.OPEN
    assert concern.review_date == builders.days_ahead(14)


@pytest.mark.parametrize("outcome", [Outcome.OPEN, "closed", ""])
def test_an_outcome_must_be_resolved_extended_or_escalated(cast, outcome):
    concern = raise_concern(cast)
    with pytest.raises(ValidationError) as exc:
        services.concern_record_outcome(
            actor=cast.educator, concern=concern, outcome=outcome, note="x"
        )
    assert "outcome" in exc.value.message_dict


def test_an_outcome_needs_a_note(cast):
    concern = raise_concern(cast)
    with pytest.raises(ValidationError) as exc:
        services.concern_record_outcome(
            actor=cast.educator, concern=concern, outcome=Outcome.RESOLVED, note=" "
        )
    assert "note" in exc.value.message_dict
    concern.refresh_from_db()
    assert concern.outcome == Outcome.OPEN


@pytest.mark.parametrize("who", ["student", "supervisor", "coordinator", "other_tutor"])
def test_no_one_else_records_the_outcome(cast, who):
    concern = raise_concern(cast)
    with pytest.raises(PermissionDenied):
        services.concern_record_outcome(
            actor=getattr(cast, who), concern=concern, outcome=Outcome.RESOLVED, note="Done."
        )
    concern.refresh_from_db()
    assert concern.outcome == Outcome.OPEN


def test_a_closed_concern_keeps_its_outcome(cast):
    review_services = services
    domain = cast.placement.framework.domains.first()
    concern = review_services.concern_raise(
        actor=cast.educator,
        placement=cast.placement,
        description="Late records.",
        review_date=datetime.date.today() + datetime.timedelta(days=7),
        targets={domain: "Records on time."},
    )
    review_services.concern_record_outcome(
        actor=cast.tutor, concern=concern, outcome="resolved", note="Done."
    )
    with pytest.raises(ValidationError, match="resolved already"):
        review_services.concern_record_outcome(
            actor=cast.educator, concern=concern, outcome="escalated", note="Changed my mind."
        )
    concern.refresh_from_db()
    assert (concern.outcome, concern.outcome_note) == ("resolved", "Done.")
