"""The final report PDF, read back with pypdf: every section and an item of every kind of data,
page furniture (page numbers, verification code, DRAFT watermark, metadata), and long content
that runs over pages with nothing lost."""

import dataclasses
import datetime
import io
import re
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from reportlab import rl_config

from assessments import services
from assessments.models import Suitability
from assessments.report import pdf as pdf_module
from assessments.report.data import CitedEvidence, IndexEntry, report_data_for
from assessments.report.pdf import render_pdf
from tests.assessments import builders
from tests.assessments.test_report_data import (
    FILE_NAME,
    LAST_WORD,
    LONG_DOMAIN,
    LONG_NARRATIVE,
    draft_final,
    latest_report,
    pdf_pages,
    signed_final,
    stored_bytes,
    submitted_evidence,
)

SECTIONS = [
    "Summary",
    "Learning needs for the first year in practice",
    "Learning agreement",
    "Attendance",
    "Direct observations",
    "Service user and carer feedback",
    "Domains",
    "Midpoint review",
    "Concerns and action plans",
    "Comments",
    "Declarations and signatures",
    "Evidence index",
]


def short_date(day: datetime.date) -> str:
    return f"{day:%-d %b %Y}"


@pytest.fixture
def story(cast):
    return signed_final(cast)


@pytest.fixture
def pdf(story) -> bytes:
    return stored_bytes(latest_report(story.final))


@pytest.fixture
def pages(pdf) -> list[str]:
    return pdf_pages(pdf)


@pytest.fixture
def text(pages) -> str:
    return " ".join(pages)


@pytest.fixture
def draft(cast):
    return draft_final(cast)


# --- Sections and their content ----------------------------------------------------------------


def test_the_contents_lists_every_section_on_the_page_where_it_starts(pages):
    contents = pages[1]
    assert "Contents" in contents
    for heading in SECTIONS:
        found = re.search(rf"{re.escape(heading)}[ .]*(\d+)", contents)
        assert found, f"{heading!r} is missing from the contents"
        page = int(found.group(1))
        assert heading in pages[page - 1], f"{heading!r} is not on page {page}"


def test_the_cover_names_the_people_the_placement_and_the_recommendation(pages, cast):
    cover = pages[0]
    placement = cast.placement
    assert "Final assessment report" in cover
    for name in (
        cast.student.display_name,
        cast.educator.display_name,
        cast.supervisor.display_name,
        cast.tutor.display_name,
    ):
        assert name in cover
    assert placement.setting_name in cover
    assert "Level End of last placement" in cover
    assert "Recommendation Pass" in cover


def test_the_summary_gives_the_recommendation_and_its_justification(pages):
    # The summary starts under the contents and runs on to the next page.
    start = next(i for i, p in enumerate(pages) if " Summary Recommendation " in p)
    summary = " ".join(pages[start : start + 2])
    assert "Recommendation Pass She meets the level in every domain, holistically." in summary
    assert "Overall account A thoughtful student who grew in confidence" in summary


def test_it_lists_each_strength_with_the_domains_it_shows(text):
    assert (
        "• Builds trust quickly with people who are wary of services. (Domain 1, Domain 2)" in text
    )
    assert "• Writes clear, timely case notes." in text


def test_it_gives_each_area_of_practice_its_rating_and_rationale(text):
    assert "Area of practice Rating Rationale" in text
    assert (
        "Adult social care Well suited Confident in assessments of older people living alone."
        in text
    )
    assert (
        "Children and families Suited with support "
        "Needs more experience of child protection conferences." in text
    )


def test_each_domain_has_its_grade_narrative_and_the_evidence_it_rests_on(text, story):
    visit, duty = story.evidence
    assert (
        f"1. Domain 1 Grade: Meets the level {builders.narrative('Domain 1')} "
        "Evidence it rests on Kind Date "
        f"Home visit with an older adult Direct observation {short_date(visit.practice_date)}"
        in text
    )
    assert f"9. Domain 9 Grade: Meets the level {builders.narrative('Domain 9')}" in text
    duty_date = short_date(duty.practice_date)
    assert f"Reflection on a duty call Critical reflection or process recording {duty_date}" in text


def reading_text(pages: list[str], story) -> str:
    """The pages run together as a reader follows them, without the header and footer lines
    printed on every page, so a sentence broken by a page break reads whole."""
    data = report_data_for(story.final)
    report = latest_report(story.final)
    furniture = [
        f"Practice Portfolio {data.student} · {data.programme}",
        f"Final assessment report · version {report.version} · {data.review_status}"
        f" · verify with code {report.verification_code}",
    ]
    joined = []
    for page in pages:
        for line in furniture:
            page = page.replace(line, " ")
        joined.append(re.sub(r"Page \d+ of \d+", " ", page))
    return " ".join(" ".join(joined).split())


def test_a_500_word_narrative_runs_on_to_the_next_page_with_no_word_lost(pages, story):
    assert len(LONG_NARRATIVE.split()) == 500
    assert LONG_NARRATIVE in reading_text(pages, story)
    first = next(i for i, p in enumerate(pages) if "family member 0 before" in p)
    last = next(i for i, p in enumerate(pages) if LAST_WORD in p)
    assert last == first + 1, "the narrative was expected to cross a page break"
    assert f"{LONG_DOMAIN}. Domain {LONG_DOMAIN}" in pages[first]


def test_it_summarises_the_signed_midpoint(text):
    assert "Midpoint review Outcome at the midpoint: On track" in text
    assert "At the midpoint she was settling into the team well." in text
    assert "Domain Grade The student's own rating Domain 1 Emerging — Domain 2 Emerging —" in text


def test_it_sets_out_each_concern_with_its_action_plan(text, cast):
    assert f"by {cast.educator.display_name} · Domain 3 · review" in text
    assert "outcome: Resolved Case recording has fallen two weeks behind." in text
    assert "Target (Domain 3): Bring every case record up to date within a fortnight." in text
    assert "Outcome: Every case record is now up to date." in text


def test_it_prints_the_students_comment_and_every_signature(text, cast):
    assert "The student's comments I found the placement hard but fair." in text
    for role, person in [
        ("Practice educator", cast.educator),
        ("Student (acknowledged)", cast.student),
        ("Tutor (countersigned)", cast.tutor),
        ("Practice assessment panel (ratified)", cast.panel),
    ]:
        assert re.search(
            rf"{re.escape(role)} {re.escape(person.display_name)} \d+ \w+ \d{{4}}, \d\d:\d\d", text
        ), role


def test_the_evidence_index_gives_each_files_sha256_and_leaves_out_drafts(pages, story):
    index = next(p for p in pages if "Evidence index" in p and "Evidence Kind Status Date" in p)
    assert "Home visit with an older adult" in index
    assert "Reflection on a duty call" in index
    assert f"{FILE_NAME}:" in index
    # The 64-character digest wraps inside its narrow cell; read it back without the wrap.
    assert story.file_sha256 in index.replace(" ", "")
    assert "1, 2, 3, 4, 5" in index
    assert story.draft_evidence.title not in " ".join(pages)


# --- Page furniture ----------------------------------------------------------------------------


def test_every_page_says_page_x_of_y(pages):
    total = len(pages)
    assert total > 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page


def test_the_verification_code_is_on_the_cover_and_in_every_footer(pages, story):
    code = latest_report(story.final).verification_code
    assert f"Verification code {code}." in pages[0]
    assert "http://127.0.0.1:8000/verify/" in pages[0]
    for page in pages:
        assert f"verify with code {code}" in page


def test_the_metadata_gives_title_author_and_subject(pdf, cast):
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == f"Final assessment report: {cast.student.display_name}"
    assert cast.educator.display_name in meta.author
    assert "practice educator" in meta.author
    assert str(cast.programme) in meta.subject
    assert cast.university.name in meta.subject
    assert str(cast.placement.framework) in meta.subject


def test_a_signed_report_has_no_draft_watermark(pages):
    assert not any("DRAFT" in page for page in pages)


def test_a_draft_is_watermarked_draft_on_every_page(draft):
    pdf = render_pdf(report_data_for(draft.final))
    pages = pdf_pages(pdf)

    assert all("DRAFT" in page for page in pages)
    assert PdfReader(io.BytesIO(pdf)).metadata.title.endswith("(draft)")
    assert "Not yet signed." in " ".join(pages)
    assert "verif" not in " ".join(pages).lower()


def test_rendering_never_touches_the_database(draft, django_assert_num_queries):
    data = report_data_for(draft.final)
    with django_assert_num_queries(0):
        render_pdf(data, verification_code="ABCD-EFGH", verify_url="https://example.org/verify/")


# --- Long content ------------------------------------------------------------------------------


def _with_domain(data, order: int, **changes):
    data.domains = [
        dataclasses.replace(s, **changes) if s.order == order else s for s in data.domains
    ]
    return data


def test_a_narrative_of_several_pages_loses_no_word(draft):
    words = [f"word{n:04d}" for n in range(3000)]
    data = _with_domain(report_data_for(draft.final), 2, narrative=" ".join(words))

    pages = pdf_pages(render_pdf(data))

    printed = [w for p in pages for w in re.findall(r"word\d{4}", p)]
    assert printed == words
    assert sum(1 for p in pages if "word" in p) >= 4


def test_the_evidence_index_repeats_its_table_header_on_every_page(draft):
    data = report_data_for(draft.final)
    data.evidence_index = [
        IndexEntry(f"Item number {n:03d}", "Other", datetime.date(2026, 1, 5), [1, 2], [])
        for n in range(150)
    ]

    pages = [p for p in pdf_pages(render_pdf(data)) if "Item number" in p]

    assert len(pages) >= 3
    for page in pages:
        assert "Evidence Kind Status Date Domains Item number" in page
    printed = [m for p in pages for m in re.findall(r"Item number (\d{3})", p)]
    assert printed == [f"{n:03d}" for n in range(150)]


def test_a_domains_evidence_table_repeats_its_header_when_it_spans_pages(draft):
    cited = [
        CitedEvidence(f"Cited item {n:03d}", "Other", datetime.date(2026, 1, 5)) for n in range(120)
    ]
    data = _with_domain(report_data_for(draft.final), 1, evidence=cited)

    pages = [p for p in pdf_pages(render_pdf(data)) if "Cited item" in p]

    assert len(pages) >= 2
    for page in pages:
        assert "Evidence it rests on Kind Date Cited item" in page
    assert len(re.findall(r"Cited item \d{3}", " ".join(pages))) == 120


def test_what_people_type_is_printed_as_written_not_read_as_markup(draft):
    data = report_data_for(draft.final)
    data.student = "Zoë Ó Briain-Łukasiewicz"
    data.strengths = [("Uses <b>plain</b> words & checks <understanding>", [])]
    data = _with_domain(data, 3, name="Values & ethics <core>", narrative="Tom & Jerry <br/> ok")

    text = " ".join(pdf_pages(render_pdf(data)))

    assert "Zoë Ó Briain-Łukasiewicz" in text
    assert "• Uses <b>plain</b> words & checks <understanding>" in text
    assert "3. Values & ethics <core>" in text
    assert "Tom & Jerry <br/> ok" in text
    assert "&amp;" not in text


# --- Speed shortcuts ---------------------------------------------------------------------------


PLAIN_TEXTS = ["Accepted", "Direct  observation\twith  spaces ", "Zoë Ó Briain-Łukasiewicz", "—"]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_plain_text_gets_the_fragment_the_markup_parser_would_make_in_every_style(text):
    for name, style in pdf_module._styles().items():
        parsed = pdf_module.PlatypusParagraph(text, style)
        quick = pdf_module._p(text, style)
        assert "frags" in quick.__dict__ and len(quick.frags) == len(parsed.frags) == 1, name
        assert vars(quick.frags[0]) == vars(parsed.frags[0]), name
        assert quick.text == parsed.text, name


def test_the_shortcuts_draw_the_same_pdf_as_platypus_unaided(draft, monkeypatch):
    """Wrapping each paragraph once per width and skipping the parser for plain text change
    nothing on the page: with both turned off, the same data gives the same bytes."""
    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation date or random document id
    data = _with_domain(report_data_for(draft.final), 2, narrative=" ".join(["word"] * 3000))
    data.evidence_index = [
        IndexEntry(f"Item {n}", "Other", datetime.date(2026, 1, 5), [1, 2], []) for n in range(90)
    ]
    quick = render_pdf(data)

    monkeypatch.setattr(pdf_module, "Paragraph", pdf_module.PlatypusParagraph)
    monkeypatch.setattr(pdf_module, "MARKUP", frozenset(string.printable))
    assert render_pdf(data) == quick


# --- Bugs --------------------------------------------------------------------------------------


def test_a_long_suitability_rationale_in_short_paragraphs_still_lets_the_educator_sign(draft):
    paragraphs = [
        f"Point {n}: seen in a home visit and written up the same day." for n in range(40)
    ]
    rationale = "\n\n".join(paragraphs)
    assert len(rationale) <= 3000  # what the suitability form accepts
    services.suitability_save(
        actor=draft.placement.educator,
        review=draft.final,
        practice_area=draft.areas[0],
        rating=Suitability.Rating.WELL_SUITED,
        rationale=rationale,
    )

    final = services.review_sign(actor=draft.placement.educator, review=draft.final)

    text = " ".join(pdf_pages(stored_bytes(latest_report(final))))
    for paragraph in paragraphs:
        assert paragraph in text


def test_an_evidence_item_with_many_files_still_lets_the_educator_sign(draft):
    placement = draft.placement
    files = [
        SimpleUploadedFile(f"page-{n:02d}.txt", b"page %d\n" % n, content_type="text/plain")
        for n in range(45)
    ]
    submitted_evidence(
        placement,
        title="Scanned pages of my placement diary",
        domains=list(placement.framework.domains.all()[:1]),
        files=files,
    )

    final = services.review_sign(actor=placement.educator, review=draft.final)

    text = " ".join(pdf_pages(stored_bytes(latest_report(final))))
    for n in range(45):
        assert f"page-{n:02d}.txt" in text
