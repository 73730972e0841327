"""Report pages: a stored report's download, the current report (stored or a draft), the
accessible HTML report, and the public verification page. Every download is recorded; a
stranger can neither download a report nor learn from the verification page anything beyond
valid or invalid, the version and when it was signed."""

import datetime
import io
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader, PdfWriter

from assessments import services
from assessments.models import ReportDownload, Review, SignedReport
from assessments.report import views as report_views
from tests.assessments.test_report_data import (
    LAST_WORD,
    draft_final,
    latest_report,
    pdf_pages,
    signed_final,
    stored_bytes,
)

PEOPLE = ["student", "educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]
VERIFY = reverse("verify")


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def goes_to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def download_url(report: SignedReport) -> str:
    return reverse("assessments:report-download", kwargs={"pk": report.pk})


def report_url(review: Review) -> str:
    return reverse("assessments:review-report", kwargs={"pk": review.pk})


def html_url(review: Review) -> str:
    return reverse("assessments:review-report-html", kwargs={"pk": review.pk})


@pytest.fixture
def story(cast):
    return signed_final(cast)


@pytest.fixture
def report(story) -> SignedReport:
    return latest_report(story.final)


@pytest.fixture
def draft(cast):
    return draft_final(cast)


# --- Downloading a stored report ---------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_the_placements_people_download_the_stored_bytes(client, cast, report, who):
    user = getattr(cast, who)
    client.force_login(user)

    response = client.get(download_url(report))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored_bytes(report)
    slug = slugify(cast.student.display_name)
    assert (
        f'filename="final-report-{slug}-v{report.version}.pdf"' in (response["Content-Disposition"])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_each_download_records_who_downloaded_what_and_when(client, cast, report):
    client.force_login(cast.coordinator)
    before = timezone.now()

    client.get(download_url(report))

    record = ReportDownload.objects.get()
    assert record.user == cast.coordinator
    assert record.kind == ReportDownload.Kind.PDF
    assert record.report == report
    assert record.review == report.review
    assert before <= record.created_at <= timezone.now()


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_cannot_download_a_report(client, cast, report, who):
    client.force_login(getattr(cast, who))

    response = client.get(download_url(report))

    assert response.status_code == 404
    assert not ReportDownload.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in(client, report):
    response = client.get(download_url(report))

    assert goes_to_login(response)
    assert not ReportDownload.objects.exists()


def test_an_unknown_report_is_not_found(client, cast):
    client.force_login(cast.tutor)

    assert client.get(reverse("assessments:report-download", args=[uuid.uuid4()])).status_code == (
        404
    )


# --- The current report of a review ------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_a_signed_reviews_report_is_its_latest_stored_version(client, cast, story, report, who):
    client.force_login(getattr(cast, who))

    response = client.get(report_url(story.final))

    assert response.status_code == 302
    assert response.url == download_url(report)
    assert report.version == 4


@pytest.mark.parametrize("who", ["educator", "tutor"])
def test_the_educator_and_tutor_get_a_draft_marked_draft(client, cast, draft, who):
    user = getattr(cast, who)
    client.force_login(user)

    response = client.get(report_url(draft.final))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "draft.pdf" in response["Content-Disposition"]
    pages = pdf_pages(response.content)
    assert all("DRAFT" in page for page in pages)
    assert LAST_WORD in " ".join(pages)
    record = ReportDownload.objects.get()
    assert (record.user, record.kind, record.review_id, record.report) == (
        user,
        ReportDownload.Kind.DRAFT,
        draft.final.pk,
        None,
    )
    assert not SignedReport.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "coordinator", "panel"])
def test_others_who_see_the_review_cannot_download_its_draft(client, cast, draft, who):
    client.force_login(getattr(cast, who))

    response = client.get(report_url(draft.final))

    assert response.status_code == 403
    assert not ReportDownload.objects.exists()


@pytest.mark.parametrize("who", ["student", *STRANGERS])
def test_the_student_and_strangers_do_not_find_a_draft_report(client, cast, draft, who):
    client.force_login(getattr(cast, who))

    assert client.get(report_url(draft.final)).status_code == 404
    assert not ReportDownload.objects.exists()


def test_an_amended_review_gives_a_draft_until_it_is_signed_again(client, cast):
    story = signed_final(cast, until=Review.Status.SIGNED)
    amended = services.review_amend(
        actor=cast.educator, review=story.final, reason="A grade was entered wrongly."
    )
    client.force_login(cast.educator)

    response = client.get(report_url(amended))

    assert response.status_code == 200
    text = " ".join(pdf_pages(response.content))
    assert "DRAFT" in text
    assert "The review was amended: A grade was entered wrongly." in text


# --- The accessible HTML report ----------------------------------------------------------------


class _Outline(HTMLParser):
    """The headings and tables of the report article."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.tables: list[dict] = []
        self._heading = None
        self._in_article = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self._in_article = True
        if not self._in_article:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, ""]
        elif tag == "table":
            self.tables.append({"caption": False, "th": [], "td": 0})
        elif tag == "caption":
            self.tables[-1]["caption"] = True
        elif tag == "th":
            self.tables[-1]["th"].append(attrs.get("scope"))
        elif tag == "td":
            self.tables[-1]["td"] += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article = False
        if self._heading and tag == self._heading[0]:
            self.headings.append((tag, " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data


def outline(response) -> _Outline:
    parser = _Outline()
    parser.feed(response.content.decode())
    return parser


def test_the_html_report_has_a_heading_for_every_section(client, cast, story):
    client.force_login(cast.panel)

    response = client.get(html_url(story.final))

    assert response.status_code == 200
    headings = outline(response).headings
    assert headings[0] == ("h1", "Final assessment report")
    assert [text for tag, text in headings if tag == "h2"] == [
        "Summary",
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
    assert ("h3", "Recommendation: Pass") in headings
    assert ("h3", "5. Domain 5") in headings


def test_every_table_in_the_html_report_has_a_caption_and_header_cells(client, cast, story):
    client.force_login(cast.tutor)

    tables = outline(client.get(html_url(story.final))).tables

    assert len(tables) >= 8
    for table in tables:
        assert table["caption"]
        assert table["th"]
        assert all(scope in ("col", "row") for scope in table["th"])


def test_the_html_report_carries_the_same_content_as_the_pdf(client, cast, story, report):
    client.force_login(cast.educator)

    text = text_of(client.get(html_url(story.final)))

    assert "Recommendation: Pass" in text
    assert "Builds trust quickly with people who are wary of services." in text
    assert "Adult social care Well suited Confident in assessments of older people" in text
    assert LAST_WORD in text
    assert "Home visit with an older adult" in text
    assert story.file_sha256 in text
    assert "Bring every case record up to date within a fortnight." in text
    assert f"version {report.version} (PDF, ratified by the panel" in text


def test_a_draft_html_report_says_it_is_a_draft(client, cast, draft):
    client.force_login(cast.supervisor)

    response = client.get(html_url(draft.final))

    assert response.status_code == 200
    assert ("h1", "Final assessment report (draft)") in outline(response).headings


def test_a_draft_html_report_stays_well_formed_for_assistive_technology(client, cast, draft):
    """Nothing signed yet: no definition list with a term and no description; each table that
    may scroll sideways on a phone sits in a named region the keyboard can reach."""
    client.force_login(cast.educator)

    page = client.get(html_url(draft.final)).content.decode()

    assert "<dt>Not yet signed.</dt>" not in page and "<p>Not yet signed.</p>" in page
    wrappers = re.findall(r'<div class="table-responsive"[^>]*>', page)
    assert wrappers
    for wrapper in wrappers:
        assert 'tabindex="0"' in wrapper and 'role="region"' in wrapper
        assert re.search(r'aria-label="[^"]+"', wrapper)


@pytest.mark.parametrize("who", STRANGERS)
def test_a_stranger_does_not_find_the_html_report(client, cast, story, who):
    client.force_login(getattr(cast, who))

    assert client.get(html_url(story.final)).status_code == 404


def test_the_student_does_not_find_the_html_report_of_a_draft(client, cast, draft):
    client.force_login(cast.student)

    assert client.get(html_url(draft.final)).status_code == 404


# --- The public verification page --------------------------------------------------------------


def test_anyone_can_open_the_verification_page(client):
    response = client.get(VERIFY)

    assert response.status_code == 200
    assert "Verify a final assessment report" in text_of(response)
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "typed", ["{code}", "{lower}", "{bare}", " {lower_bare} ", "{en_dash}", "{spaced}"]
)
def test_a_valid_code_says_whose_report_which_version_and_outcome(client, cast, report, typed):
    code = report.verification_code
    typed = typed.format(
        code=code,
        lower=code.lower(),
        bare=code.replace("-", " "),
        lower_bare=code.replace("-", "").lower(),
        en_dash=code.replace("-", " – "),
        spaced=" ".join(code),
    )

    response = client.post(VERIFY, {"code": typed})

    text = text_of(response)
    stored = timezone.localtime(report.created_at)
    student = cast.student
    assert "Authentic." in text
    assert f"Student {student.first_name[0]}. {student.last_name[0]}. (initials only)" in text
    assert f"Programme {cast.programme}, {cast.university.name}" in text
    assert f"Report Final assessment report, version {report.version}" in text
    assert "Outcome Pass" in text
    assert f"Stored {stored:%-d %B %Y} at {stored:%H:%M}, when it was ratified by the panel" in text


def test_the_verification_page_gives_away_nothing_else_about_the_report(client, cast, report):
    response = client.post(VERIFY, {"code": report.verification_code})

    html = response.content.decode()
    review = report.review
    placement = review.placement
    for secret in [
        cast.student.display_name,
        cast.student.email,
        cast.student.student_number,
        cast.educator.display_name,
        cast.tutor.display_name,
        cast.panel.display_name,
        placement.setting_name,
        str(placement.framework),
        "Adult social care",
        report.sha256,
        str(report.pk),
        str(review.pk),
        str(placement.pk),
        download_url(report),
    ]:
        assert secret not in html, secret


def test_a_superseded_version_names_the_version_that_replaced_it(client, story, report):
    first = story.final.reports.get(version=1)

    text = text_of(client.post(VERIFY, {"code": first.verification_code.lower()}))

    newest = timezone.localtime(report.created_at)
    assert f"Superseded by version {report.version} on {newest:%-d %B %Y}." in text
    assert "Authentic" not in text
    assert "Report Final assessment report, version 1" in text


def test_a_report_whose_review_was_reopened_is_no_longer_current(client, cast):
    story = signed_final(cast, until=Review.Status.SIGNED)
    report = latest_report(story.final)
    services.review_amend(actor=cast.educator, review=story.final, reason="A wrong grade.")

    text = text_of(client.post(VERIFY, {"code": report.verification_code}))

    assert "No longer current." in text
    assert "Authentic" not in text


def test_an_unknown_code_is_reported_as_invalid(client, report):
    response = client.post(VERIFY, {"code": "ZZZZ-ZZZZ"})

    text = text_of(response)
    assert "We have no report with that code." in text
    assert "Authentic" not in text


def test_the_stored_pdf_itself_verifies_as_authentic_and_unaltered(client, report):
    upload = SimpleUploadedFile("report.pdf", stored_bytes(report), "application/pdf")

    text = text_of(client.post(VERIFY, {"pdf": upload}))

    assert "Authentic and unaltered: the file is byte for byte the one we stored." in text
    assert f"Report Final assessment report, version {report.version}" in text


def test_a_pdf_changed_by_one_byte_does_not_verify(client, report):
    data = bytearray(stored_bytes(report))
    data[len(data) // 2] ^= 0x01
    upload = SimpleUploadedFile("report.pdf", bytes(data), "application/pdf")

    text = text_of(client.post(VERIFY, {"pdf": upload}))

    assert "Authentic" not in text
    assert "does not match" in text


def test_an_altered_copy_carrying_a_real_code_is_called_altered(client, report):
    copy = PdfWriter(clone_from=PdfReader(io.BytesIO(stored_bytes(report))))
    copy.add_metadata({"/Title": "Final assessment report (edited)"})
    altered = io.BytesIO()
    copy.write(altered)
    upload = SimpleUploadedFile("report.pdf", altered.getvalue(), "application/pdf")

    text = text_of(client.post(VERIFY, {"pdf": upload}))

    assert "Altered: this file does not match the report we stored." in text
    assert f"It carries the code {report.verification_code} of a real report" in text
    assert "Authentic" not in text


def test_a_file_that_is_not_a_pdf_is_simply_not_ours(client, report):
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7 not really", "application/pdf")

    text = text_of(client.post(VERIFY, {"pdf": upload}))

    assert "This file does not match any report we issued" in text


def test_an_empty_form_asks_for_the_code_or_the_file(client):
    response = client.post(VERIFY, {"code": "  "}, follow=True)

    assert "Please type the verification code, or choose the PDF." in text_of(response)


def test_a_file_too_large_to_be_a_report_is_turned_away(client, monkeypatch):
    monkeypatch.setattr(report_views, "MAX_VERIFY_UPLOAD", 100)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 200, "application/pdf")

    response = client.post(VERIFY, {"pdf": upload}, follow=True)

    assert "That file is too large to be one of our reports." in text_of(response)


def test_the_verification_page_names_the_version_printed_on_the_report(client, report):
    printed = re.search(
        r"Final assessment report · version (\d+)", pdf_pages(stored_bytes(report))[0]
    )

    text = text_of(client.post(VERIFY, {"code": report.verification_code}))

    named = re.search(r"Final assessment report, version (\d+)", text)
    assert printed.group(1) == named.group(1)


def test_the_signing_date_is_the_date_of_the_sign_off_it_records(client, cast):
    story = signed_final(cast, until=Review.Status.SIGNED)
    report = latest_report(story.final)
    SignedReport.objects.filter(pk=report.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 3, 7, 14, 5))
    )

    text = text_of(client.post(VERIFY, {"code": report.verification_code}))

    assert "Stored 7 March 2025 at 14:05, when it was signed by the educator" in text
