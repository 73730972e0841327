"""The draft report is rendered once per version of what it says: a repeat download comes
from the cache, and any change to the review gives a new rendering. The HTML report fetches
its review once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Suitability
from assessments.report import draft as draft_module
from tests.assessments.test_report_data import draft_final, pdf_pages


@pytest.fixture
def draft(cast):
    return draft_final(cast)


@pytest.fixture
def renders(monkeypatch):
    """Counts real renderings of the draft."""
    calls = []
    real = draft_module.pdf.render_pdf

    def counted(data, **kwargs):
        calls.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(draft_module.pdf, "render_pdf", counted)
    return calls


def report_url(review) -> str:
    return reverse("assessments:review-report", kwargs={"pk": review.pk})


def download(client, review) -> bytes:
    response = client.get(report_url(review))
    assert response.status_code == 200
    return response.content


def test_a_repeat_download_of_an_unchanged_draft_is_not_rendered_again(
    client, cast, draft, renders
):
    client.force_login(cast.educator)
    first = download(client, draft.final)
    second = download(client, draft.final)
    assert len(renders) == 1
    assert second == first
    client.force_login(cast.tutor)
    assert download(client, draft.final) == first
    assert len(renders) == 1


def _regrade_first_domain(cast, review):
    judgement = review.judgements.select_related("domain").order_by("domain__order").first()
    cited = [c.evidence for c in judgement.citations.select_related("evidence")]
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=judgement.grade,
        narrative="Rewritten after supervision: she now leads the visits herself.",
        evidence=cited,
    )
    return "Rewritten after supervision"


def _drop_a_citation(cast, review):
    judgement = next(j for j in review.judgements.all() if j.citations.count() > 1)
    kept = [c.evidence for c in judgement.citations.select_related("evidence")][:1]
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=judgement.grade,
        narrative=judgement.narrative,
        evidence=kept,
    )
    return None


def _add_a_strength(cast, review):
    services.strength_add(actor=cast.educator, review=review, text="Chairs meetings calmly.")
    return "Chairs meetings calmly."


def _remove_a_strength(cast, review):
    services.strength_remove(actor=cast.educator, strength=review.strengths.first())
    return None


def _rate_suitability_again(cast, review):
    row = review.suitability.select_related("practice_area").first()
    services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=row.practice_area,
        rating=Suitability.Rating.WELL_SUITED,
        rationale="Now confident at child protection conferences too.",
    )
    return "Now confident at child protection conferences too."


def _change_the_outcome(cast, review):
    services.review_outcome_save(
        actor=cast.educator,
        review=review,
        summary="A different overall account of the placement.",
        recommendation=review.recommendation,
        recommendation_justification=review.recommendation_justification,
    )
    return "A different overall account of the placement."


@pytest.mark.parametrize(
    "change",
    [
        _regrade_first_domain,
        _drop_a_citation,
        _add_a_strength,
        _remove_a_strength,
        _rate_suitability_again,
        _change_the_outcome,
    ],
)
def test_any_change_to_the_review_renders_the_draft_again(client, cast, draft, renders, change):
    client.force_login(cast.educator)
    before = download(client, draft.final)
    new_text = change(cast, draft.final)
    after = download(client, draft.final)
    assert len(renders) == 2
    assert renders[0] != renders[1]
    if new_text:
        assert new_text in " ".join(pdf_pages(after))
        assert new_text not in " ".join(pdf_pages(before))
    # ...and the new rendering is the one kept.
    assert download(client, draft.final) == after
    assert len(renders) == 2


def test_a_change_outside_the_review_that_the_report_prints_renders_it_again(
    client, cast, draft, renders
):
    client.force_login(cast.educator)
    download(client, draft.final)
    type(cast.student).objects.filter(pk=cast.student.pk).update(last_name="Okonkwo-Baines")
    assert "Okonkwo-Baines" in " ".join(pdf_pages(download(client, draft.final)))
    assert len(renders) == 2


@pytest.mark.parametrize("who", ["student", "other_educator", "other_tutor", "other_coordinator"])
def test_a_cached_draft_is_still_not_found_by_the_student_or_a_stranger(client, cast, draft, who):
    client.force_login(cast.educator)
    download(client, draft.final)
    client.force_login(getattr(cast, who))
    assert client.get(report_url(draft.final)).status_code == 404


@pytest.mark.parametrize("who", ["supervisor", "coordinator", "panel"])
def test_a_cached_draft_is_still_refused_to_those_who_may_not_download_it(client, cast, draft, who):
    client.force_login(cast.educator)
    download(client, draft.final)
    client.force_login(getattr(cast, who))
    assert client.get(report_url(draft.final)).status_code == 403


def test_the_html_report_fetches_its_review_once(client, cast, draft):
    client.force_login(cast.educator)
    url = reverse("assessments:review-report-html", kwargs={"pk": draft.final.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The review itself, not the midpoint review the report also reads (fetched by its kind).
    fetches = [
        q["sql"]
        for q in queries.captured_queries
        if ' FROM "assessments_review" ' in q["sql"]
        and '"assessments_review"."kind" = ' not in q["sql"]
    ]
    assert len(fetches) == 1, fetches
