"""A report is rendered once at each sign-off and stored with its SHA-256 and a verification
code; the stored bytes never change afterwards, whatever happens to the review or the people."""

import hashlib
import re

import pytest
from django.db import IntegrityError

from assessments import services
from assessments.models import Review, SignedReport
from assessments.report.store import CODE_ALPHABET, normalise_code, report_store
from tests.assessments import builders
from tests.assessments.test_report_data import (
    pdf_pages,
    signed_final,
    signed_midpoint,
    stored_bytes,
)

Event = SignedReport.Event


def reports_of(placement) -> list[SignedReport]:
    return list(SignedReport.objects.filter(review__placement=placement).order_by("version"))


def stored_files(settings) -> list:
    return sorted((settings.MEDIA_ROOT / "reports").rglob("*.pdf"))


@pytest.fixture
def story(cast):
    return signed_final(cast)


def test_a_report_is_stored_at_each_sign_off_with_a_rising_version(story):
    reports = reports_of(story.placement)

    assert [(r.version, r.event) for r in reports] == [
        (1, Event.SIGNED),
        (2, Event.ACKNOWLEDGED),
        (3, Event.COUNTERSIGNED),
        (4, Event.RATIFIED),
    ]
    assert {r.review_id for r in reports} == {story.final.pk}


def test_each_stored_report_matches_its_recorded_sha256_and_size(story):
    for report in reports_of(story.placement):
        data = stored_bytes(report)
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == report.sha256
        assert len(data) == report.size


def test_each_report_has_its_own_code_that_a_person_can_read_off_paper(story):
    codes = [r.verification_code for r in reports_of(story.placement)]

    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
        assert not set(code) & set("01OIL")


def test_each_stored_report_shows_the_sign_offs_as_they_stood_at_that_step(story, cast):
    signed, acknowledged, countersigned, ratified = (
        " ".join(pdf_pages(stored_bytes(r))) for r in reports_of(story.placement)
    )

    assert "Signed by the educator" in signed
    assert "Student (acknowledged)" not in signed
    assert "The student added no comments." in signed
    assert "I found the placement hard but fair." in acknowledged
    assert "Tutor (countersigned)" not in acknowledged
    assert f"Tutor (countersigned) {cast.tutor.display_name}" in countersigned
    assert "Practice assessment panel (ratified)" not in countersigned
    assert f"Practice assessment panel (ratified) {cast.panel.display_name}" in ratified


def test_signing_a_midpoint_stores_no_report(cast):
    midpoint = signed_midpoint(cast.placement)

    assert midpoint.signed_at is not None
    assert not SignedReport.objects.exists()


def test_the_stored_bytes_never_change_after_signing(cast, client):
    story = signed_final(cast, until=Review.Status.ACKNOWLEDGED)
    before = {r.pk: (r.pdf.name, stored_bytes(r)) for r in reports_of(cast.placement)}
    old_name = cast.student.display_name

    # Afterwards the student changes their name, and the educator corrects the review as an
    # amendment and signs the new version.
    cast.student.last_name = "Renamed"
    cast.student.save()
    amended = services.review_amend(
        actor=cast.educator, review=story.final, reason="The dates of the placement were wrong."
    )
    judgement = amended.judgements.get(domain__order=1)
    services.judgement_save(
        actor=cast.educator,
        judgement=judgement,
        grade=judgement.grade,
        narrative=f"Corrected after the amendment. {builders.narrative('Domain 1')}",
        evidence=[c.evidence for c in judgement.citations.select_related("evidence")],
    )
    services.review_sign(actor=cast.educator, review=amended)

    reports = reports_of(cast.placement)
    assert [r.version for r in reports] == [1, 2, 3]
    client.force_login(cast.tutor)
    for report in reports[:2]:
        name, data = before[report.pk]
        assert report.pdf.name == name
        assert stored_bytes(report) == data
        assert hashlib.sha256(data).hexdigest() == report.sha256
        assert old_name in " ".join(pdf_pages(data))
        response = client.get(report.get_absolute_url())
        assert b"".join(response.streaming_content) == data
    newest = " ".join(pdf_pages(stored_bytes(reports[2])))
    assert "The review was amended: The dates of the placement were wrong." in newest
    assert "Corrected after the amendment." in newest


def test_if_the_report_row_cannot_be_saved_its_file_is_removed(cast, settings, monkeypatch):
    story = signed_final(cast, until=Review.Status.SIGNED)
    files = stored_files(settings)
    assert len(files) == 1

    def fail(self, *args, **kwargs):
        raise IntegrityError("the row could not be written")

    monkeypatch.setattr(SignedReport, "save", fail)
    with pytest.raises(IntegrityError):
        report_store(review=story.final, event=Event.SIGNED)

    assert stored_files(settings) == files
    assert SignedReport.objects.count() == 1


@pytest.mark.parametrize(
    "typed, code",
    [
        ("K7PM-3QXD", "K7PM-3QXD"),
        ("k7pm3qxd", "K7PM-3QXD"),
        ("  k7pm - 3qxd ", "K7PM-3QXD"),
        ("K7PM-3QX", ""),
        ("K7PM-3QXDD", ""),
        ("", ""),
    ],
)
def test_a_typed_code_is_read_the_way_a_person_means_it(typed, code):
    assert normalise_code(typed) == code
