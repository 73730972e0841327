"""One domain's page: grade, narrative, and the evidence mapped to that domain, numbered in the
educator's order; autosaved as the educator writes. Only the educator grades."""

import pytest

from assessments.models import Judgement
from tests import factories
from tests.assessments import builders
from tests.assessments.pages import goes_to_login, messages_on, text_of, url


@pytest.fixture
def review(cast):
    return builders.start(cast.placement)


@pytest.fixture
def mapped(cast):
    """Two submitted items mapped to domain 1, a draft mapped to it, and one mapped only to
    domain 2."""
    domains = list(cast.placement.framework.domains.all())
    return {
        "older": builders.evidence(cast.placement, domains=[domains[0]], title="Older visit"),
        "newer": builders.evidence(cast.placement, domains=[domains[0]], title="Newer visit"),
        "draft": builders.evidence(
            cast.placement, domains=[domains[0]], title="Draft item", submit=False
        ),
        "other": builders.evidence(cast.placement, domains=[domains[1]], title="Other domain"),
    }


def first(review) -> Judgement:
    return builders.judgement(review, 1)


def test_the_educator_sees_the_submitted_evidence_mapped_to_the_domain(
    client, cast, review, mapped
):
    client.force_login(cast.educator)
    response = client.get(url("judgement-edit", review, order=1))
    assert response.status_code == 200
    page = text_of(response)
    assert "1. Domain 1" in page
    assert "Older visit" in page
    assert "Newer visit" in page
    assert "Draft item" not in page
    assert "Other domain" not in page


def test_the_educator_saves_grade_narrative_and_evidence_in_their_order(
    client, cast, review, mapped
):
    client.force_login(cast.educator)
    grade = builders.grade(cast.placement, 4)
    older, newer = mapped["older"], mapped["newer"]
    response = client.post(
        url("judgement-edit", review, order=1),
        {
            "grade": grade.pk,
            "narrative": "Confident and warm.",
            "evidence": [older.pk, newer.pk],
            f"order_{older.pk}": "2",
            f"order_{newer.pk}": "1",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == review.get_absolute_url()
    assert "Saved Domain 1." in messages_on(response)
    judgement = first(review)
    assert judgement.grade == grade
    assert judgement.narrative == "Confident and warm."
    assert [c.evidence.title for c in judgement.citations.all()] == ["Newer visit", "Older visit"]


def test_save_and_next_goes_to_the_next_domain(client, cast, review):
    client.force_login(cast.educator)
    response = client.post(
        url("judgement-edit", review, order=1), {"narrative": "Seen.", "next": "1"}
    )
    assert response.url == url("judgement-edit", review, order=2)


def test_an_unknown_domain_goes_back_to_the_review(client, cast, review):
    client.force_login(cast.educator)
    response = client.get(url("judgement-edit", review, order=99))
    assert response.url == review.get_absolute_url()


def test_evidence_not_mapped_to_the_domain_is_shown_as_an_error_and_nothing_saved(
    client, cast, review, mapped
):
    client.force_login(cast.educator)
    response = client.post(
        url("judgement-edit", review, order=1),
        {"narrative": "Changed.", "evidence": [mapped["other"].pk]},
    )
    assert response.status_code == 200
    assert "it is not mapped to this domain on this placement" in text_of(response)
    assert first(review).narrative == ""


def test_a_grade_from_another_scale_is_shown_as_an_error(client, cast, review):
    foreign = cast.other_placement.grading_scale.grades.first()
    client.force_login(cast.educator)
    response = client.post(
        url("judgement-edit", review, order=1), {"grade": foreign.pk, "narrative": "x"}
    )
    assert "That grade is not on this placement's grading scale." in text_of(response)
    assert first(review).grade is None


# --- Autosave ---------------------------------------------------------------------------------


def test_autosave_saves_and_answers_in_json(client, cast, review, mapped):
    client.force_login(cast.educator)
    grade = builders.grade(cast.placement, 2)
    response = client.post(
        url("judgement-edit", review, order=1),
        {"grade": grade.pk, "narrative": "Half-written thought", "evidence": [mapped["older"].pk]},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True}
    judgement = first(review)
    assert (judgement.grade, judgement.narrative) == (grade, "Half-written thought")
    assert [c.evidence_id for c in judgement.citations.all()] == [mapped["older"].pk]


def test_autosave_reports_errors_in_json_and_saves_nothing(client, cast, review):
    client.force_login(cast.educator)
    response = client.post(
        url("judgement-edit", review, order=1),
        {"grade": "not-a-grade", "narrative": "Half-written"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False
    assert "grade" in body["errors"]
    assert first(review).narrative == ""


# --- Who may grade ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "tutor", "coordinator", "panel"])
def test_no_one_but_the_educator_opens_the_page(client, cast, review, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("judgement-edit", review, order=1)).status_code == 403


@pytest.mark.parametrize("autosave", [False, True])
def test_the_supervisor_cannot_grade_by_posting(client, cast, review, autosave):
    client.force_login(cast.supervisor)
    headers = {"X-Autosave": "1"} if autosave else {}
    response = client.post(
        url("judgement-edit", review, order=1),
        {"grade": builders.grade(cast.placement, 4).pk, "narrative": "Excellent."},
        headers=headers,
    )
    assert response.status_code == 403
    judgement = first(review)
    assert (judgement.grade, judgement.narrative) == (None, "")


def test_the_student_gets_not_found_on_a_draft_and_forbidden_once_signed(client, cast):
    draft = builders.start(cast.placement)
    client.force_login(cast.student)
    assert client.get(url("judgement-edit", draft, order=1)).status_code == 404
    draft.delete()
    signed = builders.signed(cast.placement)
    assert client.get(url("judgement-edit", signed, order=1)).status_code == 403


@pytest.mark.parametrize("who", ["other_educator", "other_student", "other_tutor"])
def test_strangers_get_not_found(client, cast, review, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("judgement-edit", review, order=1)).status_code == 404
    response = client.post(url("judgement-edit", review, order=1), {"narrative": "x"})
    assert response.status_code == 404
    assert first(review).narrative == ""


def test_an_anonymous_visitor_is_sent_to_log_in(client, review):
    assert goes_to_login(client.get(url("judgement-edit", review, order=1)))
    assert goes_to_login(client.post(url("judgement-edit", review, order=1), {"narrative": "x"}))
    assert first(review).narrative == ""


# --- The framework's words --------------------------------------------------------------------


@pytest.fixture
def cswe_review(cast):
    framework = factories.CapabilityFrameworkFactory(
        code="CSWE-J",
        domain_word="competency",
        domain_word_plural="competencies",
        educator_title="field instructor",
    )
    programme = factories.ProgrammeFactory(university=cast.university, framework=framework)
    placement = factories.PlacementFactory(
        programme=programme, student=cast.student, educator=cast.educator, tutor=cast.tutor
    )
    return builders.start(placement)


def test_a_cswe_domain_page_speaks_of_competencies(client, cast, cswe_review):
    client.force_login(cast.educator)
    page = text_of(client.get(url("judgement-edit", cswe_review, order=1)))
    assert "Evidence mapped to this competency" in page
    assert "mapped to this domain" not in page


def test_a_cswe_citation_error_speaks_of_competencies(client, cast, cswe_review):
    domains = list(cswe_review.placement.framework.domains.all())
    other = builders.evidence(cswe_review.placement, domains=[domains[1]], title="Elsewhere")
    client.force_login(cast.educator)
    response = client.post(
        url("judgement-edit", cswe_review, order=1), {"narrative": "x", "evidence": [other.pk]}
    )
    page = text_of(response)
    assert "not mapped to this competency" in page
    assert "not mapped to this domain" not in page
