"""What a UK practice assessment report holds, read back from the stored PDF and the HTML view:
credentials and student number on the cover, learning needs for the first year in practice,
direct observations, the feedback summary with the educator's chosen quotations, attendance by
kind with absences, the supervisor's statement, the tutor's and panel's words, declarations, and
an evidence index of submitted, mapped items only."""

import dataclasses
import re

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from assessments import services
from assessments.models import LearningNeed, Review
from assessments.report.data import DECLARATIONS, report_data_for
from assessments.report.pdf import render_pdf
from portfolios import services as portfolio_services
from portfolios.models import AttendanceDay, Evidence
from portfolios.services.evidence import MappingInput
from tests.assessments import builders
from tests.assessments.test_report_data import (
    draft_final,
    latest_report,
    pdf_pages,
    stored_bytes,
)
from tests.conftest import Cast

QUOTED = "She came back when she said she would, and explained the letters to my mum."
NOT_QUOTED = "She listened to me about the stairs."
NEED_AREA = "Court skills"
NEED_DEVELOP = "Write and present evidence for care proceedings under supervision."
NEED_SUPPORT = "Shadow a senior practitioner at two hearings; court skills training in month 3."
STATEMENT = "In the duty team she took calls calmly and asked for advice at the right moments."


def feedback(placement, *, went_well: str, relationship="service_user", given_name="") -> Evidence:
    """Feedback given through a link, then mapped and submitted by the student."""
    _, token = portfolio_services.feedback_request_create(
        actor=placement.student, placement=placement, work_description="a home visit"
    )
    item = portfolio_services.feedback_give(
        token=token,
        consent=True,
        relationship=relationship,
        listened="yes",
        respected="mostly",
        went_well=went_well,
        given_name=given_name,
    )
    item = portfolio_services.evidence_update(
        actor=placement.student,
        evidence=item,
        kind=item.kind,
        title=item.title,
        practice_date=item.practice_date,
        mappings=[MappingInput(placement.framework.domains.get(order=2), "Values in practice.")],
    )
    return portfolio_services.evidence_submit(actor=placement.student, evidence=item)


@dataclasses.dataclass
class Built:
    cast: Cast
    final: Review
    pages: list[str]
    text: str
    unmapped_title: str
    returned_title: str


def build() -> Built:
    cast = Cast()
    story = draft_final(cast)
    placement, educator = story.placement, cast.educator
    quoted = feedback(placement, went_well=QUOTED, given_name="Mrs Jones")
    feedback(placement, went_well=NOT_QUOTED, relationship="carer")
    portfolio_services.feedback_quote_set(actor=educator, evidence=quoted, for_report=True)
    services.learning_need_add(
        actor=educator,
        review=story.final,
        area=NEED_AREA,
        development=NEED_DEVELOP,
        support=NEED_SUPPORT,
    )
    services.supervisor_statement_save(actor=cast.supervisor, review=story.final, text=STATEMENT)
    AttendanceDay.objects.create(
        placement=placement,
        date=placement.start_date,
        kind=AttendanceDay.Kind.ABSENCE,
        portion=AttendanceDay.Portion.HALF,
        absence_reason="Unwell",
        recorded_by=cast.student,
        confirmed_by=educator,
        confirmed_at=timezone.now(),
    )
    # Neither belongs in the index: one sent back for revision, one mapped to nothing.
    returned = portfolio_services.evidence_review(
        actor=educator,
        evidence=portfolio_services.evidence_submit(
            actor=cast.student,
            evidence=portfolio_services.evidence_create(
                actor=cast.student,
                placement=placement,
                kind=Evidence.Kind.CRITICAL_REFLECTION,
                title="A reflection sent back for more",
                practice_date=placement.start_date,
                mappings=[MappingInput(placement.framework.domains.get(order=1), "Shows it.")],
            ),
        ),
        accept=False,
        comment="Please say what you would do differently.",
    )
    unmapped = Evidence.objects.create(
        placement=placement,
        kind=Evidence.Kind.OTHER,
        title="An item mapped to no domain",
        practice_date=placement.start_date,
        status=Evidence.Status.SUBMITTED,
        created_by=cast.student,
    )
    final = services.review_sign(actor=educator, review=story.final)
    final = services.review_acknowledge(actor=cast.student, review=final, comment="Fair.")
    final = services.review_countersign(actor=cast.tutor, review=final, confirmed=True)
    final = services.review_ratify(
        actor=cast.panel, review=final, meeting=builders.meeting(cast.placement, cast.panel)
    )
    pages = pdf_pages(stored_bytes(latest_report(final)))
    return Built(cast, final, pages, " ".join(pages), unmapped.title, returned.title)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build()
        transaction.set_rollback(True)


# --- The cover ---------------------------------------------------------------------------------


def test_the_cover_gives_the_student_number_stage_and_educators_credentials(db, built):
    cover, cast = built.pages[0], built.cast
    educator = cast.educator
    assert f"Student number {cast.student.student_number}" in cover
    assert f"Stage {built.final.placement.get_stage_display()}" in cover
    assert (
        f"{educator.display_name} PEPS stage 2 · Social Work England registration "
        f"{educator.registration_number}" in cover
    )


def test_the_cover_is_filled_with_the_placement_at_a_glance(db, built):
    cover = built.pages[0]
    assert "At a glance" in cover
    assert "Direct observations 4, of which 3 by the educator" in cover
    assert "Service user and carer feedback 2 pieces" in cover
    assert "Learning needs for the first year 1" in cover
    assert "Days absent 0.5" in cover


def test_the_verification_line_is_on_the_cover_in_readable_type(db, built):
    code = latest_report(built.final).verification_code
    assert f"Verification code {code}. Check that this document is authentic" in built.pages[0]


# --- The new sections --------------------------------------------------------------------------


def test_the_learning_needs_for_the_first_year_are_listed_with_their_support(db, built):
    assert "Learning needs for the first year in practice" in built.text
    assert "Area for development What to develop Suggested support" in built.text
    assert f"{NEED_AREA} {NEED_DEVELOP.split()[0]}" in built.text
    for words in (NEED_DEVELOP, NEED_SUPPORT):
        assert words in built.text


def test_each_direct_observation_gives_date_practice_observer_and_domains(db, built):
    cast = built.cast
    text = built.text
    assert "Date Practice observed Observed by Educator Domains" in text
    assert f"Direct observation by educator {cast.educator.display_name} Yes" in text
    assert f"Direct observation by supervisor {cast.supervisor.display_name} No" in text
    assert f"Home visit with an older adult {cast.educator.display_name} Yes 1, 2, 3, 4, 5" in text


def test_the_feedback_summary_counts_and_quotes_only_what_the_educator_chose(db, built):
    text = built.text
    assert "2 pieces of feedback: 1 from people the student worked with, 1 from carers" in text
    assert "Felt listened to 2 0 0" in text
    assert "Felt respected 0 2 0" in text
    assert f"What went well: “{QUOTED}”" in text
    assert NOT_QUOTED not in text
    assert "Mrs Jones" not in text


def test_attendance_gives_days_by_kind_and_each_absence(db, built):
    day = built.final.placement.start_date
    assert "Days absent 0.5" in built.text
    assert f"Absences: {day:%-d %b %Y} (half day)." in built.text
    assert "Unwell" not in built.text


def test_the_midpoint_gives_its_date_outcome_and_narrative(db, built):
    midpoint = built.final.placement.reviews.get(kind=Review.Kind.MIDPOINT)
    signed = timezone.localtime(midpoint.signed_at)
    assert f"Outcome at the midpoint: On track, signed {signed:%-d %B %Y}" in built.text
    assert "At the midpoint she was settling into the team well." in built.text


def test_the_comments_give_the_supervisors_statement_and_the_students_words(db, built):
    text = built.text
    assert f"The on-site supervisor's statement {STATEMENT}" in text
    assert "The student's comments Fair." in text
    assert "The tutor's countersign comment" in text
    assert "The panel's decision note" in text


def test_the_tutors_comment_and_the_panels_note_print_when_written(db, built):
    data = dataclasses.replace(
        report_data_for(built.final),
        countersign_comment="Countersigned after reading every observation.",
        panel_note="Ratified without conditions at the March panel.",
    )

    text = " ".join(pdf_pages(render_pdf(data)))

    assert "The tutor's countersign comment Countersigned after reading every observation." in text
    assert "The panel's decision note Ratified without conditions at the March panel." in text


def test_each_signer_declares_with_the_date_and_time(db, built):
    cast, text = built.cast, built.text
    assert "Declarations and signatures" in text
    for role, person, key in [
        ("On-site supervisor (statement)", cast.supervisor, "supervisor"),
        ("Practice educator", cast.educator, "educator"),
        ("Student (acknowledged)", cast.student, "student"),
        ("Tutor (countersigned)", cast.tutor, "tutor"),
        ("Practice assessment panel (ratified)", cast.panel, "panel"),
    ]:
        found = re.search(
            rf"{re.escape(role)} {re.escape(person.display_name)} \d+ \w+ \d{{4}}, \d\d:\d\d \w+ "
            rf"“{re.escape(DECLARATIONS[key])}”",
            text,
        )
        assert found, role


def test_the_evidence_index_lists_only_submitted_mapped_items_with_their_status(db, built):
    index = " ".join(p for p in built.pages if "Evidence index" in p)
    assert "Evidence Kind Status Date Domains" in index
    assert "Reflection on a duty call Critical reflection or process recording Submitted" in index
    assert built.returned_title not in index
    assert built.unmapped_title not in index


def test_the_html_view_shows_the_same_new_sections(db, client, built):
    # The module's data is rolled back only at its end, so this client reads it.
    client.force_login(built.cast.panel)
    url = f"/reviews/{built.final.pk}/report/"

    html = client.get(url).content.decode()

    for text in [
        built.cast.student.student_number,
        "PEPS stage 2",
        NEED_DEVELOP,
        "Direct observations",
        "Service user and carer feedback",
        "Absences:",
        STATEMENT,
        "Declarations and signatures",
        DECLARATIONS["panel"],
    ]:
        assert text in html.replace("&#x27;", "'"), text


# --- Locked with the signature -----------------------------------------------------------------


def test_a_learning_need_of_a_signed_review_cannot_be_added_changed_or_removed(db, built):
    need = LearningNeed.objects.get(review=built.final)
    with pytest.raises(Exception, match="signed and is locked"):
        services.learning_need_add(
            actor=built.cast.educator, review=built.final, area="More", development="More."
        )
    need.area = "Changed"
    with pytest.raises(Exception, match="signed and is locked"):
        need.save()
    with pytest.raises(Exception, match="signed and is locked"):
        LearningNeed.objects.filter(pk=need.pk).delete()


def test_the_supervisors_statement_cannot_change_once_signed(db, built):
    with pytest.raises(Exception, match="signed and is locked"):
        services.supervisor_statement_save(
            actor=built.cast.supervisor, review=built.final, text="Second thoughts."
        )
    review = Review.objects.get(pk=built.final.pk)
    review.supervisor_statement = "Changed behind the service."
    with pytest.raises(Exception, match="signed and is locked"):
        review.save()
