"""Files on evidence through the site: what is refused (and how the student is told), what is
stored, how it comes back as a download, and who may remove it."""

import datetime
import hashlib
import html
import io
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reportlab.pdfgen import canvas

from portfolios import services, uploads
from portfolios.models import Evidence, EvidenceFile, PendingUpload
from portfolios.services.evidence import MappingInput

STAFF = ["educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
LOGIN = reverse("accounts:login")
KB = 1024
MB = 1024 * KB
NOTES = b"Notes from a home visit, written the same afternoon.\n"
BOUNDARY = "EvidenceFormBoundary7MA4YWxk"


# --- Samples, built here so each test says what it feeds in ----------------------------------


def pdf_bytes(text: str = "Supervision notes, week 3") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    """A PDF whose catalog runs a script as it opens."""
    data = pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>" in data
    return data


def docx_bomb(zeros: int, *, extra_members: int = 0) -> bytes:
    """A Word document as far as a sniffer can tell, with a member that is a long run of
    zeros, which deflate squeezes to almost nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/blank.bin", bytes(zeros))
        for n in range(extra_members):
            archive.writestr(f"word/part{n}.xml", b"<p/>")
    return buffer.getvalue()


# --- Helpers ----------------------------------------------------------------------------------


def create_url(placement) -> str:
    return reverse("portfolios:evidence-create", kwargs={"pk": placement.pk})


def download_url(item) -> str:
    return reverse("portfolios:evidence-file-download", kwargs={"pk": item.pk})


def delete_url(item) -> str:
    return reverse("portfolios:evidence-file-delete", kwargs={"pk": item.pk})


def a_day_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def form_data(cast, **changes) -> dict:
    one = cast.placement.framework.domains.get(order=1)
    data = {
        "kind": Evidence.Kind.WRITTEN_WORK,
        "title": "Case summary for the panel",
        "practice_date": a_day_ago().isoformat(),
        "reflection": "What I learned.",
        f"map_{one.pk}": "on",
        f"note_{one.pk}": "Shows my recording.",
    }
    data.update(changes)
    return data


def raw_multipart(fields: dict, filename: bytes, data: bytes) -> bytes:
    """A form post as a hostile client might send it: the file name exactly as given, which
    Django's test client would otherwise tidy up before sending."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def text(response) -> str:
    return html.unescape(response.content.decode())


def files_error(response) -> str:
    return " ".join(response.context["form"].errors.get("files", []))


def evidence_with_file(cast, *, name="notes.txt", data=NOTES, submit=False) -> EvidenceFile:
    evidence = services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=Evidence.Kind.WRITTEN_WORK,
        title="Case summary",
        practice_date=a_day_ago(),
        mappings=[MappingInput(cast.placement.framework.domains.get(order=1), "Shows it.")],
        files=[SimpleUploadedFile(name, data)],
    )
    if submit:
        services.evidence_submit(actor=cast.student, evidence=evidence)
    return evidence.files.get()


def body(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# --- Files that are stored --------------------------------------------------------------------


def test_one_file_is_stored_with_its_hash_under_a_random_name(client, cast, settings):
    data = pdf_bytes()
    client.force_login(cast.student)
    upload = SimpleUploadedFile("Supervision notes.pdf", data, content_type="application/pdf")
    response = client.post(create_url(cast.placement), form_data(cast, files=upload))
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response.url == evidence.get_absolute_url()
    item = evidence.files.get()
    assert item.original_name == "Supervision notes.pdf"
    assert item.content_type == "application/pdf"
    assert item.size == len(data)
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.active_content is False
    assert "Supervision" not in item.file.name
    (on_disk,) = stored_files(settings)
    assert on_disk.read_bytes() == data
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == item.sha256
    assert on_disk.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence" / str(cast.placement.pk))
    assert not PendingUpload.objects.exists()


def test_several_files_are_stored_at_once(client, cast, settings):
    sent = {"Diary.txt": NOTES, "Report.pdf": pdf_bytes("Report"), "Plan.md": b"# Plan\n"}
    client.force_login(cast.student)
    uploads_ = [SimpleUploadedFile(name, data) for name, data in sent.items()]
    response = client.post(create_url(cast.placement), form_data(cast, files=uploads_))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = {f.original_name: f for f in evidence.files.all()}
    assert set(stored) == set(sent)
    for name, data in sent.items():
        assert stored[name].sha256 == hashlib.sha256(data).hexdigest()
        with stored[name].file.open("rb") as handle:
            assert handle.read() == data
    assert len(stored_files(settings)) == 3


def test_the_evidence_page_lists_each_file_with_its_hash(client, cast):
    item = evidence_with_file(cast, name="Diary.txt")
    client.force_login(cast.student)
    page = text(client.get(item.evidence.get_absolute_url()))
    assert f'<a href="{download_url(item)}">Diary.txt</a>' in page
    assert f"SHA-256 {item.sha256}" in page


@pytest.mark.parametrize(
    ("sent_as", "kept_as"),
    [
        (b"../../etc/notes.txt", "notes.txt"),
        (b"..\\..\\Windows\\notes.txt", "notes.txt"),
        (b"/var/www/notes.txt", "notes.txt"),
        (b"..notes.txt..", "notes.txt"),
        (b"no\x00tes.txt", "notes.txt"),
        (b'"quoted"<name>.txt', "_quoted__name_.txt"),
        ("caf\u00e9 \u202enotes.txt".encode(), "caf\u00e9 notes.txt"),
    ],
)
def test_a_file_with_a_dangerous_name_is_accepted_under_a_safe_one(
    client, cast, settings, sent_as, kept_as
):
    client.force_login(cast.student)
    response = client.post(
        create_url(cast.placement),
        raw_multipart(form_data(cast), sent_as, NOTES),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 302
    item = Evidence.objects.get().files.get()
    assert item.original_name == kept_as
    assert item.sha256 == hashlib.sha256(NOTES).hexdigest()
    (on_disk,) = stored_files(settings)
    assert on_disk.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence")
    assert on_disk.name != kept_as


def test_a_300_character_file_name_is_shortened_keeping_its_extension(client, cast):
    client.force_login(cast.student)
    response = client.post(
        create_url(cast.placement),
        raw_multipart(form_data(cast), b"a" * 296 + b".txt", NOTES),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 302
    name = Evidence.objects.get().files.get().original_name
    assert name.endswith(".txt")
    assert set(name.removesuffix(".txt")) == {"a"}
    assert 100 <= len(name) <= 150


# --- Files that are refused -------------------------------------------------------------------


REFUSED = [
    pytest.param(
        "report.pdf",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        "“report.pdf” looks like a web page or an SVG image, and web pages and SVG images "
        "can't be uploaded.",
        id="html-renamed-pdf",
    ),
    pytest.param(
        "diagram.pdf",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        "“diagram.pdf” looks like a web page or an SVG image",
        id="svg-renamed-pdf",
    ),
    pytest.param(
        "empty.pdf",
        b"",
        "“empty.pdf” is empty (0 bytes). Please choose the file again.",
        id="empty",
    ),
    pytest.param(
        "setup.pdf",
        b"MZ\x90\x00" + bytes(200),
        "“setup.pdf” isn't a kind of file we can accept.",
        id="program",
    ),
    pytest.param(
        "notes.pdf",
        b"Home visit notes\n",
        "“notes.pdf” is called a PDF but its contents are plain text.",
        id="text-renamed-pdf",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_a_refused_file_is_explained_and_nothing_is_saved(
    client, cast, settings, name, data, message
):
    client.force_login(cast.student)
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client.post(create_url(cast.placement), form_data(cast, files=upload))
    assert response.status_code == 200
    assert message in files_error(response)
    assert message in text(response)
    assert 'value="Case summary for the panel"' in text(response)
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not PendingUpload.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("limit", "value", "docx"),
    [
        pytest.param("ZIP_MAX_TOTAL_BYTES", 64 * KB, docx_bomb(512 * KB), id="unpacks-too-big"),
        pytest.param("ZIP_RATIO_MIN_BYTES", 64 * KB, docx_bomb(512 * KB), id="squeezed-too-well"),
        pytest.param("ZIP_MAX_MEMBERS", 5, docx_bomb(10, extra_members=10), id="too-many-parts"),
    ],
)
def test_a_word_document_that_is_a_zip_bomb_is_refused(
    client, cast, settings, monkeypatch, limit, value, docx
):
    monkeypatch.setattr(uploads, limit, value)
    client.force_login(cast.student)
    upload = SimpleUploadedFile("Reflection.docx", docx)
    response = client.post(create_url(cast.placement), form_data(cast, files=upload))
    assert response.status_code == 200
    assert "“Reflection.docx” looks damaged or unsafe, so we can't accept it." in text(response)
    assert not Evidence.objects.exists()
    assert not PendingUpload.objects.exists()
    assert stored_files(settings) == []


def test_the_same_small_word_document_is_accepted_within_the_limits(client, cast):
    client.force_login(cast.student)
    upload = SimpleUploadedFile("Reflection.docx", docx_bomb(10))
    response = client.post(create_url(cast.placement), form_data(cast, files=upload))
    assert response.status_code == 302
    assert Evidence.objects.get().files.get().extension == ".docx"


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(client, cast, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    client.force_login(cast.student)
    upload = SimpleUploadedFile("Recording notes.txt", b"a" * (MB + MB // 2))
    response = client.post(create_url(cast.placement), form_data(cast, files=upload))
    assert response.status_code == 200
    assert "“Recording notes.txt” is larger than the 1 MB limit." in files_error(response)
    assert "Up to 1 MB each" in text(response)
    assert not Evidence.objects.exists()
    assert not PendingUpload.objects.exists()
    assert stored_files(settings) == []


def test_each_refused_file_gets_its_own_message(client, cast, settings):
    client.force_login(cast.student)
    files = [
        SimpleUploadedFile("page.pdf", b"<html><body>hi</body></html>"),
        SimpleUploadedFile("blank.txt", b""),
    ]
    response = client.post(create_url(cast.placement), form_data(cast, files=files))
    errors = files_error(response)
    assert "“page.pdf” looks like a web page" in errors
    assert "“blank.txt” is empty" in errors
    assert stored_files(settings) == []


# --- Downloads --------------------------------------------------------------------------------


def test_a_pdf_with_javascript_is_accepted_and_only_ever_downloaded_as_plain_bytes(client, cast):
    data = pdf_with_javascript()
    client.force_login(cast.student)
    upload = SimpleUploadedFile("Consent form.pdf", data, content_type="application/pdf")
    assert client.post(create_url(cast.placement), form_data(cast, files=upload)).status_code == 302
    item = EvidenceFile.objects.get()
    assert item.content_type == "application/pdf"
    assert item.active_content is True

    response = client.get(download_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Consent form.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == data


def test_an_ordinary_pdf_is_downloaded_as_a_pdf_attachment(client, cast):
    data = pdf_bytes()
    item = evidence_with_file(cast, name="Supervision notes.pdf", data=data)
    client.force_login(cast.student)
    response = client.get(download_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Supervision notes.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == data


@pytest.mark.parametrize("who", STAFF)
def test_the_placements_staff_download_files_of_submitted_evidence(client, cast, who):
    item = evidence_with_file(cast, submit=True)
    client.force_login(getattr(cast, who))
    response = client.get(download_url(item))
    assert response.status_code == 200
    assert body(response) == NOTES


def test_the_educator_cannot_download_a_file_of_a_draft(client, cast):
    item = evidence_with_file(cast)
    client.force_login(cast.educator)
    assert client.get(download_url(item)).status_code == 404


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_download_the_students_files(client, cast, who):
    item = evidence_with_file(cast, submit=True)
    client.force_login(getattr(cast, who))
    response = client.get(download_url(item))
    assert response.status_code == 404
    assert NOTES not in response.content


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_download(client, cast):
    item = evidence_with_file(cast, submit=True)
    url = download_url(item)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


def test_an_unknown_file_is_not_found(client, cast):
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-file-download", kwargs={"pk": uuid.uuid4()})
    assert client.get(url).status_code == 404


# --- Removing a file --------------------------------------------------------------------------


def test_the_student_removes_a_file_from_their_draft(
    client, cast, settings, django_capture_on_commit_callbacks
):
    item = evidence_with_file(cast, name="Wrong file.txt")
    assert len(stored_files(settings)) == 1
    client.force_login(cast.student)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(item))
    assert response.status_code == 302
    assert response.url == reverse("portfolios:evidence-update", kwargs={"pk": item.evidence_id})
    assert not EvidenceFile.objects.exists()
    assert stored_files(settings) == []
    assert "Removed “Wrong file.txt”." in text(client.get(response.url))


def test_the_student_cannot_remove_a_file_once_the_evidence_is_submitted(client, cast, settings):
    item = evidence_with_file(cast, submit=True)
    client.force_login(cast.student)
    response = client.post(delete_url(item), follow=True)
    assert "so it can no longer be changed" in text(response)
    assert EvidenceFile.objects.filter(pk=item.pk).exists()
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize("who", STAFF)
def test_staff_cannot_remove_the_students_file(client, cast, settings, who):
    item = evidence_with_file(cast, submit=True)
    client.force_login(getattr(cast, who))
    client.post(delete_url(item))
    assert EvidenceFile.objects.filter(pk=item.pk).exists()
    assert len(stored_files(settings)) == 1


def test_a_refused_educator_is_sent_back_to_the_evidence_with_the_reason(client, cast):
    item = evidence_with_file(cast, submit=True)
    client.force_login(cast.educator)
    response = client.post(delete_url(item), follow=True)
    assert response.status_code == 200
    assert "Only the student can change their evidence." in text(response)


def test_the_educator_cannot_find_a_file_of_a_draft_to_remove(client, cast):
    item = evidence_with_file(cast)
    client.force_login(cast.educator)
    assert client.post(delete_url(item)).status_code == 404
    assert EvidenceFile.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_cannot_find_a_file_to_remove(client, cast, settings, who):
    item = evidence_with_file(cast)
    client.force_login(getattr(cast, who))
    assert client.post(delete_url(item)).status_code == 404
    assert EvidenceFile.objects.filter(pk=item.pk).exists()
    assert len(stored_files(settings)) == 1


def test_a_file_is_never_removed_by_a_get(client, cast):
    item = evidence_with_file(cast)
    client.force_login(cast.student)
    assert client.get(delete_url(item)).status_code == 405
    assert EvidenceFile.objects.filter(pk=item.pk).exists()


def test_an_anonymous_visitor_cannot_remove_a_file(client, cast):
    item = evidence_with_file(cast)
    url = delete_url(item)
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"
    assert EvidenceFile.objects.filter(pk=item.pk).exists()
