"""A mistake elsewhere in the evidence form never makes the student upload a file again."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from portfolios.models import Evidence, EvidenceFile, PendingUpload

NOTES = b"Notes from a home visit, written the same afternoon.\n"


def post_form(client, cast, **extra):
    domain = cast.placement.framework.domains.first()
    data = {
        "kind": Evidence.Kind.CRITICAL_REFLECTION,
        "title": "Home visit notes",
        "practice_date": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
        "reflection": "What I learned.",
        f"map_{domain.pk}": "on",
        f"note_{domain.pk}": "Shows my listening.",
    }
    data.update(extra)
    url = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    return client.post(url, data)


def test_a_validation_error_keeps_the_uploaded_file_for_the_next_attempt(client, cast):
    client.force_login(cast.student)
    response = post_form(client, cast, title="", files=[SimpleUploadedFile("visit.txt", NOTES)])
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    held = PendingUpload.objects.get()
    page = response.content.decode()
    assert "Files you already uploaded" in page
    assert "visit.txt" in page
    assert f'value="{held.pk}"' in page

    response = post_form(client, cast, pending=[str(held.pk)])
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    item = evidence.files.get()
    assert (item.original_name, item.sha256) == (held.original_name, held.sha256)
    assert item.file.name == held.file.name  # the stored bytes were kept, not copied
    with item.file.open("rb") as handle:
        assert handle.read() == NOTES
    assert not PendingUpload.objects.exists()


def test_an_unticked_held_file_is_left_out(client, cast):
    client.force_login(cast.student)
    post_form(client, cast, title="", files=[SimpleUploadedFile("visit.txt", NOTES)])
    post_form(client, cast)  # the pending box unticked: nothing sent back
    assert not EvidenceFile.objects.exists()


def test_someone_elses_held_upload_cannot_be_claimed(client, cast):
    client.force_login(cast.student)
    post_form(client, cast, title="", files=[SimpleUploadedFile("visit.txt", NOTES)])
    held = PendingUpload.objects.get()
    client.force_login(cast.other_student)
    other_url = reverse("portfolios:evidence-create", kwargs={"pk": cast.other_placement.pk})
    domain = cast.other_placement.framework.domains.first()
    client.post(
        other_url,
        {
            "kind": Evidence.Kind.OTHER,
            "title": "Mine",
            "practice_date": datetime.date.today().isoformat(),
            f"map_{domain.pk}": "on",
            f"note_{domain.pk}": "x",
            "pending": [str(held.pk)],
        },
    )
    assert not EvidenceFile.objects.exists()
    assert PendingUpload.objects.filter(pk=held.pk).exists()


def test_a_rejected_file_is_explained_and_the_good_one_kept(client, cast):
    client.force_login(cast.student)
    response = post_form(
        client,
        cast,
        files=[
            SimpleUploadedFile("good.txt", NOTES),
            SimpleUploadedFile("bad.pdf", b"<html><body>not a pdf</body></html>"),
        ],
    )
    assert response.status_code == 200
    assert "bad.pdf" in response.content.decode()
    assert not Evidence.objects.exists()
    assert list(PendingUpload.objects.values_list("original_name", flat=True)) == ["good.txt"]


def test_unclaimed_uploads_are_purged_with_their_files(client, cast):
    client.force_login(cast.student)
    post_form(client, cast, title="", files=[SimpleUploadedFile("visit.txt", NOTES)])
    held = PendingUpload.objects.get()
    storage, name = held.file.storage, held.file.name
    call_command("purge_pending_uploads", "--hours", "1", verbosity=0)
    assert PendingUpload.objects.exists()  # too young to purge
    PendingUpload.objects.update(
        created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    )
    call_command("purge_pending_uploads", "--hours", "1", verbosity=0)
    assert not PendingUpload.objects.exists()
    assert not storage.exists(name)
