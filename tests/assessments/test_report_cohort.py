"""Cohort downloads: a ZIP of the filtered cohort's final reports and a CSV of outcomes, for
tutors, coordinators and the panel only, each download recorded."""

import codecs
import csv
import hashlib
import html
import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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


def ratified_placement(panel, **kwargs) -> Review:
    """A placement whose final review went through the whole chain to the panel."""
    final = signed_placement(**kwargs)
    placement = final.placement
    final = services.review_acknowledge(actor=placement.student, review=final)
    final = services.review_countersign(actor=placement.tutor, review=final, confirmed=True)
    return services.review_ratify(
        actor=panel, review=final, meeting=builders.meeting(placement, panel)
    )


class Cohort:
    def __init__(self, cast):
        self.ratified = signed_final(cast).final
        self.signed = signed_placement(tutor=cast.tutor, programme=cast.programme)
        self.not_started = factories.PlacementFactory(tutor=cast.tutor, programme=cast.programme)
        # Same university, another tutor: the coordinator and panel see it, cast.tutor does not.
        self.colleagues = ratified_placement(cast.panel, programme=cast.programme)


@pytest.fixture
def cohort(cast) -> Cohort:
    return Cohort(cast)


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def csv_text(data: bytes) -> str:
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the byte-order mark to read UTF-8"
    return data.decode("utf-8-sig")


def csv_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text(b"".join(response.streaming_content)))))


def index_of(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text(archive.read("index.csv")))))


def entry_name(review: Review, event: str = "ratified") -> str:
    student = review.placement.student
    report = latest_report(review)
    return (
        f"{student.last_name.upper()}_{student.first_name}_{student.student_number}"
        f"_final_v{report.version}_{event}.pdf"
    )


# --- The ZIP of final reports ------------------------------------------------------------------


def test_the_tutor_gets_the_ratified_report_of_each_of_their_placements(client, cast, cohort):
    client.force_login(cast.tutor)

    response = client.get(ZIP)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="final-reports-')
    archive = zip_of(response)
    # The signed but unratified placement is left out; so is the colleague's.
    assert archive.namelist() == ["index.csv", entry_name(cohort.ratified)]
    assert archive.read(entry_name(cohort.ratified)) == stored_bytes(latest_report(cohort.ratified))
    assert entry_name(cohort.ratified).endswith("_final_v4_ratified.pdf")


def test_the_index_lists_each_file_with_student_number_outcome_and_sha256(client, cast, cohort):
    client.force_login(cast.coordinator)

    archive = zip_of(client.get(ZIP))

    index = index_of(archive)
    assert list(index[0]) == [
        "File",
        "Student",
        "Student number",
        "Programme",
        "Outcome",
        "Version",
        "Ratified on",
        "SHA-256",
    ]
    assert sorted(row["File"] for row in index) == sorted(archive.namelist()[1:])
    ours = next(row for row in index if row["Student"] == cast.student.display_name)
    report = latest_report(cohort.ratified)
    assert ours == {
        "File": entry_name(cohort.ratified),
        "Student": cast.student.display_name,
        "Student number": cast.student.student_number,
        "Programme": str(cast.programme),
        "Outcome": "Pass",
        "Version": "4",
        "Ratified on": f"{timezone.localtime(cohort.ratified.panel_at):%Y-%m-%d}",
        "SHA-256": report.sha256,
    }
    for row in index:
        assert hashlib.sha256(archive.read(row["File"])).hexdigest() == row["SHA-256"]


def test_a_choice_adds_every_other_stored_version(client, cast, cohort):
    client.force_login(cast.tutor)

    names = zip_of(client.get(ZIP, {"include": "all"})).namelist()

    versions = [
        n.rsplit("_final_", 1)[1] for n in names if n.startswith(cast.student.last_name.upper())
    ]
    assert versions == [
        "v1_signed.pdf",
        "v2_acknowledged.pdf",
        "v3_countersigned.pdf",
        "v4_ratified.pdf",
    ]
    assert entry_name(cohort.signed, "signed") in names


@pytest.mark.parametrize("who", ["coordinator", "panel"])
def test_the_coordinator_and_panel_get_every_placement_of_their_university(
    client, cast, cohort, who
):
    client.force_login(getattr(cast, who))

    names = zip_of(client.get(ZIP)).namelist()

    assert sorted(names) == sorted(
        ["index.csv", entry_name(cohort.ratified), entry_name(cohort.colleagues)]
    )


def test_the_zip_holds_only_the_filtered_cohort(client, cast, cohort):
    client.force_login(cast.coordinator)

    response = client.get(ZIP, {"status": "final_review_signed", "include": "all"})

    assert zip_of(response).namelist() == ["index.csv", entry_name(cohort.signed, "signed")]


def test_the_zip_download_is_recorded_with_its_filters_and_size(client, cast, cohort):
    client.force_login(cast.coordinator)

    zip_of(client.get(ZIP, {"programme": cast.programme.pk, "stage": "final"}))

    record = ReportDownload.objects.get()
    assert record.user == cast.coordinator
    assert record.kind == ReportDownload.Kind.ZIP
    assert record.item_count == 2
    assert record.description == f"programme={cast.programme.pk}&stage=final"


def test_a_cohort_with_no_ratified_report_is_told_so_and_gets_no_empty_zip(client, cast):
    signed_placement(tutor=cast.tutor, programme=cast.programme)
    client.force_login(cast.tutor)

    response = client.get(ZIP, {"stage": "final"}, follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('portfolios:dashboard-cohort')}?stage=final"
    page = html.unescape(response.content.decode())
    assert "No ratified final reports match these filters" in page
    assert not ReportDownload.objects.exists()
    # Asking for every version gives the signed one.
    assert len(zip_of(client.get(ZIP, {"include": "all"})).namelist()) == 2


@pytest.mark.parametrize("who", ["other_coordinator", "other_tutor"])
def test_another_universitys_staff_get_none_of_these_reports(client, cast, cohort, who):
    client.force_login(getattr(cast, who))

    response = client.get(ZIP, {"include": "all"})

    assert response.status_code == 302
    assert not ReportDownload.objects.exists()


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
    ratified_placement(cast.panel, programme=cast.programme)
    with CaptureQueriesContext(connection) as one:
        zip_of(client.get(ZIP))
    for _ in range(3):
        ratified_placement(cast.panel, programme=cast.programme)
    with CaptureQueriesContext(connection) as four:
        assert len(zip_of(client.get(ZIP)).namelist()) == 1 + 4

    assert len(four) == len(one)


def test_names_with_commas_quotes_and_other_scripts_make_safe_file_names(client, cast):
    people = [
        ("Zoë", "O'Brien, Jr", "S-001"),
        ('Amara "Mimi"', "Okafor", "S/002"),
        ("芳", "王", "S003"),
        ("Дарья", "Смирнова", ""),
    ]
    for first, last, number in people:
        student = factories.StudentFactory(first_name=first, last_name=last, student_number=number)
        ratified_placement(cast.panel, student=student, tutor=cast.tutor, programme=cast.programme)
    client.force_login(cast.tutor)

    archive = zip_of(client.get(ZIP))

    names = archive.namelist()[1:]
    assert "OBRIEN-JR_Zoe_S-001_final_v4_ratified.pdf" in names
    assert "OKAFOR_Amara-Mimi_S-002_final_v4_ratified.pdf" in names
    assert "WANG_Fang_S003_final_v4_ratified.pdf" in names
    assert any(n.startswith("SMIRNOVA_Darya_no-number-") for n in names)
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", n) for n in names)
    # The index keeps each name as written, in UTF-8.
    students = {row["Student"] for row in index_of(archive)}
    assert {"Zoë O'Brien, Jr", 'Amara "Mimi" Okafor', "芳 王", "Дарья Смирнова"} <= students


def test_a_review_reopened_as_an_amendment_has_no_final_report_in_the_zip(client, cast):
    story = signed_final(cast, until=Review.Status.SIGNED)
    services.review_amend(
        actor=cast.educator, review=story.final, reason="The wrong grade was entered."
    )
    client.force_login(cast.tutor)

    names = zip_of(client.get(ZIP, {"include": "all"})).namelist()

    assert names[1:] == [
        f"{cast.student.last_name.upper()}_{cast.student.first_name}_"
        f"{cast.student.student_number}_final_v1_signed_superseded.pdf"
    ]


# --- The CSV of outcomes -----------------------------------------------------------------------


def test_the_csv_gives_each_placements_recommendation_grades_and_suitability(client, cast, cohort):
    client.force_login(cast.tutor)

    response = client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_of(response)
    assert header[:11] == [
        "Student",
        "Student number",
        "Email",
        "Programme",
        "University",
        "Setting",
        "Stage",
        "Days required",
        "Days completed",
        "Direct observations",
        "Of which by the educator",
    ]
    domains = cast.placement.framework.domains.order_by("order")
    assert header[11:20] == [f"{d.order}. {d.name}" for d in domains]
    assert header[-3:] == ["Recommendation", "Final review", "Placement status"]
    assert "Suitability: Adult social care" in header
    by_student = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_student) == {
        cast.student.display_name,
        cohort.signed.placement.student.display_name,
        cohort.not_started.student.display_name,
    }
    ours = by_student[cast.student.display_name]
    assert ours["Student number"] == cast.student.student_number
    assert ours["Setting"] == cast.placement.setting_name
    assert ours["Days required"] == str(cast.placement.required_days)
    assert ours["Days completed"] == f"{cast.placement.days_completed.normalize():f}"
    # The three builders.signable records (two by the educator) and the educator's home visit.
    assert (ours["Direct observations"], ours["Of which by the educator"]) == ("4", "3")
    assert ours["Placement status"] == "Ratified"
    assert ours["Final review"] == "Ratified by the panel"
    assert ours["Recommendation"] == "Pass"
    assert ours[header[15]] == "Meets the level"
    assert ours["Suitability: Adult social care"] == "Well suited"
    assert ours["Suitability: Children and families"] == "Suited with support"
    signed = by_student[cohort.signed.placement.student.display_name]
    assert signed["Final review"] == "Signed by the educator"
    assert signed[header[11]] == "Exceeds"
    assert signed["Suitability: Adult social care"] == "Not observed"
    waiting = by_student[cohort.not_started.student.display_name]
    assert waiting["Final review"] == "Not started"
    assert waiting["Recommendation"] == waiting[header[11]] == ""


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


def test_the_csv_keeps_commas_quotes_and_other_scripts_intact(client, cast):
    student = factories.StudentFactory(first_name='Amara "Mimi"', last_name="O'Brien, 王")
    factories.PlacementFactory(student=student, tutor=cast.tutor, programme=cast.programme)
    client.force_login(cast.tutor)

    header, *rows = csv_of(client.get(CSV))

    assert [row[0] for row in rows if row[0].startswith("Amara")] == ['Amara "Mimi" O\'Brien, 王']
    assert all(len(row) == len(header) for row in rows)


def test_the_csv_holds_only_the_filtered_cohort(client, cast, cohort):
    client.force_login(cast.coordinator)

    header, *rows = csv_of(client.get(CSV, {"status": "final_review_signed"}))

    assert sorted(row[0] for row in rows) == sorted(
        r.placement.student.display_name for r in (cohort.signed,)
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
