"""On the final review: the educator's learning needs for the first year in practice, the
on-site supervisor's statement, and the educator's choice of feedback to quote in the report."""

import html

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import LearningNeed, Review
from portfolios import services as portfolio_services
from portfolios.models import ConfidentialName
from tests.assessments import builders
from tests.assessments.test_report_sections import feedback


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def final(cast) -> Review:
    return builders.start(cast.placement, Review.Kind.FINAL)


def needs_url(review) -> str:
    return reverse("assessments:strengths-suitability", kwargs={"pk": review.pk})


def statement_url(review) -> str:
    return reverse("assessments:supervisor-statement", kwargs={"pk": review.pk})


# --- Learning needs ----------------------------------------------------------------------------


def test_the_educator_adds_a_learning_need_beside_the_strengths(client, cast, final):
    client.force_login(cast.educator)

    response = client.post(
        needs_url(final),
        {
            "add_need": "1",
            "area": "Working with interpreters",
            "development": "Plan visits with interpreters and check understanding.",
            "support": "A session with the team's language line lead.",
        },
    )

    assert response.status_code == 302
    need = LearningNeed.objects.get(review=final)
    assert (need.area, need.support) == (
        "Working with interpreters",
        "A session with the team's language line lead.",
    )
    shown = page(client.get(needs_url(final)))
    assert "Learning needs for the first year in practice" in shown
    assert "Plan visits with interpreters and check understanding." in shown
    assert "Up to 1,500 characters." in shown


def test_a_learning_need_without_what_to_develop_is_refused_beside_the_field(client, cast, final):
    client.force_login(cast.educator)

    response = client.post(needs_url(final), {"add_need": "1", "area": "Court skills"})

    assert response.status_code == 200
    assert not LearningNeed.objects.exists()
    shown = page(response)
    assert 'value="Court skills"' in shown
    assert 'aria-describedby="id_development_error' in shown or "id_development_error" in shown


def test_the_educator_removes_a_learning_need(client, cast, final):
    need = LearningNeed.objects.create(review=final, area="Court", development="Practise.")
    client.force_login(cast.educator)

    client.post(reverse("assessments:learning-need-remove", kwargs={"pk": need.pk}))

    assert not LearningNeed.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "tutor"])
def test_only_the_educator_removes_a_learning_need(client, cast, final, who):
    need = LearningNeed.objects.create(review=final, area="Court", development="Practise.")
    client.force_login(getattr(cast, who))

    client.post(reverse("assessments:learning-need-remove", kwargs={"pk": need.pk}))

    assert LearningNeed.objects.filter(pk=need.pk).exists()


def test_a_stranger_gets_404_removing_a_learning_need(client, cast, final):
    need = LearningNeed.objects.create(review=final, area="Court", development="Practise.")
    client.force_login(cast.other_educator)

    response = client.post(reverse("assessments:learning-need-remove", kwargs={"pk": need.pk}))

    assert response.status_code == 404
    assert LearningNeed.objects.filter(pk=need.pk).exists()


def test_a_midpoint_has_no_learning_needs(cast):
    midpoint = builders.start(cast.placement, Review.Kind.MIDPOINT)

    with pytest.raises(Exception, match="Only the final review"):
        services.learning_need_add(
            actor=cast.educator, review=midpoint, area="Court", development="Practise."
        )


# --- The on-site supervisor's statement --------------------------------------------------------


def test_the_supervisor_writes_a_statement_on_the_final_review(client, cast, final):
    client.force_login(cast.supervisor)
    shown = page(client.get(statement_url(final)))
    assert "Your statement for the final report" in shown
    assert "Up to 1,500 characters." in shown

    response = client.post(statement_url(final), {"text": "  Calm on duty, asks for advice.  "})

    assert response.status_code == 302
    final.refresh_from_db()
    assert final.supervisor_statement == "Calm on duty, asks for advice."
    assert final.supervisor_statement_at is not None
    assert "Calm on duty, asks for advice." in page(client.get(final.get_absolute_url()))


def test_a_statement_over_the_limit_is_refused_and_kept(client, cast, final):
    client.force_login(cast.supervisor)
    text = "word " * 400

    response = client.post(statement_url(final), {"text": text})

    assert response.status_code == 200
    final.refresh_from_db()
    assert final.supervisor_statement == ""
    assert "Please shorten this to 1,500 characters or fewer" in page(response)
    assert "word word word" in page(response)


@pytest.mark.parametrize("who", ["educator", "tutor", "student"])
def test_only_the_supervisor_writes_the_statement(client, cast, final, who):
    client.force_login(getattr(cast, who))

    response = client.post(statement_url(final), {"text": "Not mine to write."})

    assert response.status_code in (403, 404)
    final.refresh_from_db()
    assert final.supervisor_statement == ""


def test_a_stranger_gets_404_for_the_statement_page(client, cast, final):
    client.force_login(cast.other_educator)

    assert client.get(statement_url(final)).status_code == 404


# --- Quoting feedback in the report ------------------------------------------------------------


def quote_url(item) -> str:
    return reverse("portfolios:evidence-feedback-quote", kwargs={"pk": item.pk})


def test_the_educator_marks_feedback_to_quote_and_unmarks_it(client, cast):
    item = feedback(cast.placement, went_well="She explained the plan twice, kindly.")
    client.force_login(cast.educator)
    assert "Quote these words in the final report" in page(client.get(item.get_absolute_url()))

    client.post(quote_url(item), {"for_report": "1"})
    item.service_user_feedback.refresh_from_db()
    assert item.service_user_feedback.for_report

    client.post(quote_url(item), {"for_report": "0"})
    item.service_user_feedback.refresh_from_db()
    assert not item.service_user_feedback.for_report


def test_words_that_could_identify_someone_are_never_quoted(client, cast):
    ConfidentialName.objects.create(placement=cast.placement, name="Bernadette Quayle")
    item = feedback(cast.placement, went_well="Bernadette was pleased with the visit.")
    client.force_login(cast.educator)

    response = client.post(quote_url(item), {"for_report": "1"}, follow=True)

    item.service_user_feedback.refresh_from_db()
    assert not item.service_user_feedback.for_report
    assert "could identify someone" in page(response)


def test_the_name_the_person_gave_is_never_quoted(cast):
    item = feedback(cast.placement, went_well="Thank you from Winifred.", given_name="Winifred")

    with pytest.raises(Exception, match="could identify someone"):
        portfolio_services.feedback_quote_set(actor=cast.educator, evidence=item, for_report=True)


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor"])
def test_only_the_educator_chooses_the_quotations(client, cast, who):
    item = feedback(cast.placement, went_well="Lovely.")
    client.force_login(getattr(cast, who))

    client.post(quote_url(item), {"for_report": "1"})

    item.service_user_feedback.refresh_from_db()
    assert not item.service_user_feedback.for_report


def test_a_stranger_gets_404_choosing_a_quotation(client, cast):
    item = feedback(cast.placement, went_well="Lovely.")
    client.force_login(cast.other_educator)

    assert client.post(quote_url(item), {"for_report": "1"}).status_code == 404
