"""A database or storage failure in the middle of an upload, a sign-off or storing a signed
report leaves no orphan file and nothing half-changed, and the person is told in a sentence."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from assessments.models import Review, SignedReport
from portfolios import services
from portfolios.models import Evidence, EvidenceFile, PendingUpload, Placement
from portfolios.services.evidence import MappingInput
from tests.assessments import builders

SAVE_FAILED = "Something went wrong while saving; nothing was changed. Please try again."
NOTES = b"Notes from a home visit, written the same afternoon.\n"


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def orphan_files() -> set[str]:
    """Files in storage that no row names."""
    named = {
        *EvidenceFile.objects.values_list("file", flat=True),
        *PendingUpload.objects.values_list("file", flat=True),
        *SignedReport.objects.values_list("pdf", flat=True),
    }
    return stored_files() - named


def storage_failing_after(saves: int):
    """Storage that keeps the first `saves` files, then fails as a full disk would."""
    real = FileSystemStorage._save
    calls = {"n": 0}

    def save(storage, name, content):
        calls["n"] += 1
        if calls["n"] > saves:
            raise OSError(28, "No space left on device")
        return real(storage, name, content)

    return mock.patch.object(FileSystemStorage, "_save", autospec=True, side_effect=save)


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


# --- An evidence upload -----------------------------------------------------------------------


def create_with_files(cast, *files):
    return services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title="Home visit notes",
        practice_date=builders.days_ago(2),
        mappings=[MappingInput(cast.placement.framework.domains.first(), "It shows this.")],
        files=list(files),
    )


def test_a_storage_failure_on_the_second_file_removes_the_first_and_saves_nothing(cast):
    first, second = SimpleUploadedFile("a.txt", NOTES), SimpleUploadedFile("b.txt", NOTES)
    with storage_failing_after(1), pytest.raises(OSError):
        create_with_files(cast, first, second)
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files() == set()


def test_a_database_failure_after_the_files_are_stored_removes_them(cast):
    with (
        mock.patch(
            "portfolios.services.evidence._claim_pending", side_effect=DatabaseError("lost")
        ),
        pytest.raises(DatabaseError),
    ):
        create_with_files(cast, SimpleUploadedFile("a.txt", NOTES))
    assert not Evidence.objects.exists()
    assert stored_files() == set()


def evidence_form(cast, **extra) -> dict:
    domain = cast.placement.framework.domains.first()
    return {
        "kind": Evidence.Kind.CRITICAL_REFLECTION,
        "title": "Home visit notes",
        "practice_date": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
        "reflection": "What I learned.",
        f"map_{domain.pk}": "on",
        f"note_{domain.pk}": "Shows my listening.",
        **extra,
    }


def post_evidence(client, cast, **extra):
    url = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    return client.post(url, evidence_form(cast, **extra))


def test_a_database_failure_while_saving_evidence_is_a_sentence_and_keeps_the_file(
    client, cast, caplog
):
    client.force_login(cast.student)
    with mock.patch(
        "portfolios.services.evidence._save_details", side_effect=DatabaseError("lost")
    ):
        response = post_evidence(client, cast, files=[SimpleUploadedFile("visit.txt", NOTES)])
    assert response.status_code == 200
    assert SAVE_FAILED in page_text(response)
    assert not Evidence.objects.exists()
    # The file is held for the next attempt, as after any other mistake, and named by its row.
    held = PendingUpload.objects.get()
    assert "visit.txt" in page_text(response)
    assert stored_files() == {held.file.name}
    assert orphan_files() == set()
    assert 'value="Home visit notes"' in response.content.decode()
    # The log says which page failed, and nothing the student wrote.
    assert "portfolios:evidence-create" in caplog.text
    assert "Home visit" not in caplog.text and "visit.txt" not in caplog.text


def test_a_storage_failure_while_uploading_evidence_is_a_sentence_and_stores_nothing(client, cast):
    client.force_login(cast.student)
    with storage_failing_after(0):
        response = post_evidence(client, cast, files=[SimpleUploadedFile("visit.txt", NOTES)])
    assert response.status_code == 200
    assert SAVE_FAILED in page_text(response)
    assert not Evidence.objects.exists()
    assert not PendingUpload.objects.exists()
    assert stored_files() == set()


# --- A sign-off, and storing its signed report ------------------------------------------------


def post_sign(client, review):
    client.force_login(review.placement.educator)
    return client.post(reverse("assessments:review-sign", kwargs={"pk": review.pk}))


def assert_nothing_signed(review: Review, files_before: set[str]) -> None:
    review = builders.fresh(review)
    assert review.status == Review.Status.DRAFT
    assert review.signed_at is None and review.locked_at is None
    assert not Evidence.objects.filter(
        citations__judgement__review=review, locked_at__isnull=False
    ).exists()
    assert Placement.objects.get(pk=review.placement_id).status == Placement.Status.ACTIVE
    assert not SignedReport.objects.filter(review=review).exists()
    assert stored_files() == files_before
    assert orphan_files() == set()


def test_a_database_failure_while_signing_is_a_sentence_and_nothing_is_signed(client, cast):
    review = builders.ready(cast.placement)
    before = stored_files()
    with mock.patch("assessments.services.report_store", side_effect=DatabaseError("lost")):
        response = post_sign(client, review)
    assert response.status_code == 200
    assert SAVE_FAILED in page_text(response)
    assert_nothing_signed(review, before)


def test_a_storage_failure_while_storing_the_signed_report_is_a_sentence(client, cast):
    review = builders.ready(cast.placement)
    before = stored_files()
    with storage_failing_after(0):
        response = post_sign(client, review)
    assert response.status_code == 200
    assert SAVE_FAILED in page_text(response)
    assert_nothing_signed(review, before)


def test_a_database_failure_after_the_report_is_stored_removes_its_file(client, cast):
    review = builders.ready(cast.placement)
    before = stored_files()
    with mock.patch.object(SignedReport, "save", side_effect=DatabaseError("lost")):
        response = post_sign(client, review)
    assert response.status_code == 200
    assert SAVE_FAILED in page_text(response)
    assert_nothing_signed(review, before)


def test_signing_works_again_once_the_fault_has_passed(client, cast):
    review = builders.ready(cast.placement)
    with mock.patch("assessments.services.report_store", side_effect=DatabaseError("lost")):
        post_sign(client, review)
    response = post_sign(client, review)
    assert response.status_code == 302
    assert builders.fresh(review).status == Review.Status.SIGNED
    report = SignedReport.objects.get(review=review)
    assert report.pdf.name in stored_files()
    assert orphan_files() == set()
