"""The assessment pages say what they mean (issue 12): the grade's meaning beside each choice,
the cited evidence readable beside the narrative, limits stated beside every box, "being
written" instead of "No reviews yet", and the educator's to-do list leaves out her own
records."""

import datetime
import html
import re

from django.urls import reverse
from django.utils import timezone

from assessments.todo import todos_for
from portfolios import services as portfolio_services
from portfolios.models import Grade
from tests import factories
from tests.assessments import builders
from tests.assessments.pages import url


def html_of(response) -> str:
    return html.unescape(response.content.decode())


def test_each_grade_choice_carries_its_meaning_beside_it(client, db):
    scale = factories.GradingScaleFactory()
    grades = list(scale.grades.all())
    for grade in grades:
        grade.description = f"What {grade.label} means here."
    Grade.objects.bulk_update(grades, ["description"])  # before any placement uses the scale
    placement = factories.PlacementFactory(
        programme=factories.ProgrammeFactory(grading_scale=scale)
    )
    review = builders.start(placement)
    client.force_login(placement.educator)
    page = html_of(client.get(url("judgement-edit", review, order=1)))
    for grade in grades:
        radio = re.search(rf'<input[^>]*name="grade" value="{grade.pk}"[^>]*>', page).group(0)
        described = re.search(r'aria-describedby="([^"]+)"', radio).group(1)
        assert f'id="{described}">What {grade.label} means here.</div>' in page
    assert "What each grade means" not in page  # no longer hidden behind a disclosure


def test_the_cited_evidence_opens_beside_the_narrative_with_kind_date_status_and_lines(
    client, cast
):
    review = builders.start(cast.placement)
    item = builders.evidence(cast.placement, title="Home visit reflection")
    item.reflection = "I **listened** first and asked about her week before the care plan."
    type(item).objects.filter(pk=item.pk).update(reflection=item.reflection)
    client.force_login(cast.educator)
    page = html_of(client.get(url("judgement-edit", review, order=1)))
    preview = re.search(r"<details[^>]*>.*?</details>", page, re.DOTALL).group(0)
    assert "Read “Home visit reflection” here" in preview
    assert "Critical reflection or process recording" in preview
    assert item.practice_date.strftime("%-d %B %Y") in preview
    assert "Submitted" in preview
    assert "I listened first and asked about her week" in preview  # Markdown read as words
    assert "Why the student says it shows this domain:</strong> It shows this." in preview
    assert "in a new tab</a>" in preview


def test_the_narrative_states_its_limit_and_its_error_is_an_alert(client, cast):
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    response = client.post(url("judgement-edit", review, order=1), {"narrative": "x" * 20001})
    page = html_of(response)
    assert 'id="id_narrative_helptext">Up to 20,000 characters.</div>' in page
    assert 'id="id_narrative_error" role="alert">' in page
    assert 'aria-describedby="id_narrative_helptext id_narrative_error"' in page


def test_the_evidence_fieldset_is_named_by_its_legend(client, cast):
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    page = html_of(client.get(url("judgement-edit", review, order=1)))
    assert re.search(
        r"<fieldset[^>]*>\s*<legend[^>]*>Evidence mapped to this domain</legend>", page
    )


def test_the_student_reads_midpoint_review_being_written_not_no_reviews_yet(client, cast):
    builders.start(cast.placement, kind="midpoint")
    client.force_login(cast.student)
    page = html_of(client.get(url_reviews(cast)))
    assert "Midpoint review being written" in page
    assert "No reviews yet" not in page

    client.force_login(cast.educator)
    page = html_of(client.get(url_reviews(cast)))
    assert ">Midpoint review</a>" in page
    assert "No reviews yet" not in page


def test_with_no_review_started_the_student_reads_no_reviews_yet(client, cast):
    client.force_login(cast.student)
    assert "No reviews yet" in html_of(client.get(url_reviews(cast)))


def url_reviews(cast) -> str:
    return reverse("assessments:placement-reviews", kwargs={"pk": cast.placement.pk})


def test_the_panels_and_educators_reasons_state_their_limits(client, cast):
    review = builders.signed(cast.placement)
    client.force_login(cast.educator)
    page = html_of(client.get(review.get_absolute_url()))
    assert re.search(r'<textarea[^>]*id="amend-reason"[^>]*maxlength="5000"', page)
    assert 'id="amend-reason-limit">Up to 5,000 characters.</div>' in page
    assert ">History of changes</a>" in page


def test_the_educators_own_supervision_record_is_not_on_her_list_to_accept(cast):
    portfolio_services.supervision_record_create(
        actor=cast.educator,
        placement=cast.placement,
        practice_date=timezone.localdate() - datetime.timedelta(days=2),
        attendees="The student and me",
    )
    assert not [t for t in todos_for(user=cast.educator) if "Accept or send back" in t.text]
    builders.evidence(cast.placement, title="From the student")
    waiting = [t.text for t in todos_for(user=cast.educator) if "Accept or send back" in t.text]
    assert len(waiting) == 1 and "1 evidence item" in waiting[0]
