"""Saving one domain's judgement: a grade on the placement's scale, a narrative, and the
evidence it rests on, chosen from the submitted evidence mapped to that domain, in order."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import JudgementEvidence
from tests import factories
from tests.assessments import builders


@pytest.fixture
def review(cast):
    return builders.start(cast.placement)


@pytest.fixture
def first(review):
    return builders.judgement(review, 1)


def cited(judgement) -> list[str]:
    return [c.evidence.title for c in judgement.citations.select_related("evidence")]


def save(cast, judgement, **overrides):
    kwargs = {
        "actor": cast.educator,
        "judgement": judgement,
        "grade": builders.grade(cast.placement, 3),
        "narrative": "Kept to her role at every visit.",
        "evidence": (),
    }
    kwargs.update(overrides)
    return services.judgement_save(**kwargs)


def test_the_educator_saves_a_grade_narrative_and_cited_evidence(cast, first):
    item = builders.evidence(cast.placement, title="Home visit")
    save(cast, first, evidence=[item])
    first.refresh_from_db()
    assert first.grade == builders.grade(cast.placement, 3)
    assert first.narrative == "Kept to her role at every visit."
    assert cited(first) == ["Home visit"]


def test_the_cited_evidence_keeps_the_educators_order(cast, first):
    a, b, c = (builders.evidence(cast.placement, title=t) for t in ("A", "B", "C"))
    save(cast, first, evidence=[c, a, b])
    assert cited(first) == ["C", "A", "B"]
    save(cast, first, evidence=[b, c])
    assert cited(first) == ["B", "C"]


def test_citing_the_same_item_twice_records_it_once(cast, first):
    item = builders.evidence(cast.placement)
    save(cast, first, evidence=[item, item])
    assert JudgementEvidence.objects.filter(judgement=first).count() == 1


def test_a_grade_may_be_cleared_while_the_review_is_a_draft(cast, first):
    save(cast, first)
    save(cast, first, grade=None)
    first.refresh_from_db()
    assert first.grade is None


def test_a_grade_from_another_scale_is_refused(cast, first):
    foreign = cast.other_placement.grading_scale.grades.get(value=3)
    with pytest.raises(ValidationError) as exc:
        save(cast, first, grade=foreign)
    assert exc.value.message_dict["grade"] == [
        "That grade is not on this placement's grading scale."
    ]
    first.refresh_from_db()
    assert first.grade is None


def test_evidence_from_another_placement_is_refused(cast, first):
    # The same student on a second placement with the same framework: only the placement differs.
    twin = factories.PlacementFactory(
        programme=cast.programme, student=cast.student, educator=cast.educator
    )
    foreign = builders.evidence(twin, title="Elsewhere")
    with pytest.raises(ValidationError) as exc:
        save(cast, first, evidence=[foreign])
    assert "Elsewhere" in exc.value.message_dict["evidence"][0]
    assert not first.citations.exists()


def test_evidence_not_mapped_to_the_domain_is_refused(cast, review):
    domains = list(cast.placement.framework.domains.all())
    item = builders.evidence(cast.placement, domains=[domains[1]], title="Only domain two")
    with pytest.raises(ValidationError) as exc:
        save(cast, builders.judgement(review, 1), evidence=[item])
    assert exc.value.message_dict["evidence"] == [
        "“Only domain two” is not mapped to this domain, so it cannot be cited here."
    ]
    save(cast, builders.judgement(review, 2), evidence=[item])
    assert cited(builders.judgement(review, 2)) == ["Only domain two"]


def test_a_draft_evidence_item_is_refused(cast, first):
    draft = builders.evidence(cast.placement, title="Still a draft", submit=False)
    with pytest.raises(ValidationError) as exc:
        save(cast, first, evidence=[draft])
    assert "Still a draft" in exc.value.message_dict["evidence"][0]
    assert not first.citations.exists()


def test_a_refused_save_changes_nothing(cast, first):
    item = builders.evidence(cast.placement, title="Good")
    save(cast, first, evidence=[item], narrative="Before.")
    draft = builders.evidence(cast.placement, title="Draft", submit=False)
    with pytest.raises(ValidationError):
        save(cast, first, evidence=[item, draft], narrative="After.")
    first.refresh_from_db()
    assert first.narrative == "Before."
    assert cited(first) == ["Good"]


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "coordinator", "panel"])
def test_only_the_educator_writes_a_judgement(cast, first, who):
    with pytest.raises(PermissionDenied):
        save(cast, first, actor=getattr(cast, who))
    first.refresh_from_db()
    assert first.grade is None
