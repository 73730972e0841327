import hashlib
import io
import struct
import zipfile
import zlib

import filetype
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from docx import Document
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.pdfgen import canvas

from portfolios import uploads
from portfolios.uploads import (
    ALLOWED_TYPES,
    DOCX,
    ODT,
    PDF,
    UploadRejected,
    inspect_upload,
    sanitise_filename,
)

MB = 1024 * 1024
LIMIT = 25 * MB


# Real samples, built here so each test says what it feeds in.


def pdf_bytes(text: str = "Supervision notes, week 3") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def pdf_with_open_action_script() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_object_stream(catalog_extra: bytes = b"") -> bytes:
    """A PDF whose catalog sits in a compressed object stream, as Word and most modern tools
    write them, so its names cannot be seen in the raw bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    index = b"1 %d 2 %d\n" % tuple(offsets)
    packed = zlib.compress(index + body)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_offset = len(out)
    out += b"3 0 obj\n<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        len(index),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [(0, 0, 65535), (2, 3, 0), (2, 3, 1), (1, stream_offset, 0), (1, xref_offset, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\n" % len(table)
    out += b"stream\n" + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Reflection on my first home visit.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<office:document-content"
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            "<office:body><office:text><text:p>Case notes</text:p></office:text></office:body>"
            "</office:document-content>",
        )
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, image_format)
    return buffer.getvalue()


ID3_TAG = b"ID3\x04\x00\x00\x00\x00\x00\x00"  # an empty ID3v2.4 tag
MPEG_FRAME = b"\xff\xfb\x90\x00" + bytes(413)  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
WEB_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"


def mp3_bytes(frames: int = 6) -> bytes:
    return ID3_TAG + MPEG_FRAME * frames


def box(name: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + name + payload


def full_box(name: bytes, payload: bytes) -> bytes:
    return box(name, b"\x00\x00\x00\x00" + payload)  # version 0, no flags


def audio_track() -> bytes:
    """One second of AAC audio as MP4 describes it: a sound handler, its timescale and length,
    and an mp4a sample entry (mono, 16 bit, 44.1 kHz)."""
    mdhd = full_box(b"mdhd", struct.pack(">IIIIHH", 0, 0, 44100, 44100, 0x55C4, 0))
    hdlr = full_box(b"hdlr", bytes(4) + b"soun" + bytes(12) + b"Sound\x00")
    mp4a = box(
        b"mp4a",
        bytes(6)
        + struct.pack(">H", 1)
        + bytes(8)
        + struct.pack(">HHHHI", 1, 16, 0, 0, 44100 << 16)
        + box(b"free"),
    )
    stsd = full_box(b"stsd", struct.pack(">I", 1) + mp4a)
    minf = box(b"minf", box(b"stbl", stsd))
    return box(b"trak", box(b"mdia", mdhd + hdlr + minf))


def m4a_bytes(
    major_brand: bytes = b"M4A ", compatible: bytes = b"M4A isom", moov: bytes | None = None
) -> bytes:
    ftyp = box(b"ftyp", major_brand + struct.pack(">I", 0) + compatible)
    moov = box(b"moov", audio_track()) if moov is None else moov
    return ftyp + moov + box(b"mdat", bytes(64))


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def temporary_upload(name: str, data: bytes, *, size: int | None = None, cls=TemporaryUploadedFile):
    uploaded = cls(name, "application/octet-stream", len(data) if size is None else size, None)
    uploaded.write(data)
    uploaded.seek(0)
    return uploaded


def rejection(uploaded, *, max_bytes: int = LIMIT) -> str:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(uploaded, max_bytes=max_bytes)
    return caught.value.message


# Each allowed type, from real files.

SAMPLES = [
    ("Supervision notes.pdf", pdf_bytes, PDF, ".pdf"),
    ("Reflection.docx", docx_bytes, DOCX, ".docx"),
    ("Case notes.odt", odt_bytes, ODT, ".odt"),
    ("Diary.txt", lambda: b"Met my educator; planned two visits.\n", "text/plain", ".txt"),
    ("Plan.md", lambda: "# Learning plan\n\n- Café visit – notes\n".encode(), "text/plain", ".txt"),
    ("Photo of the board.jpg", lambda: image_bytes("JPEG"), "image/jpeg", ".jpg"),
    ("Ecomap.png", lambda: image_bytes("PNG"), "image/png", ".png"),
    ("Interview.mp3", mp3_bytes, "audio/mpeg", ".mp3"),
    ("Voice memo.m4a", m4a_bytes, "audio/mp4", ".m4a"),
]


@pytest.mark.parametrize(("name", "make", "content_type", "extension"), SAMPLES)
def test_it_accepts_each_allowed_type_by_its_contents(name, make, content_type, extension):
    data = make()
    checked = inspect_upload(upload(name, data), max_bytes=LIMIT)
    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.original_name == name
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.active_content is False


def test_every_allowed_type_has_a_sample():
    assert {content_type for _, _, content_type, _ in SAMPLES} == set(ALLOWED_TYPES)


def test_it_accepts_a_file_on_disk_the_way_the_site_receives_it():
    data = docx_bytes()
    checked = inspect_upload(temporary_upload("Reflection.docx", data), max_bytes=LIMIT)
    assert checked.content_type == DOCX
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_a_name_without_an_extension_takes_its_type_from_the_contents():
    checked = inspect_upload(upload("Supervision notes", pdf_bytes()), max_bytes=LIMIT)
    assert checked.content_type == PDF
    assert checked.extension == ".pdf"
    assert checked.original_name == "Supervision notes"


def test_numbers_after_a_dot_are_not_taken_for_an_extension():
    checked = inspect_upload(upload("Visit 12.03", b"Home visit notes\n"), max_bytes=LIMIT)
    assert checked.content_type == "text/plain"


def test_it_accepts_utf16_text_with_a_byte_order_mark():
    data = "Notes – café\n".encode("utf-16")
    assert inspect_upload(upload("Diary.txt", data), max_bytes=LIMIT).content_type == "text/plain"


def test_it_accepts_audio_whose_m4a_brand_is_only_listed_as_compatible():
    data = m4a_bytes(major_brand=b"mp42", compatible=b"isomM4A ")
    assert filetype.guess_mime(data) == "video/mp4"  # why the module looks at the brands itself
    assert inspect_upload(upload("Memo.m4a", data), max_bytes=LIMIT).content_type == "audio/mp4"


def test_it_recognises_a_word_document_whatever_order_its_parts_are_in():
    members = docx_members()
    reordered = {"customXml/item1.xml": members.pop("customXml/item1.xml"), **members}
    data = zip_bytes(reordered)
    assert filetype.guess_mime(data) == "application/zip"  # filetype alone can't tell
    assert inspect_upload(upload("Reflection.docx", data), max_bytes=LIMIT).content_type == DOCX


# Things that must never be stored.


def test_it_rejects_an_empty_file():
    message = rejection(upload("report.pdf", b""))
    assert message == "“report.pdf” is empty (0 bytes). Please choose the file again."


def test_it_rejects_a_file_over_the_limit_and_says_the_limit_in_mb():
    message = rejection(upload("Recording.txt", b"a" * (MB + 1)), max_bytes=MB)
    assert "“Recording.txt” is larger than the 1 MB limit." in message


def test_it_counts_the_real_size_not_the_size_the_browser_declared():
    uploaded = temporary_upload("notes.txt", b"a" * 2000, size=10)
    assert "larger than the" in rejection(uploaded, max_bytes=1000)


def test_it_accepts_a_file_exactly_at_the_limit():
    assert inspect_upload(upload("notes.txt", b"a" * 1000), max_bytes=1000).size == 1000


def test_it_rejects_a_program():
    message = rejection(upload("setup.exe", b"MZ\x90\x00" + bytes(200)))
    assert message.startswith("“setup.exe” isn't a kind of file we can accept.")
    assert "PDF, Word document" in message


def test_it_rejects_a_zip_that_is_not_a_document():
    message = rejection(upload("photos.zip", zip_bytes({"a.txt": b"hello"})))
    assert "isn't a kind of file we can accept" in message


def test_it_rejects_binary_data_it_cannot_identify():
    assert "isn't a kind of file" in rejection(upload("data.bin", bytes(range(256)) * 4))


def test_it_rejects_text_containing_nul_bytes():
    assert "isn't a kind of file" in rejection(upload("notes", b"Visit notes\x00\x00more"))


def test_it_asks_for_utf8_when_a_text_file_uses_another_encoding():
    message = rejection(upload("notes.txt", "Café visit".encode("cp1252")))
    assert message.startswith("“notes.txt” is a text file saved in an encoding we can't read.")


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"\xef\xbb\xbf  \n<HTML><p>hello</p></HTML>",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"Notes for the panel\n<script>alert(document.cookie)</script>",
        b"<p>Looks like a paragraph, sniffs like HTML</p>",
    ],
)
def test_it_rejects_web_pages_and_svg_images_renamed_as_pdf(content):
    message = rejection(upload("report.pdf", content))
    assert message.startswith("“report.pdf” looks like a web page or an SVG image")
    assert "web pages and SVG images can't be uploaded" in message


def test_it_rejects_a_web_page_saved_as_text_too():
    assert "web page" in rejection(upload("notes.txt", b"<html><body>hi</body></html>"))


def test_it_rejects_text_renamed_as_a_pdf():
    message = rejection(upload("notes.pdf", b"Home visit notes\n"))
    assert message == (
        "“notes.pdf” is called a PDF but its contents are plain text. "
        "Please save it in the right format and try again."
    )


def test_it_rejects_a_png_named_as_a_pdf():
    message = rejection(upload("scan.pdf", image_bytes("PNG")))
    assert message.startswith("“scan.pdf” is called a PDF but its contents are a PNG image.")


def test_it_asks_to_rename_a_file_with_an_extension_it_does_not_know():
    message = rejection(upload("report.final", pdf_bytes()))
    assert message == (
        "“report.final” ends in “.final” but its contents are a PDF. "
        "Please rename it to end in “.pdf” and try again."
    )


def test_extensions_are_compared_without_regard_to_case():
    assert inspect_upload(upload("SCAN.PDF", pdf_bytes()), max_bytes=LIMIT).content_type == PDF


def test_it_names_the_file_in_every_message_by_its_sanitised_name():
    message = rejection(upload('../../etc/"evil"\u202e.pdf', b""))
    assert message.startswith("“_evil_.pdf” is empty")


# PDFs that can run something.


def test_a_plain_pdf_has_no_active_content():
    assert inspect_upload(upload("notes.pdf", pdf_bytes()), max_bytes=LIMIT).active_content is False


def test_a_pdf_that_runs_javascript_on_opening_is_accepted_but_marked_active():
    data = pdf_with_open_action_script()
    assert b"/OpenAction" in data and b"/JavaScript" in data
    checked = inspect_upload(upload("form.pdf", data), max_bytes=LIMIT)
    assert checked.content_type == PDF
    assert checked.active_content is True


def test_it_sees_through_hex_escaped_pdf_names():
    data = (
        pdf_with_open_action_script()
        .replace(b"/OpenAction", b"/Open#41ction")
        .replace(b"/JavaScript", b"/J#61vaScript")
        .replace(b"/JS ", b"/J#53 ")
    )
    assert b"/OpenAction" not in data and b"/JavaScript" not in data
    assert inspect_upload(upload("form.pdf", data), max_bytes=LIMIT).active_content is True


def test_it_finds_a_name_split_across_two_chunks(monkeypatch):
    # A harmless "open at page 1" action: the only active name in the file.
    data = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction [3 0 R /Fit]")
    assert data.count(b"/OpenAction") == 1
    split_at = data.index(b"/OpenAction") + 5
    monkeypatch.setattr(uploads, "SNIFF_BYTES", 64)  # or the first chunks are scanned as one
    monkeypatch.setattr(uploads, "CHUNK_SIZE", split_at)
    assert split_at > 64
    uploaded = temporary_upload("form.pdf", data)  # reads in CHUNK_SIZE pieces
    assert inspect_upload(uploaded, max_bytes=LIMIT).active_content is True


def test_it_looks_inside_compressed_object_streams_for_scripts():
    script = b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "
    data = pdf_with_object_stream(script)
    assert b"OpenAction" not in data  # only visible once the object stream is unpacked
    assert inspect_upload(upload("form.pdf", data), max_bytes=LIMIT).active_content is True


def test_a_pdf_with_an_ordinary_object_stream_is_not_marked_active():
    data = pdf_with_object_stream()
    assert inspect_upload(upload("notes.pdf", data), max_bytes=LIMIT).active_content is False


def test_a_pdf_whose_object_streams_cannot_be_read_is_treated_as_active():
    data = pdf_with_object_stream().replace(b"/FlateDecode", b"/LZWDecode  ")
    assert inspect_upload(upload("notes.pdf", data), max_bytes=LIMIT).active_content is True


# Zip-based documents.


def test_it_rejects_a_word_document_that_unpacks_to_more_than_the_total_limit(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL_BYTES", MB)
    data = zip_bytes({**docx_members(), "word/media/blank.bin": bytes(2 * MB)})
    message = rejection(upload("Reflection.docx", data))
    assert message.startswith("“Reflection.docx” looks damaged or unsafe")


def test_it_rejects_a_word_document_with_a_part_that_compresses_too_well(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_RATIO_MIN_BYTES", 64 * 1024)
    data = zip_bytes({**docx_members(), "word/media/blank.bin": bytes(MB)})
    assert "looks damaged or unsafe" in rejection(upload("Reflection.docx", data))


def test_it_rejects_a_word_document_with_too_many_parts(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_MEMBERS", 10)
    assert "looks damaged or unsafe" in rejection(upload("Reflection.docx", docx_bytes()))


def test_it_rejects_an_opendocument_zip_bomb(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL_BYTES", MB)
    with zipfile.ZipFile(io.BytesIO(odt_bytes())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT, compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            if name != "mimetype":
                archive.writestr(name, content)
        archive.writestr("Pictures/blank.bin", bytes(2 * MB))
    assert "looks damaged or unsafe" in rejection(upload("Case notes.odt", buffer.getvalue()))


def test_it_rejects_a_truncated_word_document():
    data = docx_bytes()[:-200]
    assert filetype.guess_mime(data) == DOCX  # the start still says Word
    assert "looks damaged or unsafe" in rejection(upload("Reflection.docx", data))


def test_it_rejects_a_word_document_with_a_corrupted_part():
    data = bytearray(docx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/styles.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    assert "looks damaged or unsafe" in rejection(upload("Reflection.docx", bytes(data)))


def test_it_rejects_a_zip_that_only_pretends_to_be_opendocument():
    data = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    assert "isn't a kind of file we can accept" in rejection(upload("Budget.odt", data))


# Reading: in chunks, and leaving the file ready to store.


class ForbidsUnsizedReads(TemporaryUploadedFile):
    """An upload that fails the test if anyone asks it for the whole file at once."""

    def read(self, size=-1):
        if size is None or size < 0:
            raise AssertionError("read() without a size: the whole file would be in memory")
        return self.file.read(size)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("notes.pdf", pdf_bytes),
        ("notes.pdf", pdf_with_object_stream),
        ("Reflection.docx", docx_bytes),
        ("Case notes.odt", odt_bytes),
        ("Diary.txt", lambda: b"Long diary entry.\n" * 20_000),
    ],
)
def test_it_streams_the_file_in_chunks_instead_of_reading_it_whole(name, make):
    data = make()
    uploaded = temporary_upload(name, data, cls=ForbidsUnsizedReads)
    checked = inspect_upload(uploaded, max_bytes=LIMIT)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.size == len(data)
    assert checked.active_content is False  # the object stream was read, not given up on


def test_it_leaves_the_file_at_the_start_after_accepting_it():
    uploaded = temporary_upload("Reflection.docx", docx_bytes())
    inspect_upload(uploaded, max_bytes=LIMIT)
    assert uploaded.tell() == 0


def test_it_leaves_the_file_at_the_start_after_rejecting_it():
    uploaded = temporary_upload("scan.pdf", image_bytes("PNG"))
    rejection(uploaded)
    assert uploaded.tell() == 0


# File names.


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Supervision notes.pdf", "Supervision notes.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\sam\\Desktop\\Reflection.docx", "Reflection.docx"),
        ("/home/sam/..", "file"),
        ("..", "file"),
        (".", "file"),
        ("....", "file"),
        ("", "file"),
        ("\x00\x01\x1f", "file"),
        ("...hidden.txt", "hidden.txt"),
        ("notes\x00.txt", "notes.txt"),
        ("report\u202etxt.exe", "reporttxt.exe"),
        ("invoice\u200b.pdf", "invoice.pdf"),
        ('My "best" <visit>.pdf', "My _best_ _visit_.pdf"),
        ("Mary's notes: week 2?.txt", "Mary_s notes_ week 2_.txt"),
        ("a|b*c.txt", "a_b_c.txt"),
        ("  Visit \t\n  notes  .pdf", "Visit notes .pdf"),
        ("report.pdf. . ", "report.pdf"),
        ("Cafe\u0301.txt", "Café.txt"),
    ],
)
def test_sanitise_filename_makes_names_safe_to_show_and_send(given, expected):
    assert sanitise_filename(given) == expected


def test_sanitise_filename_keeps_the_extension_when_it_shortens_a_long_name():
    name = sanitise_filename("a" * 300 + ".pdf")
    assert len(name) == 150
    assert name.endswith("aaa.pdf")


def test_sanitise_filename_shortens_to_any_length_asked():
    assert sanitise_filename("Reflection on my first visit.docx", max_length=20) == (
        "Reflection on m.docx"
    )


@pytest.mark.parametrize("given", ["", ".", "..", "/", "\\", "..\\..", " . . ", "\u202e"])
def test_sanitise_filename_never_returns_an_empty_or_dot_name(given):
    assert sanitise_filename(given) not in {"", ".", ".."}


# Audio must parse as audio: the hostile corpus of files that only start like it.


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Interview.mp3", ID3_TAG + WEB_PAGE * 20),
        ("Interview.mp3", ID3_TAG + WEB_PAGE * 20 + MPEG_FRAME * 6),
        ("Interview.mp3", ID3_TAG + MPEG_FRAME + WEB_PAGE * 20),
        ("Interview.mp3", mp3_bytes(frames=2)[:-100]),
        ("Voice memo.m4a", m4a_bytes(moov=b"")),
        ("Voice memo.m4a", m4a_bytes(moov=box(b"moov", WEB_PAGE))),
        ("Voice memo.m4a", m4a_bytes()[: -len(box(b"mdat", bytes(64))) - 30]),
    ],
    ids=[
        "a web page behind an ID3 tag",
        "a web page before the MP3 frames",
        "one MP3 frame then a web page",
        "an MP3 cut short",
        "an M4A header with nothing described",
        "an M4A whose description is a web page",
        "an M4A whose track description is cut short",
    ],
)
def test_it_rejects_audio_that_does_not_parse_as_its_type(name, data):
    assert filetype.guess_mime(data) in ("audio/mpeg", "audio/mp4", "video/mp4")
    message = rejection(upload(name, data))
    assert message.startswith(f"“{name}” does not play as an M")
    assert "export the recording again" in message


def test_the_web_page_behind_an_id3_tag_is_refused_even_without_a_name():
    assert "does not play as an MP3 audio file" in rejection(upload("x", ID3_TAG + WEB_PAGE * 20))


def test_it_accepts_an_mp3_without_an_id3_tag():
    data = MPEG_FRAME * 6
    assert inspect_upload(upload("Memo.mp3", data), max_bytes=LIMIT).content_type == "audio/mpeg"


def test_an_mp3_too_short_to_be_a_recording_is_refused():
    assert "does not play as an MP3" in rejection(upload("Blip.mp3", mp3_bytes(frames=3)))
