"""Spot likely identifiers of service users in evidence before a student submits it.

A finding is a prompt for the student, not a verdict: they either remove the identifier or
confirm it is not identifying, and the app remembers that confirmation by fingerprint so the
matched text itself never has to be stored.

Nothing here logs, prints or puts matched text in an exception message: a finding is by
definition a piece of confidential information.
"""

from __future__ import annotations

import contextlib
import functools
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


# Titles people put before a surname; matched with or without a full stop.
_TITLE = r"(?:mr|mrs|ms|miss|mx|dr)\.?"
_TITLE_WORD = re.compile(_TITLE, re.IGNORECASE)

# Names that are also everyday words. Alone, one of these counts only when it is capitalised
# and not the first word of a sentence ("Will said" but not "she will" or "Will she cope?"),
# and a month only when no date is beside it ("Grace and May came" but not "in May 2024").
# Beside a title, an initial or the person's other name it always counts.
_COMMON_WORD_NAMES = """
    amber angel april art august autumn bill bob brook brooks carol charity chase cherry
    crystal daisy dawn dean destiny dot earl ebony eve faith frank ginger grace guy harmony
    hazel heather holly honey hope hunter iris ivy jack jade jasmine jay jewel joy june kitty
    liberty lily mark may melody mercy miles misty olive pat patience pearl penny precious
    rain ray reed rich river rob robin rose ruby rusty sage sandy scarlett sky star storm
    summer sunny sue terry unity victor violet wade will willow win winter
    baker ball banks bay bean bell berry best bird bishop black blue bond booth bright brown
    bull burns bush butler carter chambers child church clay cook cooper cross day field
    fields fish fisher ford fox friend frost gold good green grey gray hall hand hardy hart
    hay head hill holmes house hunt judge king knight lamb lane law little long love lord
    major marsh mason mills moss noble nurse page park parker pool porter power price read
    rice rivers sharp short singer small snow spring stone street strong swan sweet taylor
    turner walker ward waters well wells west white wise wood woods wright young
"""
COMMON_WORD_NAMES = frozenset(_COMMON_WORD_NAMES.split())
_MONTH_NAMES = frozenset({"april", "may", "june", "august"})
_MONTH_BEFORE = re.compile(
    r"(?:\d(?:st|nd|rd|th)?|\b(?:in|of|since|until|till|during|from|by|before|after|early|late"
    r"|mid|last|next|this|the|each|every|to|through))[\s-]*$",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(r"[\s,]*\d")
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
# What may sit between the end of a sentence and its first word: spaces, quotes, brackets,
# list bullets.
_SENTENCE_LEAD = " \t\u00a0\"'“‘([*•-"


@dataclass(frozen=True, slots=True)
class _NamePatterns:
    """Two patterns for a placement's list: forms that always count, in any case, and bare
    names that are also everyday words, which count only when capitalised mid-sentence."""

    distinctive: re.Pattern[str] | None
    everyday: re.Pattern[str] | None


def _name_spans(text: str, names: Iterable[str]) -> Iterator[tuple[str, int, int]]:
    patterns = _names_patterns(tuple(names))
    # A possessive ("Jayden's", "Adebayo’s") still matches because the apostrophe ends the
    # word; it is left out of the span so the fingerprint is the same as for the bare name.
    if patterns.distinctive is not None:
        for match in patterns.distinctive.finditer(text):
            yield "name", match.start(), match.end()
    if patterns.everyday is not None:
        for match in patterns.everyday.finditer(text):
            if not _is_everyday_use(text, match):
                yield "name", match.start(), match.end()


def _is_everyday_use(text: str, match: re.Match[str]) -> bool:
    # "Grace's son" names someone even at the start of a sentence.
    if _POSSESSIVE.match(text, match.end()):
        return False
    before = text[max(0, match.start() - 40) : match.start()]
    lead = before.rstrip(_SENTENCE_LEAD)
    if not lead or lead[-1] in ".!?\n\r":
        return True
    if match.group().casefold() in _MONTH_NAMES:
        after = text[match.end() : match.end() + 10]
        return bool(_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after))
    return False


def _word(word: str) -> str:
    # Text pasted from Word uses curly apostrophes where the list may have straight ones.
    return "".join("['’]" if ch in "'’" else re.escape(ch) for ch in word)


def _capitalised(word: str) -> str:
    return "(?-i:" + _word(word[:1].upper() + word[1:].lower()) + ")"


def _is_common(word: str) -> bool:
    return word.casefold() in COMMON_WORD_NAMES


def _person_forms(name: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The ways a student might write one listed person: (distinctive forms, each with its rank
    in the pattern, and everyday words).

    "Funmi Adebayo" gives the full name, with or without a title; a title, an initial or both
    before the surname ("Mrs Adebayo", "F. Adebayo", "Dr F Adebayo"); and each name alone.
    """
    words = name.split()
    titled = False
    while len(words) > 1 and _TITLE_WORD.fullmatch(words[0]):
        words, titled = words[1:], True
    # An entry with no letters or digits would otherwise match every stray punctuation mark.
    words = [w for w in words if re.search(r"\w", w)]
    if not words:
        return [], []
    distinctive: list[tuple[int, str]] = []
    surname = words[-1]
    surname_any_case = _word(surname)
    if len(words) > 1:
        distinctive.append((0, rf"(?:{_TITLE}\s+)?" + r"\s+".join(map(_word, words))))
        if len(words) > 2:
            distinctive.append((1, rf"(?:{_TITLE}\s+)?{_word(words[0])}\s+{surname_any_case}"))
        initial = "(?-i:" + re.escape(words[0][:1].upper()) + r")(?:\.\s*|\s+)"
        surname_after_initial = _capitalised(surname) if _is_common(surname) else surname_any_case
        distinctive.append((2, rf"{_TITLE}\s+(?:{initial})?{surname_any_case}"))
        distinctive.append((3, initial + surname_after_initial))
        alone = [words[0], surname]
    else:
        distinctive.append((2, rf"{_TITLE}\s+{surname_any_case}"))
        alone = [surname] if titled else words
    distinctive += [(4, _word(w)) for w in alone if not _is_common(w)]
    return distinctive, [_capitalised(w) for w in alone if _is_common(w)]


@functools.lru_cache(maxsize=64)
def _names_patterns(names: tuple[str, ...]) -> _NamePatterns:
    distinctive: dict[tuple[int, str], None] = {}
    everyday: dict[tuple[int, str], None] = {}
    for name in names:
        forms, words = _person_forms(name or "")
        distinctive.update(dict.fromkeys(forms))
        everyday.update(dict.fromkeys((0, w) for w in words))
    return _NamePatterns(_compile(distinctive), _compile(everyday))


def _compile(forms: Iterable[tuple[int, str]]) -> re.Pattern[str] | None:
    # Alternation takes the first form that fits, so the fuller forms go first: "Mrs Funmi
    # Adebayo" is reported whole rather than as "Funmi". The resolver keeps the longest of any
    # overlaps between the two patterns.
    ordered = [form for _, form in sorted(forms, key=lambda f: (f[0], -len(f[1])))]
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)


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
