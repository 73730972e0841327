"""Spot likely identifiers of service users in evidence before a student submits it.

A finding is a prompt for the student, not a verdict: they either remove the identifier or
confirm it is not identifying, and the app remembers that confirmation by fingerprint so the
matched text itself never has to be stored.

Nothing here logs, prints or puts matched text in an exception message: a finding is by
definition a piece of confidential information.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import docx
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell
from pypdf import PdfReader

LABELS = {
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "postcode": "Postcode",
    "phone": "Phone number",
    "email": "Email address",
    "date_of_birth": "Date of birth",
    "name": "Name on your 'keep out' list",
}

# When two matches overlap, the lower number wins: an email address can contain a name, and a
# valid NHS number can also look like a phone number.
_PRIORITY = {
    "email": 0,
    "nhs_number": 1,
    "ni_number": 2,
    "date_of_birth": 3,
    "postcode": 4,
    "phone": 5,
    "name": 6,
}

CONTEXT_CHARS = 40

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PLAIN_TEXT = "text/plain"


class ExtractionLimits:
    """Ceilings on what we will unpack from an upload, so a hostile file cannot exhaust memory."""

    MAX_DOCX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    MAX_DOCX_COMPRESSION_RATIO = 100
    MAX_DOCX_MEMBERS = 2_000


@dataclass(frozen=True, slots=True)
class Finding:
    """One likely identifier. The repr leaves out the matched text so it can't leak into logs."""

    kind: str
    label: str
    text: str = field(repr=False)
    start: int
    end: int
    before: str = field(repr=False)
    after: str = field(repr=False)
    source: str
    fingerprint: str


# Spaces inside numbers: text pasted from Word or pulled out of a PDF often has non-breaking ones.
_SP = r"[ \u00a0]"

_NHS_NUMBER = re.compile(rf"(?<![\d])\d{{3}}(?P<sep>{_SP}|-|)\d{{3}}(?P=sep)\d{{4}}(?!\d)")

_NI_NUMBER = re.compile(
    rf"(?<!\w)(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    rf"{_SP}?\d{{2}}{_SP}?\d{{2}}{_SP}?\d{{2}}{_SP}?[A-D](?!\w)",
    re.IGNORECASE,
)
# The character classes above already exclude the disallowed letters; these pairs are made of
# allowed letters but have never been issued.
_NI_UNALLOCATED_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

_POSTCODE = re.compile(
    r"(?<!\w)(?:"
    r"[A-PR-UWYZ]\d\d?"
    r"|[A-PR-UWYZ][A-HK-Y]\d\d?"
    r"|[A-PR-UWYZ]\d[A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]"
    rf"){_SP}?\d[ABD-HJLNP-UW-Z]{{2}}(?!\w)"
    rf"|(?<!\w)GIR{_SP}?0AA(?!\w)",
    re.IGNORECASE,
)

# Dots and slashes are deliberately not separators, so 12/03/2024 and 12.03.2024 can never look
# like phone numbers; the digit count is checked afterwards because bracketed area codes vary
# in length.
_PHONE = re.compile(
    rf"(?<![\w+])(?:\+44{_SP}?(?:\(0\){_SP}?)?[1-9]|\(0[1-9]\d{{1,4}}\)|0[1-9])"
    rf"(?:(?:{_SP}|-)?\d){{7,10}}(?!\d)"
)

# Bounded repetitions and a look-behind that only lets a match start at the beginning of a run
# keep this linear on long runs of address-like characters.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w-])"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{1,2}(?P<dsep>[/.-])\d{1,2}(?P=dsep)(?:\d{4}|\d{2})"
    rf"|\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})(?!\d)"
)
# Students write practice dates constantly, so a date only counts when a cue sits just before
# it. The gap may cross a line break because a form's label and value often land on separate
# lines once a table is flattened to text.
_DATE_OF_BIRTH = re.compile(
    rf"(?:\bd\.?{_SP}?o\.?{_SP}?b\b\.?|\bdate\s+of\s+birth\b|\bborn\b)"
    rf"(?s:.{{0,20}}?)(?<![\w/.-])(?P<date>{_DATE})",
    re.IGNORECASE,
)

_WHITESPACE = re.compile(r"\s+")
_NOT_IDENTIFYING_CHARS = re.compile(r"[^\w@+]")


def scan_text(text: str, *, source: str, names: Iterable[str] = ()) -> list[Finding]:
    """Return likely identifiers in ``text``, in reading order, at most one per stretch of text."""
    spans = [*_regex_spans(text), *_name_spans(text, names)]
    return [_finding(text, kind, start, end, source) for kind, start, end in _resolve(spans)]


def fingerprint(kind: str, text: str) -> str:
    """A stable stand-in for a finding's text, so a confirmation survives re-spacing."""
    normalised = _NOT_IDENTIFYING_CHARS.sub("", text.casefold())
    return hashlib.sha256(f"{kind}:{normalised}".encode()).hexdigest()


def extract_text(fileobj: BinaryIO, content_type: str, *, max_chars: int = 500_000) -> str:
    """Return up to ``max_chars`` of readable text from an upload; "" if it can't be read.

    Never raises: whatever a student uploads, the worst outcome is that nothing is scanned.
    The file is left at the position it was read from, so the caller can still save it.
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind not in (PDF, DOCX, PLAIN_TEXT) or max_chars <= 0:
        return ""
    collected = _Collected(max_chars)
    position = None
    with contextlib.suppress(Exception):
        position = fileobj.tell()
    try:
        if kind == PLAIN_TEXT:
            # UTF-8 never needs more than four bytes a character.
            data = fileobj.read(max_chars * 4)
            collected.add(data.decode("utf-8", errors="replace"))
        elif kind == PDF:
            _read_pdf(fileobj.read(), collected)
        else:
            _read_docx(fileobj.read(), collected)
    except Exception:
        # Malformed, encrypted or hostile files are routine uploads, not errors; the exception
        # is not logged because its message may quote the file's contents.
        pass
    finally:
        if position is not None:
            with contextlib.suppress(Exception):
                fileobj.seek(position)
    return collected.text()


class _Collected:
    """Text gathered so far, so a file that breaks half way still gives what it had."""

    def __init__(self, max_chars: int) -> None:
        self._parts: list[str] = []
        self._remaining = max_chars

    @property
    def full(self) -> bool:
        return self._remaining <= 0

    def add(self, text: str) -> None:
        if self.full or not text:
            return
        piece = text[: self._remaining]
        self._parts.append(piece)
        self._remaining -= len(piece)

    def text(self) -> str:
        return "\n".join(self._parts)


def _read_pdf(data: bytes, collected: _Collected) -> None:
    reader = PdfReader(io.BytesIO(data), strict=False)
    # Many PDFs are "encrypted" with an empty user password just to restrict printing.
    if reader.is_encrypted and not reader.decrypt(""):
        return
    for page in reader.pages:
        if collected.full:
            return
        collected.add(page.extract_text() or "")


def _read_docx(data: bytes, collected: _Collected) -> None:
    if not _docx_is_safe_to_open(data):
        return
    document = docx.Document(io.BytesIO(data))
    for text in _docx_texts(document):
        if collected.full:
            return
        collected.add(text)


def _docx_is_safe_to_open(data: bytes) -> bool:
    # zipfile stops inflating a member at its declared size, so checking declared sizes is
    # enough to bound what python-docx can unpack.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > ExtractionLimits.MAX_DOCX_MEMBERS:
        return False
    if sum(m.file_size for m in members) > ExtractionLimits.MAX_DOCX_UNCOMPRESSED_BYTES:
        return False
    ratio = ExtractionLimits.MAX_DOCX_COMPRESSION_RATIO
    return all(m.file_size <= m.compress_size * ratio for m in members)


def _docx_texts(container: DocxDocument | _Cell) -> Iterator[str]:
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _docx_table_texts(block)
        else:
            yield block.text


def _docx_table_texts(table: Table) -> Iterator[str]:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            # A merged cell is returned once for every grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            yield from _docx_texts(cell)


def _regex_spans(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _NHS_NUMBER.finditer(text):
        if _passes_nhs_check(re.sub(r"\D", "", match.group())):
            yield "nhs_number", match.start(), match.end()
    for match in _NI_NUMBER.finditer(text):
        if match["prefix"].upper() not in _NI_UNALLOCATED_PREFIXES:
            yield "ni_number", match.start(), match.end()
    for match in _POSTCODE.finditer(text):
        yield "postcode", match.start(), match.end()
    for match in _PHONE.finditer(text):
        if 10 <= len(_national_digits(match.group())) <= 11:
            yield "phone", match.start(), match.end()
    for match in _EMAIL.finditer(text):
        yield "email", match.start(), match.end()
    for match in _DATE_OF_BIRTH.finditer(text):
        yield "date_of_birth", match.start("date"), match.end("date")


def _passes_nhs_check(digits: str) -> bool:
    # A run of one repeated digit satisfies modulus 11 surprisingly often but is never issued.
    if len(set(digits)) == 1:
        return False
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], weights, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _national_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.startswith("+44"):
        digits = digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    return digits


def _name_spans(text: str, names: Iterable[str]) -> Iterator[tuple[str, int, int]]:
    pattern = _names_pattern(names)
    if pattern is None:
        return
    # A possessive ("Jayden's") still matches because the apostrophe ends the word; it is left
    # out of the span so the fingerprint is the same as for the bare name.
    for match in pattern.finditer(text):
        yield "name", match.start(), match.end()


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    alternatives: dict[str, str] = {}
    for name in names:
        words = (name or "").split()
        # An entry with no letters or digits would otherwise match every stray punctuation mark.
        if not words or not re.search(r"\w", name):
            continue
        alternatives.setdefault(" ".join(words).casefold(), r"\s+".join(map(re.escape, words)))
    if not alternatives:
        return None
    # Longest first: alternation takes the first that fits, and "Jay Brown" should be reported
    # whole rather than as "Jay".
    ordered = sorted(alternatives.items(), key=lambda item: len(item[0]), reverse=True)
    return re.compile(
        r"(?<!\w)(?:" + "|".join(pattern for _, pattern in ordered) + r")(?!\w)", re.IGNORECASE
    )


def _resolve(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Keep the most specific of any overlapping matches, looking only within each cluster of
    overlaps so a text full of matches stays fast."""
    spans.sort(key=lambda span: (span[1], span[2]))
    kept: list[tuple[str, int, int]] = []
    cluster: list[tuple[str, int, int]] = []
    cluster_end = -1
    for span in spans:
        if cluster and span[1] >= cluster_end:
            kept.extend(_resolve_cluster(cluster))
            cluster = []
        cluster.append(span)
        cluster_end = max(cluster_end, span[2])
    kept.extend(_resolve_cluster(cluster))
    return sorted(kept, key=lambda span: span[1])


def _resolve_cluster(cluster: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    chosen: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(cluster, key=lambda s: (_PRIORITY[s[0]], s[1] - s[2], s[1])):
        if all(end <= other_start or start >= other_end for _, other_start, other_end in chosen):
            chosen.append((kind, start, end))
    return chosen


def _finding(text: str, kind: str, start: int, end: int, source: str) -> Finding:
    matched = text[start:end]
    # Read a wider window than needed, so collapsing a run of blank lines still leaves
    # enough words to show.
    window = CONTEXT_CHARS * 4
    before = _WHITESPACE.sub(" ", text[max(0, start - window) : start])[-CONTEXT_CHARS:]
    after = _WHITESPACE.sub(" ", text[end : end + window])[:CONTEXT_CHARS]
    return Finding(
        kind=kind,
        label=LABELS[kind],
        text=matched,
        start=start,
        end=end,
        before=before,
        after=after,
        source=source,
        fingerprint=fingerprint(kind, matched),
    )
