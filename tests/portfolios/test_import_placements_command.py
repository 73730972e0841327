"""`manage.py import_placements FILE --university NAME [--dry-run]`: the preview, one line
per error starting `row N:`, exit 1 on any error with nothing imported, 0 otherwise."""

import io

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from accounts.models import Invitation
from portfolios.models import Placement
from tests.portfolios.cohort_csv import ImportWorld, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return ImportWorld()


def run(path, *args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import_placements", str(path), *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_a_dry_run_prints_the_preview_and_imports_nothing(world, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_bytes(csv_bytes([world.row(1), world.row(2)]))
    out, error = run(path, "--university", "Northbridge", "--dry-run")
    assert error is None
    assert "2 placement(s) to create" in out
    assert "student1@student.example.ac.uk (student)" in out
    assert "Dry run: nothing imported." in out
    assert not Placement.objects.exists()


def test_it_imports_by_the_universitys_full_name_and_a_second_run_adds_nothing(
    world, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "cohort.csv"
    path.write_bytes(csv_bytes([world.row(1)]))
    args = ("--university", "university of northbridge", "--as", world.coordinator.email)
    with django_capture_on_commit_callbacks(execute=True):
        out, error = run(path, *args)
    assert error is None and "Imported 1 placement(s)" in out
    assert Invitation.objects.get().invited_by == world.coordinator
    out, error = run(path, *args)
    assert error is None and "1 already imported (skipped)" in out
    assert Placement.objects.count() == 1


def test_each_error_is_a_line_starting_with_its_row_and_nothing_is_imported(world, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_bytes(
        csv_bytes([world.row(1, start_date="tomorrow"), world.row(2), world.row(3, stage="")])
    )
    out, error = run(path, "--university", "Northbridge")
    assert error is not None and "2 error(s): nothing imported." in str(error)
    lines = [line for line in out.splitlines() if line.startswith("row ")]
    assert lines == [
        "row 2: start_date: Write dates as 2027-01-31 or 31/01/2027.",
        "row 4: stage: This is empty; it must be filled in.",
    ]
    assert not Placement.objects.exists()


def test_an_unknown_university_is_refused(world, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_bytes(csv_bytes([world.row(1)]))
    _, error = run(path, "--university", "Atlantis")
    assert "No university called 'Atlantis'" in str(error)


def exit_code(*args) -> int:
    """What the shell sees: Django turns a CommandError into exit status 1. (Run from the
    command line, Django also closes its database connections at the end; the test keeps
    them, since its transaction lives on one.)"""
    try:
        execute_from_command_line(["manage.py", "import_placements", *args])
    except SystemExit as stop:
        return stop.code
    return 0


def test_the_exit_codes_are_1_on_an_error_and_0_otherwise(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(csv_bytes([world.row(1, end_date="2020-01-01")]))
    good.write_bytes(csv_bytes([world.row(1)]))
    assert exit_code(str(bad), "--university", "Northbridge") == 1
    printed = capsys.readouterr()
    assert "row 2: end_date: The end date is before the start date." in printed.out
    assert "nothing imported" in printed.err
    assert exit_code(str(good), "--university", "Northbridge") == 0
    assert "Imported 1 placement(s)" in capsys.readouterr().out
