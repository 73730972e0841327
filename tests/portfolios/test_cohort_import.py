"""Cohort import: the preview lists every problem by row and column, and the import creates
all the placements (through placement_create) or none; a second import creates nothing."""

import codecs
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Invitation, User
from accounts.roles import Role
from portfolios.cohort_import import ImportFileError, plan_import
from portfolios.models import Placement
from portfolios.selectors import placements_visible_to
from portfolios.services.cohort_import import cohort_import
from tests import factories
from tests.portfolios.cohort_csv import COLUMNS, ImportWorld, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return ImportWorld()


def errors_of(world, raw: bytes) -> list[str]:
    return [str(e) for e in plan_import(raw=raw, university=world.university).errors]


def import_(world, raw: bytes, actor=None):
    return cohort_import(actor=actor or world.coordinator, university=world.university, raw=raw)


def test_a_good_file_creates_each_placement_with_its_people_and_their_permissions(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    new_educator = {
        "educator_email": "jo@independent.example.org",
        "educator_name": "Jo Whitaker",
        "supervisor_email": "tom@agency.example.org",
        "supervisor_name": "Tom Pritchard",
    }
    raw = csv_bytes([world.row(1), world.row(2, **new_educator)])
    with django_capture_on_commit_callbacks(execute=True):
        result = import_(world, raw)
    assert len(result.placements) == 2
    placement = Placement.objects.get(student__email="student2@student.example.ac.uk")
    assert placement.educator.email == "jo@independent.example.org"
    assert placement.educator.get_full_name() == "Jo Whitaker"
    assert placement.supervisor.has_role(Role.SUPERVISOR)
    assert placement.student.student_number == "NB00002"
    assert placement.programme == world.programme
    assert placement.practice_area == world.area
    assert (placement.start_date.isoformat(), placement.end_date.isoformat()) == (
        "2027-01-11",
        "2027-05-31",
    )
    assert placement.framework == world.programme.framework
    assert placements_visible_to(user=placement.educator).filter(pk=placement.pk).exists()
    assert placements_visible_to(user=placement.student).filter(pk=placement.pk).exists()
    # New people have no password and an invitation each; existing people are not invited.
    new_people = User.objects.filter(email__in=[r["student_email"] for r in [world.row(1)]])
    assert not new_people.get().has_usable_password()
    invited = set(Invitation.objects.values_list("user__email", flat=True))
    assert invited == {
        "student1@student.example.ac.uk",
        "student2@student.example.ac.uk",
        "jo@independent.example.org",
        "tom@agency.example.org",
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted(invited)
    jo = next(m for m in mailoutbox if m.to == ["jo@independent.example.org"])
    assert "practice educator" in jo.body
    assert "Northbridge Adults" not in jo.body  # no case detail: no setting, no student
    assert "Student Number2" not in jo.body


def test_importing_the_same_file_twice_creates_nothing_the_second_time(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    raw = csv_bytes([world.row(1), world.row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        import_(world, raw)
    counts = (Placement.objects.count(), User.objects.count(), Invitation.objects.count())
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = import_(world, raw)
    assert again.placements == [] and again.already_imported == 2
    assert (Placement.objects.count(), User.objects.count(), Invitation.objects.count()) == counts
    assert len(mailoutbox) == sent


def test_a_row_differing_only_in_setting_is_still_the_same_placement(world):
    import_(world, csv_bytes([world.row(1)]))
    plan = plan_import(
        raw=csv_bytes([world.row(1, setting="Another team")]), university=world.university
    )
    assert plan.errors == [] and len(plan.already_imported) == 1 and plan.to_create == []


def test_columns_may_come_in_any_order(world):
    raw = csv_bytes([world.row(1)], columns=list(reversed(COLUMNS)))
    assert errors_of(world, raw) == []
    assert len(import_(world, raw).placements) == 1


def test_a_missing_column_is_named_on_row_1(world):
    columns = [c for c in COLUMNS if c != "tutor_email"]
    assert errors_of(world, csv_bytes([world.row(1)], columns=columns)) == [
        "row 1: Missing column: tutor_email."
    ]


def test_a_bad_date_is_named_by_row_and_column(world):
    raw = csv_bytes([world.row(1), world.row(2, start_date="2027-13-01")])
    assert errors_of(world, raw) == ["row 3: start_date: Write dates as 2027-01-31 or 31/01/2027."]


def test_an_end_before_its_start_is_refused(world):
    raw = csv_bytes([world.row(1, start_date="2027-05-01", end_date="01/04/2027")])
    assert errors_of(world, raw) == ["row 2: end_date: The end date is before the start date."]


def test_an_unknown_programme_names_the_universitys_programmes(world):
    errors = errors_of(world, csv_bytes([world.row(1, programme="Nursing")]))
    assert errors == [
        "row 2: programme: No programme called “Nursing” at University of Northbridge. "
        "Its programmes: Social Work."
    ]


def test_another_universitys_programme_is_unknown_here(world):
    factories.ProgrammeFactory(name="Social Work Elsewhere")
    errors = errors_of(world, csv_bytes([world.row(1, programme="Social Work Elsewhere")]))
    assert len(errors) == 1 and errors[0].startswith("row 2: programme: No programme called")


def test_a_duplicate_row_names_the_row_it_repeats(world):
    raw = csv_bytes([world.row(1), world.row(2), world.row(1, setting="Same placement")])
    assert errors_of(world, raw) == [
        "row 4: The same placement as row 2 (same student, programme, stage and start date)."
    ]


def test_the_same_person_as_student_and_educator_is_refused(world):
    raw = csv_bytes([world.row(1, educator_email="STUDENT1@student.example.ac.uk")])
    assert errors_of(world, raw) == [
        "row 2: educator_email: This is the student's own address: a student cannot be a "
        "practice educator on their own placement."
    ]


def test_an_existing_account_without_the_role_is_refused(world):
    raw = csv_bytes([world.row(1, educator_email=world.tutor.email)])
    errors = errors_of(world, raw)
    assert errors == [
        f"row 2: educator_email: {world.tutor.email} has an account but is not registered as "
        "a practice educator. Ask an administrator to add the role, or use another address."
    ]


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8 (with BOM)"),
        ("utf-16", "UTF-16"),
        ("latin-1", "Latin-1"),
        ("cp1252", "Windows-1252"),
    ],
)
def test_each_encoding_is_read_and_names_keep_their_accents(world, encoding, expected):
    name = "Siân Brontë" if encoding != "cp1252" else "Siân “Bo” Brontë"
    raw = csv_bytes([world.row(1, student_name=name)], encoding=encoding)
    if encoding == "utf-16":
        assert raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    plan = plan_import(raw=raw, university=world.university)
    assert plan.errors == []
    assert plan.encoding in (expected, "Windows-1252" if encoding == "latin-1" else expected)
    person = plan.new_people["student1@student.example.ac.uk"]
    assert f"{person.first_name} {person.last_name}" == name


def test_a_bom_does_not_hide_the_first_column(world):
    raw = codecs.BOM_UTF8 + csv_bytes([world.row(1)])
    assert errors_of(world, raw) == []


@pytest.mark.parametrize("cell", ["=1+2", "+44 7700", "-5", "@SUM(A1)", "\t=cmd"])
def test_formula_like_cells_are_refused_with_a_reason(world, cell):
    raw = csv_bytes([world.row(1, setting=cell)])
    errors = errors_of(world, raw)
    assert len(errors) == 1
    assert errors[0].startswith("row 2: setting: Starts with")
    assert "spreadsheet would run as a formula" in errors[0]


def test_every_error_is_listed_not_just_the_first(world):
    raw = csv_bytes(
        [
            world.row(1, stage="middle"),
            world.row(2),
            world.row(3, required_days="lots", practice_area="Astrology"),
        ]
    )
    assert errors_of(world, raw) == [
        "row 2: stage: Write first or final.",
        "row 4: practice_area: No area of practice called “Astrology”: use an area's name or code.",
        "row 4: required_days: Write a whole number of days.",
    ]


def test_a_file_with_any_error_imports_nothing(world):
    raw = csv_bytes([world.row(1), world.row(2, end_date="2026-01-01")])
    with pytest.raises(ValidationError) as refused:
        import_(world, raw)
    assert refused.value.messages == ["row 3: end_date: The end date is before the start date."]
    assert not Placement.objects.exists()
    assert not User.objects.filter(email__startswith="student").exists()


def test_a_coordinator_of_another_university_cannot_import_into_it(world):
    with pytest.raises(PermissionDenied):
        import_(world, csv_bytes([world.row(1)]), actor=world.other_coordinator)
    assert not Placement.objects.exists()


def test_a_file_that_is_not_text_is_refused_as_a_whole(world):
    with pytest.raises(ImportFileError, match="null characters"):
        plan_import(raw=b"\x00\x01\x02" * 10, university=world.university)


def test_a_header_without_rows_is_refused(world):
    with pytest.raises(ImportFileError, match="no rows"):
        plan_import(raw=csv_bytes([]), university=world.university)


def test_blank_lines_keep_spreadsheet_row_numbers(world):
    text = (
        csv_bytes([world.row(1)]).decode()
        + "\r\n"
        + csv_bytes([world.row(2, stage="x")]).decode().split("\r\n", 1)[1]
    )
    assert errors_of(world, text.encode()) == ["row 4: stage: Write first or final."]


def test_a_semicolon_separated_file_is_read(world):
    raw = csv_bytes([world.row(1)]).decode().replace(",", ";").encode()
    assert errors_of(world, raw) == []


def test_the_preview_reads_the_database_in_a_fixed_number_of_queries(world):
    small = csv_bytes([world.row(n) for n in range(1, 21)])
    large = csv_bytes(
        [world.row(n, educator_email=f"pe{n % 300}@agency.example") for n in range(1, 2001)]
    )
    import_(world, csv_bytes([world.row(5)]))  # one row already there
    with CaptureQueriesContext(connection) as few:
        assert plan_import(raw=small, university=world.university).errors == []
    started = time.monotonic()
    with CaptureQueriesContext(connection) as many:
        plan = plan_import(raw=large, university=world.university)
    elapsed = time.monotonic() - started
    assert plan.errors == [] and len(plan.to_create) == 1999
    assert len(many.captured_queries) == len(few.captured_queries) <= 6
    assert elapsed < 5, f"2,000 rows took {elapsed:.1f}s to preview"
