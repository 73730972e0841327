"""The review page: who may open it (a draft is the educator's working copy, hidden from the
student), the words of the placement's framework, and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import ReviewComment
from tests import factories
from tests.assessments import builders
from tests.assessments.pages import PEOPLE, STRANGERS, goes_to_login, messages_on, text_of, url


@pytest.fixture
def draft(cast):
    return builders.ready(cast.placement)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_placements_people_open_a_draft(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Final review" in text_of(response)


def test_the_student_cannot_open_a_draft(client, cast, draft):
    client.force_login(cast.student)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_student_opens_the_review_once_signed(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.student)
    response = client.get(review.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    # The page shows the first words of each narrative.
    assert " ".join(builders.narrative("Domain 1").split()[:20]) in page
    assert "Read, comment and acknowledge" in page


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_not_found(client, cast, who):
    review = builders.signed(cast.placement)
    client.force_login(getattr(cast, who))
    assert client.get(review.get_absolute_url()).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, draft):
    assert goes_to_login(client.get(draft.get_absolute_url()))


def test_the_educator_sees_edit_links_and_the_checks_before_signing(client, cast, draft):
    client.force_login(cast.educator)
    page = text_of(client.get(draft.get_absolute_url()))
    assert "Ready to sign" in page
    assert "Go to signing" in page
    assert "Edit strengths and suitability" in page
    assert "Add comment" not in page


def test_the_educator_is_not_sent_to_signing_while_a_rule_is_unmet(client, cast):
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    page = text_of(client.get(review.get_absolute_url()))
    assert "Before you can sign" in page
    assert "There is no midpoint review." in page
    assert "Go to signing" not in page


def test_the_supervisor_sees_no_grading_controls_but_can_comment(client, cast, draft):
    client.force_login(cast.supervisor)
    response = client.get(draft.get_absolute_url())
    content = response.content.decode()
    assert url("judgement-edit", draft, order=1) not in content
    assert "Review and sign" not in content
    assert "Edit strengths and suitability" not in content
    assert url("review-comment", draft) in content


@pytest.mark.parametrize("who", ["supervisor", "tutor"])
def test_the_supervisor_or_tutor_leaves_a_comment_for_the_educator(client, cast, draft, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        url("review-comment", draft), {"text": "  Calm with a distressed father.  "}, follow=True
    )
    assert "Comment added for the educator." in messages_on(response)
    comment = ReviewComment.objects.get()
    assert (comment.author, comment.text) == (getattr(cast, who), "Calm with a distressed father.")
    assert "Calm with a distressed father." in text_of(response)


def test_an_empty_comment_is_refused(client, cast, draft):
    client.force_login(cast.supervisor)
    response = client.post(url("review-comment", draft), {"text": "  "}, follow=True)
    assert "Please write your comment before sending it." in text_of(response)
    assert not ReviewComment.objects.exists()


def test_a_refused_comment_keeps_what_was_typed(client, cast, draft):
    client.force_login(cast.supervisor)
    typed = "Calm with a distressed father. " * 170  # over 5,000 characters
    response = client.post(url("review-comment", draft), {"text": typed})
    assert response.status_code == 200
    page = text_of(response)
    assert typed.strip() in page
    assert "Please shorten this to 5,000 characters or fewer" in page
    assert "Up to 5,000 characters." in page
    assert not ReviewComment.objects.exists()


def test_the_student_cannot_comment_for_the_educator(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.student)
    response = client.post(url("review-comment", review), {"text": "Hello."}, follow=True)
    assert "You cannot comment on this review." in messages_on(response)
    assert not ReviewComment.objects.exists()


def test_a_stranger_cannot_comment(client, cast, draft):
    client.force_login(cast.other_educator)
    assert client.post(url("review-comment", draft), {"text": "Hello."}).status_code == 404
    assert not ReviewComment.objects.exists()


# --- The framework's words --------------------------------------------------------------------


@pytest.fixture
def cswe(cast):
    framework = factories.CapabilityFrameworkFactory(
        code="CSWE-T",
        domain_word="competency",
        domain_word_plural="competencies",
        educator_title="field instructor",
    )
    programme = factories.ProgrammeFactory(university=cast.university, framework=framework)
    return factories.PlacementFactory(
        programme=programme,
        student=cast.student,
        educator=cast.educator,
        supervisor=cast.supervisor,
        tutor=cast.tutor,
    )


def test_a_cswe_review_speaks_of_competencies_and_the_field_instructor(client, cast, cswe):
    review = builders.start(cswe)
    client.force_login(cast.educator)
    page = text_of(client.get(review.get_absolute_url()))
    assert "Competencies" in page
    assert "Competency Grade Narrative" in page
    assert "Comments for the field instructor" in page
    assert "Not yet signed by the field instructor" in page
    assert "Every competency needs a grade. Not yet graded:" in page
    assert "practice educator" not in page
    assert "Domains" not in page


def test_a_pcf_review_speaks_of_domains_and_the_practice_educator(client, cast):
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    page = text_of(client.get(review.get_absolute_url()))
    assert "Domains" in page
    assert "Comments for the practice educator" in page


def test_the_panel_returns_a_cswe_review_to_the_field_instructor(client, cast, cswe):
    review = builders.countersigned(cswe)
    client.force_login(cast.panel)
    page = text_of(client.get(review.get_absolute_url()))
    assert "Return to the field instructor" in page


# --- Queries ----------------------------------------------------------------------------------


def queries_for_review_page(client, cast, domains: int, *, grade: bool) -> int:
    framework = factories.CapabilityFrameworkFactory(domains=domains)
    programme = factories.ProgrammeFactory(university=cast.university, framework=framework)
    placement = factories.PlacementFactory(
        programme=programme, student=cast.student, educator=cast.educator, tutor=cast.tutor
    )
    review = builders.start(placement)
    item = builders.evidence(placement)
    for judgement in review.judgements.all():
        services.judgement_save(
            actor=cast.educator,
            judgement=judgement,
            grade=builders.grade(placement, 3) if grade else None,
            narrative="Seen.",
            evidence=[item],
        )
    client.force_login(cast.educator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(review.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_the_review_page_runs_the_same_queries_for_9_or_20_domains(client, cast):
    nine = queries_for_review_page(client, cast, 9, grade=False)
    twenty = queries_for_review_page(client, cast, 20, grade=False)
    assert nine == twenty


def test_the_review_page_runs_the_same_queries_for_9_or_20_graded_domains(client, cast):
    nine = queries_for_review_page(client, cast, 9, grade=True)
    twenty = queries_for_review_page(client, cast, 20, grade=True)
    assert nine == twenty
