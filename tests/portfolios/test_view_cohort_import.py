"""The coordinator's import pages: upload, preview with every error, import all or nothing."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from portfolios.models import CohortUpload, Placement
from tests import factories
from tests.portfolios.cohort_csv import COLUMNS, ImportWorld, csv_bytes

pytestmark = pytest.mark.django_db

UPLOAD = reverse("portfolios:cohort-import")
TEMPLATE = reverse("portfolios:cohort-import-template")


@pytest.fixture
def world():
    return ImportWorld()


def upload(client, world, raw: bytes, name="cohort.csv"):
    data = {"university": world.university.pk, "file": SimpleUploadedFile(name, raw)}
    return client.post(UPLOAD, data)


def test_a_coordinator_uploads_sees_the_preview_and_imports(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(world.coordinator)
    response = upload(client, world, csv_bytes([world.row(1), world.row(2)]))
    stored = CohortUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == stored.get_absolute_url()
    preview = client.get(stored.get_absolute_url())
    page = preview.content.decode()
    assert "Import 2 placements" in page and "student2@student.example.ac.uk" in page
    assert not Placement.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(stored.get_absolute_url(), {"sha256": stored.sha256})
    assert done.status_code == 302 and done["Location"] == reverse("portfolios:dashboard-cohort")
    assert Placement.objects.count() == 2
    stored.refresh_from_db()
    assert stored.imported_at and stored.placements_created == 2 and not stored.file
    assert len(mailoutbox) == 2


def test_the_preview_lists_each_error_by_row_and_column_and_offers_no_import(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1, start_date="31-01-2027"), world.row(2)]))
    page = client.get(CohortUpload.objects.get().get_absolute_url()).content.decode()
    assert "<td>2</td><td><code>start_date</code></td>" in page
    assert "Write dates as 2027-01-31 or 31/01/2027." in page
    assert "Import 1 placement" not in page and 'name="sha256"' not in page


def test_a_forged_commit_of_a_file_with_errors_imports_nothing(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1), world.row(2, programme="Nursing")]))
    stored = CohortUpload.objects.get()
    response = client.post(stored.get_absolute_url(), {"sha256": stored.sha256})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert not Placement.objects.exists()


def test_the_commit_imports_exactly_the_previewed_file(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1)]))
    stored = CohortUpload.objects.get()
    response = client.post(stored.get_absolute_url(), {"sha256": "0" * 64})
    assert response.status_code == 302 and response["Location"] == stored.get_absolute_url()
    assert not Placement.objects.exists()


def test_a_file_that_is_not_csv_is_explained_on_the_preview(client, world):
    client.force_login(world.coordinator)
    upload(client, world, b"\x00PK\x03\x04 not a csv", name="cohort.xlsx")
    page = client.get(CohortUpload.objects.get().get_absolute_url()).content.decode()
    assert "null characters" in page


def test_a_coordinator_of_another_university_gets_404_on_the_preview(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1)]))
    stored = CohortUpload.objects.get()
    client.force_login(world.other_coordinator)
    assert client.get(stored.get_absolute_url()).status_code == 404
    assert client.post(stored.get_absolute_url(), {"sha256": stored.sha256}).status_code == 404
    assert not Placement.objects.exists()


def test_a_coordinator_cannot_upload_for_a_university_not_theirs(client, world):
    client.force_login(world.other_coordinator)
    response = upload(client, world, csv_bytes([world.row(1)]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CohortUpload.objects.exists()


def test_people_who_are_not_coordinators_are_refused(client, world):
    client.force_login(world.tutor)
    assert client.get(UPLOAD).status_code == 403
    assert client.get(TEMPLATE).status_code == 403


def test_the_upload_page_links_the_sample_and_the_sample_has_the_columns(client, world):
    client.force_login(world.coordinator)
    assert TEMPLATE in client.get(UPLOAD).content.decode()
    sample = client.get(TEMPLATE)
    assert sample["Content-Disposition"] == 'attachment; filename="cohort-template.csv"'
    lines = sample.content.decode().splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 2


def test_the_sample_file_passes_its_own_checks_bar_the_programme_and_people(client, world):
    client.force_login(world.coordinator)
    sample = client.get(TEMPLATE).content
    upload(client, world, sample)
    page = client.get(CohortUpload.objects.get().get_absolute_url()).content.decode()
    assert "Write dates" not in page and "Missing column" not in page


def test_the_cohort_dashboard_links_the_import_for_coordinators(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("portfolios:dashboard-cohort")).content.decode()
    assert UPLOAD in page and reverse("portfolios:invitation-list") in page


def test_a_new_upload_replaces_the_coordinators_unimported_one(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1)]))
    first = CohortUpload.objects.get()
    upload(client, world, csv_bytes([world.row(2)]))
    assert list(CohortUpload.objects.all()) != [first] and CohortUpload.objects.count() == 1


def test_an_invitation_is_sent_when_a_placement_is_created_for_someone_without_a_password(
    client, cast, django_capture_on_commit_callbacks, mailoutbox
):
    external = factories.EducatorFactory(email="agency@example.org")
    external.set_unusable_password()
    external.save()
    client.force_login(cast.coordinator)
    data = {
        "student": cast.student.pk,
        "programme": cast.programme.pk,
        "stage": Placement.Stage.FIRST,
        "educator": external.pk,
        "tutor": cast.tutor.pk,
        "setting_name": "Agency team",
        "start_date": "2027-01-11",
        "end_date": "2027-04-30",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolios:placement-create"), data)
    assert response.status_code == 302
    assert Invitation.objects.get().user == external
    assert [m.to for m in mailoutbox] == [["agency@example.org"]]


def test_files_previewed_but_never_imported_are_purged_after_a_day(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1)]))
    stored = CohortUpload.objects.get()
    path = stored.file.path
    call_command("purge_pending_uploads", stdout=io.StringIO())
    assert CohortUpload.objects.exists()
    CohortUpload.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("purge_pending_uploads", stdout=io.StringIO())
    assert not CohortUpload.objects.exists()
    assert not os.path.exists(path)


def test_a_stored_file_that_has_gone_asks_for_the_file_again(client, world):
    client.force_login(world.coordinator)
    upload(client, world, csv_bytes([world.row(1)]))
    stored = CohortUpload.objects.get()
    stored.file.storage.delete(stored.file.name)
    response = client.get(stored.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == UPLOAD
