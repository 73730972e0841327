"""Checks an uploaded evidence file by what is inside it before anything is stored.

The browser's name and content type are only claims. The type comes from the file's first bytes
(sniffed with `filetype`), zip-based documents are opened to tell Word from OpenDocument and to
refuse zip bombs, audio must parse as audio (with `mutagen`: a web page behind an MP3's tag is
not an MP3), and a name whose extension disagrees with the contents is refused, so a file is
never stored, listed or downloaded as something it is not.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

import filetype  # type: ignore[import-untyped]
import mutagen
from django.core.files.uploadedfile import UploadedFile
from mutagen.id3 import BitPaddedInt
from mutagen.mp3 import MPEGFrame
from mutagen.mp4 import MP4
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

# Limits live here, not in settings, so tests can monkeypatch them.
CHUNK_SIZE = 64 * 1024
SNIFF_BYTES = 8192  # as many bytes as filetype looks at
MARKUP_SNIFF_CHARS = 4096
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_RATIO = 200
# Small parts of ordinary documents (blank table cells, repeated styles) compress very well and
# cannot hurt anyone; the ratio rule only matters once a part is big enough to be a bomb.
ZIP_RATIO_MIN_BYTES = 1024 * 1024
# zipfile and pypdf sometimes call read() with no size. Near the end of a file (zipfile looking
# for its directory) that is harmless; anything bigger would hold the whole upload in memory.
MAX_UNSIZED_READ = 128 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
# An MP3 must start with this many MPEG frames in a row (0.1 s at 128 kbit/s) straight after
# its tags, unless the first frame carries a VBR header that vouches for the rest.
MP3_MIN_FRAMES = 4


@dataclass(frozen=True)
class AllowedType:
    label: str
    extensions: tuple[str, ...]  # the first is the one we store files under
    described_as: str = ""  # how a sentence names it: "a PDF", "plain text"


ALLOWED_TYPES: dict[str, AllowedType] = {
    PDF: AllowedType("PDF", (".pdf",), "a PDF"),
    DOCX: AllowedType("Word document", (".docx",), "a Word document"),
    ODT: AllowedType("OpenDocument text", (".odt",), "an OpenDocument text document"),
    TEXT: AllowedType("Plain text", (".txt", ".text", ".md"), "plain text"),
    "image/jpeg": AllowedType("JPEG image", (".jpg", ".jpeg"), "a JPEG image"),
    "image/png": AllowedType("PNG image", (".png",), "a PNG image"),
    MP3: AllowedType("MP3 audio", (".mp3",), "an MP3 audio file"),
    M4A: AllowedType("M4A audio", (".m4a",), "an M4A audio file"),
}

# Everything filetype may call a zip: each is opened and judged by its members.
_ZIP_BASED = frozenset(
    {
        "application/zip",
        "application/epub+zip",
        DOCX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ODT,
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    }
)

# PDF names that make a viewer run, open or submit something rather than just show pages.
_ACTIVE_PDF_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
        "GoToR",
    }
)
_OBJECT_STREAM = "ObjStm"
_PDF_DELIMITER = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"
_PDF_PLAIN_NAME = re.compile(
    rb"/("
    + b"|".join(n.encode() for n in sorted(_ACTIVE_PDF_NAMES | {_OBJECT_STREAM}))
    + rb")(?="
    + _PDF_DELIMITER
    + rb")"
)
# A name may spell any byte as #xx (/J#61vaScript), a classic way past naive scanners.
_PDF_ESCAPED_NAME = re.compile(
    rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]{0,126}#[0-9A-Fa-f]{2}[^\x00\t\n\x0c\r ()<>\[\]{}/%]{0,126})"
    rb"(?=" + _PDF_DELIMITER + rb")"
)
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_TAIL = 512  # longer than any name we look for, escapes included

_MARKUP_ANYWHERE = ("<!doctype", "<html", "<svg", "<script", "<?xml", "<iframe")
# What browsers sniff as HTML when the text starts with it (WHATWG MIME Sniffing, 7.1).
_MARKUP_START = re.compile(
    r"<(?:!--|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p)[\s>]"
)
_UNSAFE_IN_HEADERS = str.maketrans(dict.fromkeys("\"'`<>:|?*", "_"))
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})  # controls, bidi overrides, zero-widths, lone surrogates
_EXTENSION = re.compile(r"\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,10}")


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    extension: str
    size: int
    sha256: str
    active_content: bool


def sanitise_filename(name: str, *, max_length: int = 150) -> str:
    """A display name that is safe in headers, paths and pages, kept as close to the original
    as that allows."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE
    )
    name = " ".join(name.split()).translate(_UNSAFE_IN_HEADERS)
    # Trailing dots and spaces too: Windows drops them, which would change the extension.
    name = name.strip(". ")
    if len(name) > max_length:
        stem, extension = os.path.splitext(name)
        if len(extension) < max_length // 2:
            name = stem[: max_length - len(extension)].rstrip(". ") + extension
        else:
            name = name[:max_length].rstrip(". ")
    return name if name.strip(". ") else "file"


def inspect_upload(uploaded: UploadedFile, *, max_bytes: int) -> CheckedUpload:
    """Reads the upload once, in chunks, and says what it really is, or raises UploadRejected
    with a sentence for the student. Leaves the file at position 0 either way."""
    name = sanitise_filename(uploaded.name or "")
    try:
        return _inspect(uploaded, name, max_bytes)
    finally:
        uploaded.seek(0)


def _inspect(uploaded: UploadedFile, name: str, max_bytes: int) -> CheckedUpload:
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(name, max_bytes)
    scan = _Scan()
    for chunk in uploaded.chunks(CHUNK_SIZE):
        scan.feed(chunk)
        if scan.size > max_bytes:
            raise _too_large(name, max_bytes)
    if scan.size == 0:
        raise UploadRejected(f"“{name}” is empty (0 bytes). Please choose the file again.")
    scan.finish()

    content_type = scan.content_type
    active_content = False
    if content_type is None:
        content_type = _check_text(scan, name)
    elif content_type in _ZIP_BASED:
        content_type = _check_zip(_SmallReads(uploaded, scan.size), name)
    elif content_type in (MP3, M4A):
        _check_audio(_SmallReads(uploaded, scan.size), name, content_type)
    elif content_type == PDF:
        active_content = scan.pdf_active or (
            scan.pdf_has_object_streams and _pdf_objects_are_active(uploaded, scan.size)
        )
    if content_type not in ALLOWED_TYPES:
        raise _not_accepted(name)
    _check_extension(name, content_type)
    return CheckedUpload(
        original_name=name,
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type].extensions[0],
        size=scan.size,
        sha256=scan.digest.hexdigest(),
        active_content=active_content,
    )


class _Scan:
    """What the bytes say as they stream past: size, digest, the sniffed type, and the checks
    that need every byte (is it valid text; which PDF names appear)."""

    def __init__(self) -> None:
        self.size = 0
        self.digest = hashlib.sha256()
        self.head = b""
        self.content_type: str | None = None
        self.is_valid_text = False
        self.pdf_active = False
        self.pdf_has_object_streams = False
        self._sniffed = False
        self._decoder: codecs.IncrementalDecoder | None = None
        self._pdf_tail: bytes | None = None

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.digest.update(chunk)
        if self._sniffed:
            self._check(chunk)
            return
        self.head += chunk
        if len(self.head) >= SNIFF_BYTES:
            self._sniff()

    def finish(self) -> None:
        if not self._sniffed:
            self._sniff()
        if self._decoder is not None:
            self._decode(b"", final=True)
        if self._pdf_tail is not None:
            self._scan_pdf(self._pdf_tail + b" ")

    def _sniff(self) -> None:
        self._sniffed = True
        buffered, self.head = self.head, self.head[:SNIFF_BYTES]
        self.content_type = _sniff_type(self.head)
        if self.content_type is None:
            self.is_valid_text = True
            self._decoder = codecs.getincrementaldecoder(_text_encoding(self.head))()
        elif self.content_type == PDF:
            self._pdf_tail = b""
        self._check(buffered)

    def _check(self, chunk: bytes) -> None:
        if self._decoder is not None:
            self._decode(chunk)
        elif self._pdf_tail is not None:
            data = self._pdf_tail + chunk
            self._scan_pdf(data)
            self._pdf_tail = data[-_PDF_TAIL:]

    def _decode(self, chunk: bytes, *, final: bool = False) -> None:
        if self._decoder is None or not self.is_valid_text:
            return
        try:
            text = self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            self.is_valid_text = False
            return
        if "\x00" in text:
            self.is_valid_text = False

    def _scan_pdf(self, data: bytes) -> None:
        # Overlapping windows see some names twice; a name cut by the window's end fails the
        # delimiter look-ahead and is found whole in the next window.
        names = {m.group(1).decode("latin-1") for m in _PDF_PLAIN_NAME.finditer(data)}
        names.update(
            _PDF_HEX_ESCAPE.sub(lambda h: bytes([int(h.group(1), 16)]), m.group(1)).decode(
                "latin-1"
            )
            for m in _PDF_ESCAPED_NAME.finditer(data)
        )
        self.pdf_active = self.pdf_active or bool(names & _ACTIVE_PDF_NAMES)
        self.pdf_has_object_streams = self.pdf_has_object_streams or _OBJECT_STREAM in names


def _sniff_type(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is None:
        return None
    # filetype calls MP4 audio "M4A" only when M4A is the major brand; phones often write
    # mp42 or isom there and list M4A among the compatible brands.
    if kind.mime == "video/mp4" and b"M4A " in _compatible_brands(head):
        return M4A
    return str(kind.mime)


def _compatible_brands(head: bytes) -> set[bytes]:
    box_size = int.from_bytes(head[0:4], "big")
    end = min(box_size, len(head))
    return {head[i : i + 4] for i in range(16, end - 3, 4)}


def _text_encoding(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _check_text(scan: _Scan, name: str) -> str:
    start = scan.head.decode(_text_encoding(scan.head), errors="replace")[:MARKUP_SNIFF_CHARS]
    if _looks_like_markup(start):
        raise UploadRejected(
            f"“{name}” looks like a web page or an SVG image, and web pages and SVG images "
            "can't be uploaded. Please save it as a PDF or a PNG image and try again."
        )
    if scan.is_valid_text:
        return TEXT
    if _extension_of(name) in ALLOWED_TYPES[TEXT].extensions and b"\x00" not in scan.head:
        raise UploadRejected(
            f"“{name}” is a text file saved in an encoding we can't read. Please save it again "
            "choosing UTF-8 and try again."
        )
    raise _not_accepted(name)


def _looks_like_markup(start: str) -> bool:
    lowered = start.lstrip("\ufeff \t\r\n\x0c").lower()
    return any(marker in lowered for marker in _MARKUP_ANYWHERE) or bool(
        _MARKUP_START.match(lowered)
    )


class _SmallReads:
    """The upload as a seekable file for zipfile and pypdf that refuses to hand over more than
    MAX_UNSIZED_READ bytes to a read() with no size."""

    def __init__(self, uploaded: UploadedFile, size: int) -> None:
        self._file = uploaded
        self._size = size

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = self._size - self._file.tell()
            if size > MAX_UNSIZED_READ:
                raise OSError("Refusing to read the whole upload into memory.")
        return bytes(self._file.read(max(size, 0)))

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return int(self._file.seek(offset, whence))

    def tell(self) -> int:
        return int(self._file.tell())

    def seekable(self) -> bool:
        return True


def _check_zip(source: _SmallReads, name: str) -> str | None:
    """The document type of a zip-based upload (None for any other zip), after making sure it
    is intact and will not unpack into something huge."""
    try:
        with zipfile.ZipFile(source) as archive:  # type: ignore[arg-type]
            members = archive.infolist()
            if (
                len(members) > ZIP_MAX_MEMBERS
                or sum(m.file_size for m in members) > ZIP_MAX_TOTAL_BYTES
                or any(_compresses_suspiciously(m) for m in members)
            ):
                raise _damaged(name)
            content_type = _zip_document_type(archive, members)
            # zipfile never unpacks more than a member's declared size, which we have just
            # bounded, so reading every member checks each CRC without risking a bomb.
            if content_type is not None and archive.testzip() is not None:
                raise _damaged(name)
            return content_type
    # RuntimeError: a password-protected member, or (NotImplementedError) an unknown compression.
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as error:
        raise _damaged(name) from error


def _check_audio(source: _SmallReads, name: str, content_type: str) -> None:
    """Audio is checked by parsing it, not by its first bytes: anything may follow an ID3 tag
    or an MP4 header that only looks right."""
    try:
        if content_type == MP3:
            _require_mpeg_frames(source)
        elif MP4(source).info.codec == "":  # type: ignore[arg-type]
            raise ValueError("no audio track")
    # mutagen raises its own errors for what it cannot parse, and struct, index or value errors
    # for what it misreads; OSError from _SmallReads. None of them may become a 500.
    except (mutagen.MutagenError, OSError, ValueError, IndexError, KeyError, struct.error) as e:
        raise UploadRejected(
            f"“{name}” does not play as {ALLOWED_TYPES[content_type].described_as}: it may be "
            "damaged, or another kind of file renamed. Please export the recording again and "
            "upload the new copy."
        ) from e


def _require_mpeg_frames(source: _SmallReads) -> None:
    source.seek(0)
    # ID3v2 tags (some programs write several), each 10 bytes plus its stated size and footer.
    while (header := source.read(10))[:3] == b"ID3" and len(header) == 10:
        size = BitPaddedInt(header[6:10])
        source.seek(size + (10 if header[5] & 0x10 else 0), os.SEEK_CUR)
    source.seek(-len(header), os.SEEK_CUR)
    for _ in range(MP3_MIN_FRAMES):
        if not MPEGFrame(source).sketchy:
            return


def _compresses_suspiciously(member: zipfile.ZipInfo) -> bool:
    if member.file_size < ZIP_RATIO_MIN_BYTES:
        return False
    return member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)


def _zip_document_type(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> str | None:
    names = {m.filename for m in members}
    if {"[Content_Types].xml", "word/document.xml"} <= names:
        return DOCX
    # OpenDocument names itself in a small "mimetype" member that must come first.
    first = members[0] if members else None
    if first is None or first.filename != "mimetype" or first.file_size > 100:
        return None
    return ODT if archive.read(first).strip() == ODT.encode() else None


def _pdf_objects_are_active(uploaded: UploadedFile, size: int) -> bool:
    """Looks inside compressed object streams, which the byte scan cannot see into. Anything we
    cannot read counts as active: the cost is only that the file is never shown inline."""
    try:
        reader = PdfReader(_SmallReads(uploaded, size), strict=False)  # type: ignore[arg-type]
        if reader.is_encrypted and not reader.decrypt(""):
            return True
        return any(_has_active_name(reader.get_object(n)) for n in list(reader.xref_objStm))
    except Exception:
        # pypdf on hostile input can fail in many ways; none of them may become a 500.
        return True


def _has_active_name(obj: object) -> bool:
    stack, seen = [obj], 0
    while stack and seen < 10_000:
        item, seen = stack.pop(), seen + 1
        if isinstance(item, NameObject):
            if item[1:] in _ACTIVE_PDF_NAMES:
                return True
        elif isinstance(item, DictionaryObject):
            stack.extend(item.keys())
            stack.extend(item.values())  # direct values only: references are other objects
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _extension_of(name: str) -> str | None:
    """The name's extension, if it has something that looks like one ("notes 12.03" does not)."""
    extension = os.path.splitext(name)[1]
    return extension.lower() if _EXTENSION.fullmatch(extension) else None


def _check_extension(name: str, content_type: str) -> None:
    extension = _extension_of(name)
    allowed = ALLOWED_TYPES[content_type]
    if extension is None or extension in allowed.extensions:
        return
    claimed = next((t for t in ALLOWED_TYPES.values() if extension in t.extensions), None)
    if claimed is not None:
        raise UploadRejected(
            f"“{name}” is called {claimed.described_as} but its contents are "
            f"{allowed.described_as}. Please save it in the right format and try again."
        )
    raise UploadRejected(
        f"“{name}” ends in “{extension}” but its contents are {allowed.described_as}. "
        f"Please rename it to end in “{allowed.extensions[0]}” and try again."
    )


def _too_large(name: str, max_bytes: int) -> UploadRejected:
    megabytes = max_bytes / (1024 * 1024)
    limit = f"{round(megabytes, 1):g} MB" if megabytes >= 0.1 else f"{-(-max_bytes // 1024)} KB"
    return UploadRejected(
        f"“{name}” is larger than the {limit} limit. Please make it smaller, or split it into "
        "parts, and try again."
    )


def _not_accepted(name: str) -> UploadRejected:
    labels = ", ".join(t.label for t in ALLOWED_TYPES.values())
    return UploadRejected(
        f"“{name}” isn't a kind of file we can accept. Please upload one of these: {labels}."
    )


def _damaged(name: str) -> UploadRejected:
    return UploadRejected(
        f"“{name}” looks damaged or unsafe, so we can't accept it. Please open it, save it "
        "again, and upload the new copy."
    )
