"""The domain page without traps: every mapped item shows its status, only submitted or
accepted items can be ticked, an item sent back after it was cited is flagged with the way
out, and the student's self-assessment sits beside the grade."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import SelfAssessment, SelfRating
from portfolios import services as portfolio_services
from tests.assessments import builders


def domain_page(client, cast, review, order=1):
    client.force_login(cast.educator)
    return client.get(
        reverse("assessments:judgement-edit", kwargs={"pk": review.pk, "order": order})
    )


def send_back(cast, item):
    return portfolio_services.evidence_review(
        actor=cast.educator, evidence=item, accept=False, comment="Please anonymise the names."
    )


@pytest.fixture
def review(cast):
    return builders.start(cast.placement, builders.Kind.MIDPOINT)


def test_an_item_back_with_the_student_is_listed_with_its_status_and_cannot_be_ticked(
    client, cast, review
):
    item = send_back(cast, builders.evidence(cast.placement, title="Home visit reflection"))
    html = domain_page(client, cast, review).content.decode()
    assert "Home visit reflection" in html
    assert "Revision requested" in html
    assert f'value="{item.pk}" id="ev-{item.pk}" disabled' in html
    assert "it can be cited once resubmitted" in html


def test_citing_an_item_back_with_the_student_is_refused_beside_the_evidence(client, cast, review):
    item = send_back(cast, builders.evidence(cast.placement))
    client.force_login(cast.educator)
    response = client.post(
        reverse("assessments:judgement-edit", kwargs={"pk": review.pk, "order": 1}),
        {
            "grade": builders.grade(cast.placement, 3).pk,
            "narrative": "Fine.",
            "evidence": [item.pk],
        },
    )
    assert response.status_code == 200
    assert "cannot be cited here" in response.content.decode()
    assert not builders.judgement(review, 1).citations.exists()


def test_an_item_sent_back_after_it_was_cited_is_flagged_and_can_be_unticked(client, cast, review):
    item = builders.evidence(cast.placement, title="Case review reflection")
    judgement = builders.judgement(review, 1)
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=builders.grade(cast.placement, 3),
        narrative="Sound.",
        evidence=[item],
    )
    send_back(cast, item)
    html = domain_page(client, cast, review).content.decode()
    assert "Sent back to the student after you cited it." in html
    assert f'value="{item.pk}" id="ev-{item.pk}" checked>' in html

    # Saving while it stays cited keeps it (autosave must not fail); unticking removes it.
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=judgement.grade,
        narrative="Sound.",
        evidence=[item],
    )
    assert judgement.citations.count() == 1
    checks = services.review_sign_checks(review=review)
    assert any("back with the student for revision" in p for p in checks.problems)
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=judgement.grade,
        narrative="Sound.",
        evidence=[],
    )
    assert not judgement.citations.exists()


def self_rate(cast, value: int, narrative="I think I did well here."):
    assessment = SelfAssessment.objects.create(
        placement=cast.placement, kind="midpoint", status=SelfAssessment.Status.SUBMITTED
    )
    SelfRating.objects.create(
        self_assessment=assessment,
        domain=cast.placement.framework.domains.get(order=1),
        grade=builders.grade(cast.placement, value),
        narrative=narrative,
    )


def test_the_students_self_assessment_is_beside_the_grade(client, cast, review):
    self_rate(cast, 3, "I led two assessments on my own.")
    html = domain_page(client, cast, review).content.decode()
    assert "The student's self-assessment: Meets the level" in html
    assert "I led two assessments on my own." in html
    assert "A point to discuss" not in html


def test_a_gap_of_two_steps_is_marked_as_a_point_to_discuss(client, cast, review):
    self_rate(cast, 4)
    services.judgement_save(
        actor=cast.educator,
        judgement=builders.judgement(review, 1),
        grade=builders.grade(cast.placement, 2),
        narrative="Emerging.",
    )
    assert "A point to discuss" in domain_page(client, cast, review).content.decode()


def test_a_draft_self_assessment_is_not_shown_to_the_educator(client, cast, review):
    self_rate(cast, 4)
    SelfAssessment.objects.update(status=SelfAssessment.Status.DRAFT)
    assert "self-assessment" not in domain_page(client, cast, review).content.decode()


def test_an_item_unmapped_after_it_was_cited_stays_listed_and_flagged(client, cast, review):
    item = builders.evidence(cast.placement, title="Reflection on a carers' group")
    judgement = builders.judgement(review, 1)
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=builders.grade(cast.placement, 3),
        narrative="Sound.",
        evidence=[item],
    )
    item.mappings.filter(domain__order=1).delete()
    html = domain_page(client, cast, review).content.decode()
    assert "No longer mapped to this domain." in html
    # Autosave keeps working while it is still ticked; the checklist names it.
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=judgement.grade,
        narrative="Sound!",
        evidence=[item],
    )
    checks = services.review_sign_checks(review=review)
    assert any("no longer mapped" in p for p in checks.problems)
