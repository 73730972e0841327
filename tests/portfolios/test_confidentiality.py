import io
import logging
import zipfile

import docx
import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from portfolios import confidentiality
from portfolios.confidentiality import DOCX, PDF, PLAIN_TEXT, extract_text, scan_text


def kinds(text, **kwargs):
    return [(f.kind, f.text) for f in scan_text(text, source="your reflection", **kwargs)]


def make_pdf(*pages):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(paragraph, cell):
    document = docx.Document()
    document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Address"
    table.cell(0, 1).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# NHS numbers


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919"])
def test_it_reports_an_nhs_number_that_passes_the_check(number):
    assert kinds(f"Her NHS number is {number} on the file.") == [("nhs_number", number)]


def test_it_ignores_an_nhs_shaped_number_that_fails_the_check():
    assert kinds("Reference 943 476 5918 on the file.") == []


def test_it_ignores_a_run_of_one_repeated_digit():
    assert kinds("Placeholder 111 111 1111 on the form.") == []


def test_it_ignores_ten_valid_digits_inside_a_longer_number():
    assert kinds("Case 19434765919 was closed.") == []


# National Insurance numbers


@pytest.mark.parametrize("number", ["AB 12 34 56 C", "AB123456C", "ab 123456 c"])
def test_it_reports_a_national_insurance_number(number):
    found = scan_text(f"NI: {number}.", source="your reflection")
    assert [(f.kind, f.label, f.text) for f in found] == [
        ("ni_number", "National Insurance number", number)
    ]


@pytest.mark.parametrize(
    "number", ["QQ 12 34 56 C", "GB 12 34 56 C", "DA 12 34 56 C", "AO 12 34 56 C", "AB 12 34 56 E"]
)
def test_it_ignores_a_national_insurance_number_with_an_impossible_prefix_or_suffix(number):
    assert kinds(f"NI: {number}.") == []


# Postcodes


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX", "sw1a1aa"],
)
def test_it_reports_a_postcode(postcode):
    assert kinds(f"She lives at {postcode}, near the park.") == [("postcode", postcode)]


def test_it_does_not_treat_ordinary_words_and_codes_as_postcodes():
    text = "Discussed the B12 vitamin plan, the A4 handout and COVID19 at 10am in room 3B."
    assert kinds(text) == []


# Phone numbers


@pytest.mark.parametrize(
    "phone",
    ["07700 900123", "+44 7700 900123", "020 7946 0018", "(0161) 496 0000", "01632 960983"],
)
def test_it_reports_a_uk_phone_number(phone):
    assert kinds(f"Call her on {phone} after 5.") == [("phone", phone)]


def test_it_does_not_report_dates_or_short_numbers_as_phone_numbers():
    assert kinds("Visited on 01-03-2024 and 01/03/2024, then rang extension 01234.") == []


def test_it_ignores_a_phone_shaped_number_with_too_many_digits():
    assert kinds("Ref (01632) 960 9831 and +44 7700 9001234.") == []


def test_it_reports_a_valid_nhs_number_once_and_not_also_as_a_phone_number():
    # 012 345 6789 passes modulus 11 and is also shaped like a ten-digit phone number.
    assert kinds("Number 012 345 6789 noted.") == [("nhs_number", "012 345 6789")]


# Email addresses


def test_it_reports_an_email_address():
    assert kinds("Emailed jay.brown+school@example.co.uk about it.") == [
        ("email", "jay.brown+school@example.co.uk")
    ]


def test_it_prefers_the_email_address_to_a_name_inside_it():
    assert kinds("Wrote to brown@example.com.", names=["Brown"]) == [("email", "brown@example.com")]


# Dates of birth


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("DOB: 12/03/1987", "12/03/1987"),
        ("D.O.B. 12-03-1987", "12-03-1987"),
        ("dob 12.03.87", "12.03.87"),
        ("Date of birth: 12 March 1987", "12 March 1987"),
        ("She was born on 12th March 1987 in Leeds", "12th March 1987"),
        ("He was born in Leeds on March 12, 1987.", "March 12, 1987"),
        ("Date of birth\n12/03/1987", "12/03/1987"),
    ],
)
def test_it_reports_a_date_that_follows_a_birth_cue(text, date):
    found = scan_text(text, source="your reflection")
    assert [(f.kind, f.label, f.text) for f in found] == [("date_of_birth", "Date of birth", date)]


def test_it_ignores_a_practice_date_without_a_birth_cue():
    assert kinds("On 12/03/2024 I visited, and again on 14 March 2024.") == []


def test_it_ignores_a_date_far_from_the_birth_cue():
    assert kinds("Her baby was born last year, which we discussed at length on 12/03/2024.") == []


# Names


def test_it_reports_a_name_from_the_keep_out_list_in_any_case():
    assert kinds("I met MRS BROWN and mrs  brown at home.", names=["Mrs Brown"]) == [
        ("name", "MRS BROWN"),
        ("name", "mrs  brown"),
    ]


def test_it_reports_a_possessive_name_without_the_apostrophe_s():
    found = scan_text("Jayden's school called.", source="your reflection", names=["Jayden"])
    assert [(f.kind, f.label, f.text, f.after) for f in found] == [
        ("name", "Name on your 'keep out' list", "Jayden", "'s school called.")
    ]


def test_it_does_not_match_a_name_inside_a_longer_word():
    assert kinds("We met at Brownfield Road.", names=["Brown"]) == []


def test_it_prefers_the_longest_name_on_the_list():
    assert kinds("Jay Brown arrived.", names=["Jay", "Jay Brown"]) == [("name", "Jay Brown")]


LISTED = ["Funmi Adebayo", "Leon Walsh"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I met funmi adebayo at home.", "funmi adebayo"),
        ("Leon wanted to talk first.", "Leon"),
        ("I asked LEON what he wanted.", "LEON"),
        ("The school described Adebayo as quiet.", "Adebayo"),
        ("Mrs Adebayo was at home.", "Mrs Adebayo"),
        ("I wrote to mr. walsh.", "mr. walsh"),
        ("Ms Adebayo, Miss Adebayo", "Ms Adebayo"),
        ("Mx Walsh asked for time.", "Mx Walsh"),
        ("Dr Walsh referred him.", "Dr Walsh"),
        ("F. Adebayo signed it.", "F. Adebayo"),
        ("The letter was for F Adebayo.", "F Adebayo"),
        ("Mrs F. Adebayo missed it.", "Mrs F. Adebayo"),
        ("Mrs Funmi Adebayo came.", "Mrs Funmi Adebayo"),
        ("Leon's mum met me.", "Leon"),
        ("Adebayo’s flat was cold.", "Adebayo"),
    ],
)
def test_it_reports_a_listed_person_however_the_student_writes_them(text, found):
    assert kinds(text, names=LISTED)[0] == ("name", found)


def test_a_title_on_the_list_still_matches_the_bare_surname_and_other_titles():
    assert kinds("Kowalski and Dr Kowalski", names=["Mrs Kowalski"]) == [
        ("name", "Kowalski"),
        ("name", "Dr Kowalski"),
    ]


def test_a_middle_name_may_be_left_out():
    assert kinds("Siobhan O'Driscoll came.", names=["Siobhan Mary O'Driscoll"]) == [
        ("name", "Siobhan O'Driscoll")
    ]


def test_a_curly_apostrophe_matches_a_straight_one_on_the_list():
    assert kinds("O’Driscoll’s daughter rang.", names=["Siobhan O'Driscoll"]) == [
        ("name", "O’Driscoll")
    ]


def test_an_initial_must_be_a_capital_so_an_article_is_not_taken_for_one():
    assert kinds("A brown envelope. a Brown", names=["Alice Brown"]) == [("name", "Brown")]


@pytest.mark.parametrize(
    "text",
    [
        "I will ask my educator.",
        "Will she manage the stairs?",
        "She accepted it with grace.",
        "I hope so. Hope is not a plan.",
        "It may be low mood. May I suggest a review?",
        "We met in May 2024, on 3 May and in early May.",
        "The mark of good practice.",
        "A brown envelope on the green bench.",
    ],
)
def test_a_name_that_is_also_an_everyday_word_is_not_reported_in_everyday_use(text):
    names = ["Will Brown", "Grace", "Hope Green", "May Turner", "Mark Hill"]
    assert kinds(text, names=names) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Afterwards Will asked about his dog.", "Will"),
        ("I had not met May before.", "May"),
        ("Grace's son visits.", "Grace"),
        ("Mrs Brown was waiting.", "Mrs Brown"),
        ("I met will brown.", "will brown"),
        ("W. Brown signed.", "W. Brown"),
    ],
)
def test_a_name_that_is_also_an_everyday_word_is_reported_when_used_as_a_name(text, found):
    names = ["Will Brown", "Grace", "May Turner"]
    assert kinds(text, names=names) == [("name", found)]


def test_it_ignores_empty_and_punctuation_only_names():
    assert kinds("A - B, ok.", names=["", "   ", "-"]) == []


# Findings


def test_it_returns_findings_in_reading_order_with_their_source():
    text = "Jayden (SW1A 1AA) called from 07700 900123."
    found = scan_text(text, source="notes.docx", names=["Jayden"])
    assert [f.kind for f in found] == ["name", "postcode", "phone"]
    assert {f.source for f in found} == {"notes.docx"}
    assert all(text[f.start : f.end] == f.text for f in found)


def test_it_shows_up_to_forty_characters_of_context_with_whitespace_collapsed():
    text = "x" * 60 + " visited\n\n  at home on   943 476 5919  in the\nafternoon." + "y" * 60
    [finding] = scan_text(text, source="your reflection")
    assert finding.before == ("x" * 60 + " visited at home on ")[-40:]
    assert finding.after == (" in the afternoon." + "y" * 60)[:40]


def test_it_shows_short_context_at_the_edges_of_the_text():
    [finding] = scan_text("943 476 5919", source="your reflection")
    assert (finding.before, finding.after) == ("", "")


def test_the_fingerprint_is_the_same_however_the_number_is_spaced():
    spaced, contiguous = (
        scan_text(text, source="your reflection")[0] for text in ("943 476 5919", "9434765919")
    )
    assert spaced.fingerprint == contiguous.fingerprint
    assert len(spaced.fingerprint) == 64


def test_the_fingerprint_differs_between_identifiers():
    first, second = scan_text("jo@example.com and al@example.com", source="your reflection")
    assert first.fingerprint != second.fingerprint


def test_a_findings_repr_does_not_contain_the_matched_text_or_its_context():
    [finding] = scan_text("Her NHS number 943 476 5919 is noted.", source="your reflection")
    assert "5919" not in repr(finding)
    assert "Her NHS" not in repr(finding)


def test_scanning_logs_nothing_containing_the_matched_text(caplog):
    caplog.set_level(logging.DEBUG)
    found = scan_text(
        "Jayden, NHS 943 476 5919, DOB 12/03/1987, SW1A 1AA, jay@example.com",
        source="your reflection",
        names=["Jayden"],
    )
    assert len(found) == 5
    for finding in found:
        assert finding.text not in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        ("Met Jayden at SW1A 1AA on 12/03/2024; NHS 943 476 5919, call 07700 900123. " * 7000),
        "a" * 500_000,
        "1" * 500_000,
        "a." * 250_000,
        "0 " * 250_000,
        "born " * 100_000,
    ],
    ids=["realistic", "letters", "digits", "dotted", "spaced-zeros", "cues"],
)
def test_it_scans_half_a_million_characters(text):
    found = scan_text(text[:500_000], source="your reflection", names=["Jayden"])
    assert isinstance(found, list)


# Extracting text


def test_it_extracts_text_from_a_pdf():
    data = make_pdf("Visit notes", "NHS number 943 476 5919")
    text = extract_text(io.BytesIO(data), PDF)
    assert "Visit notes" in text
    assert [f.kind for f in scan_text(text, source="notes.pdf")] == ["nhs_number"]


def test_it_extracts_text_from_a_docx_paragraph_and_table_cell():
    data = make_docx("Spoke to Jayden about school.", "SW1A 1AA")
    text = extract_text(io.BytesIO(data), DOCX)
    assert "Spoke to Jayden about school." in text
    assert "SW1A 1AA" in text
    found = scan_text(text, source="notes.docx", names=["Jayden"])
    assert [f.kind for f in found] == ["name", "postcode"]


def test_it_reads_plain_text_and_replaces_undecodable_bytes():
    upload = io.BytesIO(b"caf\xc3\xa9 \xff")
    assert extract_text(upload, "text/plain; charset=utf-8") == "café \ufffd"


def test_it_returns_nothing_for_other_file_types():
    assert extract_text(io.BytesIO(b"\x89PNG\r\n"), "image/png") == ""


def test_it_reads_from_the_files_current_position_and_leaves_it_there():
    upload = ContentFile(b"HEADERNHS 943 476 5919", name="notes.txt")
    upload.seek(6)
    assert extract_text(upload, PLAIN_TEXT) == "NHS 943 476 5919"
    assert upload.tell() == 6


def test_it_stops_at_max_chars():
    assert extract_text(io.BytesIO(b"abcdef"), PLAIN_TEXT, max_chars=4) == "abcd"
    text = extract_text(io.BytesIO(make_pdf("first page", "second page")), PDF, max_chars=5)
    assert text == "first"


def test_a_corrupted_pdf_gives_no_text():
    assert extract_text(io.BytesIO(b"%PDF-1.4 garbage"), PDF) == ""


def test_a_pdf_that_needs_a_password_gives_no_text():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("NHS 943 476 5919"))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract_text(io.BytesIO(buffer.getvalue()), PDF) == ""


def test_a_pdf_with_only_an_owner_password_is_still_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("NHS 943 476 5919"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "943 476 5919" in extract_text(io.BytesIO(buffer.getvalue()), PDF)


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"", make_pdf("not a docx")],
    ids=["broken-zip", "empty", "pdf"],
)
def test_a_broken_docx_gives_no_text(data):
    assert extract_text(io.BytesIO(data), DOCX) == ""


def test_a_zip_that_is_not_a_word_document_gives_no_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-a-document/>")
    assert extract_text(io.BytesIO(buffer.getvalue()), DOCX) == ""


def test_a_zip_bomb_docx_is_refused_before_python_docx_unpacks_it(monkeypatch):
    opened = []
    monkeypatch.setattr(confidentiality.docx, "Document", lambda stream: opened.append(stream))
    buffer = io.BytesIO()
    megabyte = b"\0" * (1024 * 1024)
    # Streamed a megabyte at a time so the test never holds 60 MB.
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        for _ in range(60):
            member.write(megabyte)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024

    assert extract_text(io.BytesIO(data), DOCX) == ""
    assert opened == []

    monkeypatch.setattr(confidentiality.ExtractionLimits, "MAX_DOCX_UNCOMPRESSED_BYTES", 100 << 20)
    monkeypatch.setattr(confidentiality.ExtractionLimits, "MAX_DOCX_COMPRESSION_RATIO", 10_000)
    extract_text(io.BytesIO(data), DOCX)
    assert len(opened) == 1


def test_a_docx_with_one_highly_compressed_member_is_refused(monkeypatch):
    buffer = io.BytesIO(make_docx("Spoke to Jayden.", "SW1A 1AA"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (1024 * 1024))
    data = buffer.getvalue()
    assert extract_text(io.BytesIO(data), DOCX) == ""
    monkeypatch.setattr(confidentiality.ExtractionLimits, "MAX_DOCX_COMPRESSION_RATIO", 10_000)
    assert "Jayden" in extract_text(io.BytesIO(data), DOCX)


def test_a_docx_with_too_many_members_is_refused(monkeypatch):
    buffer = io.BytesIO(make_docx("Spoke to Jayden.", "SW1A 1AA"))
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(2_001):
            archive.writestr(f"customXml/extra{number}.xml", "<x/>")
    data = buffer.getvalue()
    assert extract_text(io.BytesIO(data), DOCX) == ""
    monkeypatch.setattr(confidentiality.ExtractionLimits, "MAX_DOCX_MEMBERS", 10_000)
    assert "Jayden" in extract_text(io.BytesIO(data), DOCX)


def test_a_docx_larger_than_the_uncompressed_limit_is_refused(monkeypatch):
    data = make_docx("Spoke to Jayden.", "SW1A 1AA")
    assert "Jayden" in extract_text(io.BytesIO(data), DOCX)
    monkeypatch.setattr(confidentiality.ExtractionLimits, "MAX_DOCX_UNCOMPRESSED_BYTES", 10_000)
    assert extract_text(io.BytesIO(data), DOCX) == ""
