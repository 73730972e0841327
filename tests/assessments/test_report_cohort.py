"""Cohort downloads: a ZIP of the filtered cohort's final reports and a CSV of outcomes, for
tutors, coordinators and the panel only, each download recorded."""

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify

from assessments import services
from assessments.models import ReportDownload, Review
from tests import factories
from tests.assessments import builders
from tests.assessments.test_report_data import latest_report, signed_final, stored_bytes

ZIP = reverse("assessments:cohort-reports-zip")
CSV = reverse("assessments:cohort-outcomes-csv")


def signed_placement(**kwargs) -> Review:
    """A placement whose final review the educator has signed, every domain "Exceeds" and
    every area of practice "Not observed"."""
    placement = factories.PlacementFactory(**kwargs)
    final = builders.ready(placement)
    builders.grade_all(final, value=4, cite=[builders.evidence(placement)])
    return services.review_sign(actor=placement.educator, review=final)


class Cohort:
    def __init__(self, cast):
        self.ratified = signed_final(cast).final
        self.signed = signed_placement(tutor=cast.tutor, programme=cast.programme)
        self.not_started = factories.PlacementFactory(tutor=cast.tutor, programme=cast.programme)
        # Same university, another tutor: the coordinator and panel see it, cast.tutor does not.
        self.colleagues = signed_placement(programme=cast.programme)


@pytest.fixture
def cohort(cast) -> Cohort:
    return Cohort(cast)


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def entry_name(review: Review) -> str:
    placement = review.placement
    report = latest_report(review)
    return (
        f"{slugify(placement.programme.name)}/{slugify(placement.student.display_name)}"
        f"-{str(placement.pk)[:8]}-v{report.version}.pdf"
    )


# --- The ZIP of final reports ------------------------------------------------------------------


def test_the_tutor_gets_the_latest_stored_report_of_each_of_their_placements(client, cast, cohort):
    client.force_login(cast.tutor)

    response = client.get(ZIP)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="final-reports-')
    archive = zip_of(response)
    assert sorted(archive.namelist()) == sorted(
        [entry_name(cohort.ratified), entry_name(cohort.signed)]
    )
    for review in (cohort.ratified, cohort.signed):
        assert archive.read(entry_name(review)) == stored_bytes(latest_report(review))
    assert entry_name(cohort.ratified).endswith("-v4.pdf")


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_the_coordinator_and_panel_get_every_placement_of_their_university(
    client, cast, cohort, who
):
    client.force_login(getattr(cast, who))

    names = zip_of(client.get(ZIP)).namelist()

    assert sorted(names) == sorted(
        entry_name(r) for r in (cohort.ratified, cohort.signed, cohort.colleagues)
    )


def test_the_zip_holds_only_the_filtered_cohort(client, cast, cohort):
    client.force_login(cast.coordinator)

    names = zip_of(client.get(ZIP, {"status": "ratified"})).namelist()

    assert names == [entry_name(cohort.ratified)]


def test_the_zip_download_is_recorded_with_its_filters_and_size(client, cast, cohort):
    client.force_login(cast.coordinator)

    zip_of(client.get(ZIP, {"programme": cast.programme.pk, "stage": "final"}))

    record = ReportDownload.objects.get()
    assert record.user == cast.coordinator
    assert record.kind == ReportDownload.Kind.ZIP
    assert record.item_count == 3
    assert record.description == f"programme={cast.programme.pk}&stage=final"


@pytest.mark.parametrize("who", ["other_coordinator", "other_tutor"])
def test_another_universitys_staff_get_none_of_these_reports(client, cast, cohort, who):
    client.force_login(getattr(cast, who))

    response = client.get(ZIP)

    assert response.status_code == 200
    assert zip_of(response).namelist() == []


@pytest.mark.parametrize("who", ["student", "educator", "supervisor"])
def test_students_educators_and_supervisors_cannot_download_the_zip(client, cast, cohort, who):
    client.force_login(getattr(cast, who))

    assert client.get(ZIP).status_code == 403
    assert not ReportDownload.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in_for_the_zip(client, cohort):
    response = client.get(ZIP)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_zip_runs_the_same_number_of_queries_however_many_reports(client, cast):
    client.force_login(cast.coordinator)
    signed_placement(programme=cast.programme)
    with CaptureQueriesContext(connection) as one:
        zip_of(client.get(ZIP))
    for _ in range(3):
        signed_placement(programme=cast.programme)
    with CaptureQueriesContext(connection) as four:
        assert len(zip_of(client.get(ZIP)).namelist()) == 4

    assert len(four) == len(one)


def test_a_review_reopened_as_an_amendment_has_no_final_report_in_the_zip(client, cast):
    story = signed_final(cast, until=Review.Status.SIGNED)
    services.review_amend(
        actor=cast.educator, review=story.final, reason="The wrong grade was entered."
    )
    client.force_login(cast.tutor)

    assert zip_of(client.get(ZIP)).namelist() == []


# --- The CSV of outcomes -----------------------------------------------------------------------


def test_the_csv_gives_each_placements_recommendation_grades_and_suitability(client, cast, cohort):
    client.force_login(cast.tutor)

    response = client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_of(response)
    assert header[:10] == [
        "Student",
        "Email",
        "Programme",
        "University",
        "Setting",
        "Stage",
        "Status",
        "Framework",
        "Final review",
        "Recommendation",
    ]
    assert header[10:19] == [f"Domain {n} grade" for n in range(1, 10)]
    assert "Suitability: Adult social care" in header
    by_student = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_student) == {
        cast.student.display_name,
        cohort.signed.placement.student.display_name,
        cohort.not_started.student.display_name,
    }
    ours = by_student[cast.student.display_name]
    assert ours["Setting"] == cast.placement.setting_name
    assert ours["Final review"] == "Ratified by the panel"
    assert ours["Recommendation"] == "Pass"
    assert ours["Domain 5 grade"] == "Meets the level"
    assert ours["Suitability: Adult social care"] == "Well suited"
    assert ours["Suitability: Children and families"] == "Suited with support"
    signed = by_student[cohort.signed.placement.student.display_name]
    assert signed["Final review"] == "Signed by the educator"
    assert signed["Domain 1 grade"] == "Exceeds"
    assert signed["Suitability: Adult social care"] == "Not observed"
    waiting = by_student[cohort.not_started.student.display_name]
    assert waiting["Final review"] == "Not started"
    assert waiting["Recommendation"] == waiting["Domain 1 grade"] == ""


def test_the_csv_writes_formula_like_cells_as_text(client, cast):
    student = factories.StudentFactory(first_name='=HYPERLINK("http://evil.example")')
    placement = factories.PlacementFactory(
        student=student,
        tutor=cast.tutor,
        programme=cast.programme,
        setting_name="+44 Family Centre",
    )
    other = factories.PlacementFactory(
        tutor=cast.tutor, programme=cast.programme, setting_name="@SUM(A1:A9)"
    )
    minus = factories.PlacementFactory(
        tutor=cast.tutor, programme=cast.programme, setting_name="-2+3 Team"
    )
    client.force_login(cast.tutor)

    header, *rows = csv_of(client.get(CSV))

    settings_column = {row[header.index("Student")]: row[header.index("Setting")] for row in rows}
    assert settings_column[f"'{student.display_name}"] == "'+44 Family Centre"
    assert settings_column[other.student.display_name] == "'@SUM(A1:A9)"
    assert settings_column[minus.student.display_name] == "'-2+3 Team"
    assert placement.setting_name == "+44 Family Centre"


def test_the_csv_holds_only_the_filtered_cohort(client, cast, cohort):
    client.force_login(cast.coordinator)

    header, *rows = csv_of(client.get(CSV, {"status": "final_review_signed"}))

    assert sorted(row[0] for row in rows) == sorted(
        r.placement.student.display_name for r in (cohort.signed, cohort.colleagues)
    )
    assert all(row[header.index("Final review")] == "Signed by the educator" for row in rows)


def test_the_csv_download_is_recorded(client, cast, cohort):
    client.force_login(cast.panel)

    csv_of(client.get(CSV, {"stage": "final"}))

    record = ReportDownload.objects.get()
    assert (record.user, record.kind, record.description) == (
        cast.panel,
        ReportDownload.Kind.CSV,
        "stage=final",
    )


@pytest.mark.parametrize("who", ["student", "educator", "supervisor"])
def test_students_educators_and_supervisors_cannot_download_the_csv(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(CSV).status_code == 403
    assert not ReportDownload.objects.exists()


def test_the_csv_runs_the_same_number_of_queries_however_many_placements(client, cast):
    client.force_login(cast.coordinator)
    signed_placement(programme=cast.programme)
    with CaptureQueriesContext(connection) as few:
        csv_of(client.get(CSV))
    for _ in range(3):
        signed_placement(programme=cast.programme)
    with CaptureQueriesContext(connection) as more:
        assert len(csv_of(client.get(CSV))) == 1 + 5

    assert len(more) == len(few)
