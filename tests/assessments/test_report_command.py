"""`manage.py render_report <placement id>` writes the current final report: the latest stored
version byte for byte once signed, otherwise a draft rendered now."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments import services
from assessments.models import Review, SignedReport
from tests.assessments.test_report_data import (
    draft_final,
    latest_report,
    pdf_pages,
    signed_final,
    stored_bytes,
)


def render(placement_id, tmp_path) -> tuple[bytes, str]:
    output = tmp_path / "out.pdf"
    stdout = io.StringIO()
    call_command("render_report", str(placement_id), output=str(output), stdout=stdout)
    return output.read_bytes(), stdout.getvalue()


def test_it_writes_the_latest_stored_report_byte_for_byte(cast, tmp_path):
    story = signed_final(cast)
    report = latest_report(story.final)

    data, said = render(cast.placement.pk, tmp_path)

    assert data == stored_bytes(report)
    assert "stored version 4" in said
    assert f"({len(data):,} bytes)" in said


def test_it_writes_a_draft_before_the_review_is_signed(cast, tmp_path):
    draft_final(cast)

    data, said = render(cast.placement.pk, tmp_path)

    assert "Wrote the draft report" in said
    assert all("DRAFT" in page for page in pdf_pages(data))
    assert not SignedReport.objects.exists()


def test_a_review_reopened_as_an_amendment_is_written_as_a_draft(cast, tmp_path):
    story = signed_final(cast, until=Review.Status.SIGNED)
    services.review_amend(
        actor=cast.educator, review=story.final, reason="A date was entered wrongly."
    )

    data, said = render(cast.placement.pk, tmp_path)

    assert "draft" in said
    assert data != stored_bytes(latest_report(story.final))
    assert "The review was amended: A date was entered wrongly." in " ".join(pdf_pages(data))


@pytest.mark.parametrize("placement_id", [uuid.uuid4(), "not-a-uuid", ""])
def test_an_unknown_placement_is_a_clear_error(db, tmp_path, placement_id):
    with pytest.raises(CommandError, match=f"No placement has the id '{placement_id}'."):
        render(placement_id, tmp_path)
    assert not (tmp_path / "out.pdf").exists()


def test_a_placement_with_no_final_review_is_a_clear_error(cast, tmp_path):
    with pytest.raises(CommandError, match="This placement has no final review yet"):
        render(cast.placement.pk, tmp_path)
