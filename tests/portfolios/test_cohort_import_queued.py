"""A cohort file too large to import while the page waits goes to the task worker: the page
sends the coordinator to a status page, the worker imports all or nothing under the same
rules, a second run creates nothing, and the coordinator is told when it has finished or why
it stopped."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from notifications.events import Event
from notifications.models import Notification
from portfolios.models import CohortUpload, Placement
from portfolios.services import cohort_import as service
from tests.notifications.test_delivery import DB_TASKS, run_worker
from tests.portfolios.cohort_csv import ImportWorld, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    monkeypatch.setattr(service, "INLINE_ROWS", 2)
    return ImportWorld()


def queue_file(client, world, rows, capture) -> CohortUpload:
    client.force_login(world.coordinator)
    data = {
        "university": world.university.pk,
        "file": SimpleUploadedFile("cohort.csv", csv_bytes(rows)),
    }
    client.post(reverse("portfolios:cohort-import"), data)
    upload = CohortUpload.objects.latest("created_at")
    preview = client.get(upload.get_absolute_url()).content.decode()
    assert "imported in the background" in preview
    with capture(execute=True):
        response = client.post(upload.get_absolute_url(), {"sha256": upload.sha256})
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    upload.refresh_from_db()
    return upload


def test_a_large_file_is_imported_by_the_worker_and_the_coordinator_is_told(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    rows = [world.row(n) for n in range(1, 4)]
    upload = queue_file(client, world, rows, django_capture_on_commit_callbacks)
    assert upload.state == CohortUpload.State.QUEUED
    assert not Placement.objects.exists()
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs == {"args": [str(upload.pk)], "kwargs": {}}
    status = client.get(upload.get_absolute_url())
    assert "is being imported" in status.content.decode()
    assert '<meta http-equiv="refresh"' in status.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # imports, and queues the notification and invitations
    run_worker()  # sends them

    assert Placement.objects.count() == 3
    upload.refresh_from_db()
    assert upload.state == CohortUpload.State.IMPORTED and not upload.file
    assert (upload.placements_created, upload.people_created) == (3, 3)
    told = Notification.objects.get(event=Event.COHORT_IMPORTED)
    assert told.recipient == world.coordinator and told.status == Notification.Status.SENT
    mail = next(m for m in mailoutbox if m.to == [world.coordinator.email])
    assert "3 placements created" in mail.body and upload.get_absolute_url() in mail.body
    assert {m.to[0] for m in mailoutbox} >= {r["student_email"] for r in rows}
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Import finished" in page and "3 placements created" in page


def test_a_second_run_of_the_task_or_of_the_file_creates_nothing(
    client, world, django_capture_on_commit_callbacks
):
    rows = [world.row(n) for n in range(1, 4)]
    upload = queue_file(client, world, rows, django_capture_on_commit_callbacks)
    run_worker()
    assert service.cohort_upload_run(upload_id=upload.pk) == "nothing to import"
    data = {"university": world.university.pk, "file": SimpleUploadedFile("b.csv", csv_bytes(rows))}
    client.post(reverse("portfolios:cohort-import"), data)
    again = CohortUpload.objects.latest("created_at")
    assert "Every row is already imported" in client.get(again.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        service.cohort_upload_queue(actor=world.coordinator, upload=again)
    run_worker()
    again.refresh_from_db()
    assert again.state == CohortUpload.State.IMPORTED and again.placements_created == 0
    assert Placement.objects.count() == 3


def test_a_failure_halfway_imports_nothing_and_says_why(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    upload = queue_file(
        client, world, [world.row(n) for n in range(1, 4)], django_capture_on_commit_callbacks
    )
    real = service.placement_create
    calls = []

    def third_fails(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real(**kwargs)

    with (
        mock.patch.object(service, "placement_create", third_fails),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_worker()
    run_worker()
    assert not Placement.objects.exists()
    upload.refresh_from_db()
    assert upload.state == CohortUpload.State.FAILED and upload.file
    assert Notification.objects.filter(event=Event.COHORT_IMPORT_FAILED).exists()
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "unexpected error" in page
    # The coordinator presses Import again; this time it goes through.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload.get_absolute_url(), {"sha256": upload.sha256})
    run_worker()
    assert Placement.objects.count() == 3


def test_the_worker_applies_the_rules_as_they_are_when_it_runs(
    client, world, django_capture_on_commit_callbacks
):
    upload = queue_file(
        client, world, [world.row(n) for n in range(1, 4)], django_capture_on_commit_callbacks
    )
    world.educator.groups.clear()  # no longer a practice educator
    run_worker()
    assert not Placement.objects.exists()
    upload.refresh_from_db()
    assert upload.state == CohortUpload.State.FAILED
    assert any("row 2: educator_email" in e for e in upload.import_errors)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "not registered as a practice educator" in page


def test_another_coordinator_cannot_see_the_status_page(
    client, world, django_capture_on_commit_callbacks
):
    upload = queue_file(
        client, world, [world.row(n) for n in range(1, 4)], django_capture_on_commit_callbacks
    )
    client.force_login(world.other_coordinator)
    assert client.get(upload.get_absolute_url()).status_code == 404
