"""What the final report says, gathered by `report_data_for` in a fixed number of queries.

The other report tests build their signed final review with `signed_final` from here, so every
one of them reads the same placement: a signed and acknowledged midpoint, a resolved concern with
an action plan, evidence mapped to every domain (one item with a file, one left as a draft), what
else the sign-off rules ask (`builders.signable`) and a final review walked through the services
from the first grade to the panel's ratification.
"""

import dataclasses
import datetime
import hashlib
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.models import Concern, Review, SignedReport, Suitability
from assessments.report.data import report_data_for, reviews_for_report
from portfolios import services as portfolio_services
from portfolios.models import AttendanceDay, Evidence, Placement
from portfolios.services.evidence import MappingInput
from tests import factories
from tests.assessments import builders

# The last word of the long narrative: it appears nowhere else, so finding it in the PDF shows
# the narrative was printed to its end.
LAST_WORD = "Quillfeather"
LONG_NARRATIVE = (
    " ".join(f"She listened carefully to family member {n} before writing." for n in range(54))
    + f" In closing she asked each person what mattered most to them and why: {LAST_WORD}"
)
LONG_DOMAIN = 3  # far enough down its page to run on to the next
FILE_BYTES = b"Notes written after the home visit, kept for the portfolio.\n"
FILE_NAME = "visit-notes.txt"


@dataclasses.dataclass
class Story:
    """Everything `signed_final` made, so the tests can look for it."""

    placement: Placement
    midpoint: Review
    final: Review
    evidence: list[Evidence]
    draft_evidence: Evidence
    areas: list
    file_sha256: str

    def refresh(self) -> "Story":
        self.final = Review.objects.get(pk=self.final.pk)
        self.placement.refresh_from_db()
        return self


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page as pypdf reads it back, with runs of whitespace made single
    spaces, so a sentence wrapped over lines can be found whole."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def stored_bytes(report: SignedReport) -> bytes:
    with report.pdf.open("rb") as handle:
        return handle.read()


def latest_report(review: Review) -> SignedReport:
    return review.reports.order_by("-version").first()


def days_ago(n: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=n)


def submitted_evidence(placement, *, title, domains, days=10, kind=None, files=()) -> Evidence:
    item = portfolio_services.evidence_create(
        actor=placement.student,
        placement=placement,
        kind=kind or Evidence.Kind.CRITICAL_REFLECTION,
        title=title,
        practice_date=days_ago(days),
        mappings=[MappingInput(d, "It shows this in practice.") for d in domains],
        files=list(files),
    )
    return portfolio_services.evidence_submit(actor=placement.student, evidence=item)


def graded(review: Review, *, narratives=None, value: int = 3) -> Review:
    """Grade every domain, citing the submitted evidence mapped to it."""
    placement = review.placement
    grade = placement.grading_scale.grades.get(value=value)
    narratives = narratives or {}
    for judgement in review.judgements.select_related("domain"):
        domain = judgement.domain
        cited = list(
            placement.evidence.filter(mappings__domain=domain)
            .exclude(status=Evidence.Status.DRAFT)
            .order_by("practice_date", "title")
        )
        services.judgement_save(
            actor=placement.educator,
            judgement=judgement,
            grade=grade,
            narrative=narratives.get(domain.order, builders.narrative(domain.name)),
            evidence=cited,
        )
    return review


def signed_midpoint(placement) -> Review:
    """Signed and acknowledged, every domain "Emerging", with the reason no concern was needed."""
    educator = placement.educator
    midpoint = services.review_start(actor=educator, placement=placement, kind=Review.Kind.MIDPOINT)
    graded(midpoint, value=2)
    services.review_outcome_save(
        actor=educator,
        review=midpoint,
        midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
        summary="At the midpoint she was settling into the team well.",
        no_concern_reason="Emerging is where a student should be halfway through.",
    )
    midpoint = services.review_sign(actor=educator, review=midpoint)
    return services.review_acknowledge(actor=placement.student, review=midpoint)


def draft_final(cast) -> Story:
    """Everything up to the educator's signature on the final review."""
    placement = cast.placement
    educator = placement.educator
    domains = list(placement.framework.domains.order_by("order"))
    upload = SimpleUploadedFile(FILE_NAME, FILE_BYTES, content_type="text/plain")
    evidence = [
        submitted_evidence(
            placement,
            title="Home visit with an older adult",
            domains=domains[:5],
            days=20,
            kind=Evidence.Kind.DIRECT_OBSERVATION,
            files=[upload],
        ),
        submitted_evidence(placement, title="Reflection on a duty call", domains=domains[4:]),
    ]
    draft_item = portfolio_services.evidence_create(
        actor=placement.student,
        placement=placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title="Unfinished note about the duty rota",
        practice_date=days_ago(2),
        mappings=[MappingInput(domains[0], "Not ready yet.")],
    )
    midpoint = signed_midpoint(placement)
    builders.signable(placement)
    concern = services.concern_raise(
        actor=educator,
        placement=placement,
        description="Case recording has fallen two weeks behind.",
        review_date=datetime.date.today() + datetime.timedelta(days=14),
        targets={domains[2]: "Bring every case record up to date within a fortnight."},
    )
    services.concern_record_outcome(
        actor=educator,
        concern=concern,
        outcome=Concern.Outcome.RESOLVED,
        note="Every case record is now up to date.",
    )
    final = services.review_start(actor=educator, placement=placement, kind=Review.Kind.FINAL)
    graded(final, narratives={LONG_DOMAIN: LONG_NARRATIVE})
    services.strength_add(
        actor=educator,
        review=final,
        text="Builds trust quickly with people who are wary of services.",
        domains=domains[:2],
    )
    services.strength_add(actor=educator, review=final, text="Writes clear, timely case notes.")
    areas = [
        factories.PracticeAreaFactory(code="adults", name="Adult social care"),
        factories.PracticeAreaFactory(code="children", name="Children and families"),
    ]
    services.suitability_save(
        actor=educator,
        review=final,
        practice_area=areas[0],
        rating=Suitability.Rating.WELL_SUITED,
        rationale="Confident in assessments of older people living alone.",
    )
    services.suitability_save(
        actor=educator,
        review=final,
        practice_area=areas[1],
        rating=Suitability.Rating.WITH_SUPPORT,
        rationale="Needs more experience of child protection conferences.",
    )
    services.review_outcome_save(
        actor=educator,
        review=final,
        summary="A thoughtful student who grew in confidence over the placement.",
        recommendation=Review.Recommendation.PASS,
        recommendation_justification="She meets the level in every domain, holistically.",
    )
    return Story(
        placement=placement,
        midpoint=midpoint,
        final=final,
        evidence=evidence,
        draft_evidence=draft_item,
        areas=areas,
        file_sha256=evidence[0].files.get().sha256,
    )


def signed_final(cast, *, until: str = Review.Status.RATIFIED) -> Story:
    """A final review walked through the sign-off chain as far as `until`."""
    story = draft_final(cast)
    final = services.review_sign(actor=cast.educator, review=story.final)
    steps = [
        (
            Review.Status.ACKNOWLEDGED,
            lambda r: services.review_acknowledge(
                actor=cast.student, review=r, comment="I found the placement hard but fair."
            ),
        ),
        (
            Review.Status.COUNTERSIGNED,
            lambda r: services.review_countersign(actor=cast.tutor, review=r, confirmed=True),
        ),
        (
            Review.Status.RATIFIED,
            lambda r: services.review_ratify(
                actor=cast.panel, review=r, meeting=builders.meeting(cast.placement)
            ),
        ),
    ]
    for status, step in steps:
        if final.status == until:
            break
        final = step(final)
        assert final.status == status
    story.final = final
    return story.refresh()


@pytest.fixture
def story(cast) -> Story:
    return signed_final(cast)


# --- What the data holds -------------------------------------------------------------------


def test_it_gathers_every_part_of_a_ratified_final_review(story, cast):
    data = report_data_for(story.final)

    assert data.student == cast.student.display_name
    assert data.recommendation == "Pass"
    assert data.review_status == "Ratified by the panel"
    assert [s.order for s in data.domains] == list(range(1, 10))
    assert data.domains[LONG_DOMAIN - 1].narrative == LONG_NARRATIVE
    assert [text for text, _ in data.strengths] == [
        "Builds trust quickly with people who are wary of services.",
        "Writes clear, timely case notes.",
    ]
    assert [(r.area, r.rating) for r in data.suitability] == [
        ("Adult social care", "Well suited"),
        ("Children and families", "Suited with support"),
    ]
    assert data.midpoint_outcome == "On track"
    assert data.concerns[0].targets == [
        ("Domain 3", "Bring every case record up to date within a fortnight.")
    ]
    assert (data.concerns[0].outcome, data.concerns[0].outcome_note) == (
        "Resolved",
        "Every case record is now up to date.",
    )
    assert data.student_comment == "I found the placement hard but fair."
    assert not data.draft


def test_the_signatures_name_each_person_in_the_order_they_signed(story, cast):
    data = report_data_for(story.final)

    assert [(s.role, s.name) for s in data.signatures] == [
        ("Practice educator", cast.educator.display_name),
        ("Student (acknowledged)", cast.student.display_name),
        ("Tutor (countersigned)", cast.tutor.display_name),
        ("Practice assessment panel (ratified)", cast.panel.display_name),
    ]


def test_the_evidence_index_leaves_out_the_students_drafts(story):
    titles = [e.title for e in report_data_for(story.final).evidence_index]

    assert titles == [
        "Home visit with an older adult",
        "Reflection on a duty call",
        "Direct observation by educator",
        "Direct observation by educator",
        "Direct observation by supervisor",
    ]
    assert story.draft_evidence.title not in titles


def test_the_evidence_index_gives_each_files_name_and_sha256(story):
    entry = report_data_for(story.final).evidence_index[0]

    assert entry.files == [(FILE_NAME, hashlib.sha256(FILE_BYTES).hexdigest())]
    assert story.file_sha256 == hashlib.sha256(FILE_BYTES).hexdigest()
    assert entry.domains == [1, 2, 3, 4, 5]


def test_a_draft_final_review_is_marked_as_a_draft_with_no_signatures(cast):
    story = draft_final(cast)

    data = report_data_for(story.final)

    assert data.draft
    assert data.signatures == []


def test_a_midpoint_still_in_draft_is_not_reported(cast):
    placement = cast.placement
    midpoint = services.review_start(
        actor=cast.educator, placement=placement, kind=Review.Kind.MIDPOINT
    )
    services.review_outcome_save(
        actor=cast.educator,
        review=midpoint,
        midpoint_outcome=Review.MidpointOutcome.CONCERNS,
        summary="Not yet signed.",
    )
    # The service will not start a final review while the midpoint is a draft, so the final
    # review is made directly here, to ask the selector what it would report.
    final = Review.objects.create(placement=placement, kind=Review.Kind.FINAL)

    data = report_data_for(final)

    assert data.midpoint_outcome == ""
    assert data.midpoint_grades == []


# --- A fixed number of queries -------------------------------------------------------------


def _placement_with(evidence_count: int) -> Review:
    """A signed final review on a fresh 9-domain placement, citing `evidence_count` items
    (every other one with a file) besides what `builders.signable` adds, with a strength, a
    suitability rating and a resolved concern per five items."""
    placement = factories.PlacementFactory()
    domains = list(placement.framework.domains.order_by("order"))
    cycle = itertools.cycle(domains)
    for n in range(evidence_count):
        files = []
        if n % 2 == 0:
            files = [
                SimpleUploadedFile(f"note-{n}.txt", b"note %d\n" % n, content_type="text/plain")
            ]
        submitted_evidence(
            placement,
            title=f"Evidence item {n}",
            domains=[next(cycle), next(cycle)],
            days=1 + n % 30,
            files=files,
        )
    builders.signable(placement)
    final = services.review_start(
        actor=placement.educator, placement=placement, kind=Review.Kind.FINAL
    )
    graded(final)
    for n in range(evidence_count // 5):
        services.strength_add(
            actor=placement.educator, review=final, text=f"Strength {n}", domains=domains[:3]
        )
        area = factories.PracticeAreaFactory(code=f"area-{evidence_count}-{n}")
        services.suitability_save(
            actor=placement.educator,
            review=final,
            practice_area=area,
            rating=Suitability.Rating.WELL_SUITED,
            rationale="Seen often.",
        )
        concern = services.concern_raise(
            actor=placement.educator,
            placement=placement,
            description=f"Concern {n}",
            review_date=datetime.date.today() + datetime.timedelta(days=7),
            targets=dict.fromkeys(domains[:3], f"Target {n}"),
        )
        services.concern_record_outcome(
            actor=placement.educator, concern=concern, outcome="resolved", note="Met."
        )
        services.learning_need_add(
            actor=placement.educator,
            review=final,
            area=f"Area {n}",
            development="Build on it in the first year.",
            support="Supervision.",
        )
        AttendanceDay.objects.create(
            placement=placement,
            date=placement.start_date + datetime.timedelta(days=n),
            kind=AttendanceDay.Kind.ABSENCE,
            recorded_by=placement.student,
            confirmed_by=placement.educator,
            confirmed_at=timezone.now(),
        )
        _, token = portfolio_services.feedback_request_create(
            actor=placement.student, placement=placement, work_description=f"visit {n}"
        )
        portfolio_services.feedback_give(
            token=token,
            consent=True,
            relationship="carer",
            listened="yes",
            respected="yes",
            went_well=f"Kind words {n}.",
        )
    builders.rate_every_area(final)
    services.review_outcome_save(
        actor=placement.educator,
        review=final,
        recommendation=Review.Recommendation.PASS,
        recommendation_justification="Meets the level.",
    )
    return services.review_sign(actor=placement.educator, review=final)


# The queries `report_data_for` runs, whatever the portfolio's size: pinned, so a new section
# that queries per row (or adds a query without thought) fails here. One of them fetches the
# review again with its relations, which a page that fetched it so already skips
# (`fetched=True`); another loads the people on it (`with_people`).
REPORT_DATA_QUERIES = 26


def _queries_to_gather(review: Review) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        data = report_data_for(review)
    return len(queries), data


def test_it_runs_the_same_number_of_queries_for_10_or_60_evidence_items(db):
    small, small_data = _queries_to_gather(_placement_with(10))
    large, large_data = _queries_to_gather(_placement_with(60))

    assert len(large_data.evidence_index) - len(small_data.evidence_index) == 50
    assert sum(len(s.evidence) for s in large_data.domains) > sum(
        len(s.evidence) for s in small_data.domains
    )
    assert len(large_data.concerns) == 12
    assert len(large_data.learning_needs) == len(large_data.absences) == 12
    assert small == large == REPORT_DATA_QUERIES


def test_a_review_fetched_for_the_report_is_not_fetched_again(db):
    """A page fetches the review (scoped to its user) with what the report reads; fetching
    and gathering then cost what gathering alone costs, not a second fetch on top."""
    review = _placement_with(10)
    with CaptureQueriesContext(connection) as queries:
        fetched = reviews_for_report(Review.objects.all()).get(pk=review.pk)
        data = report_data_for(fetched, fetched=True)
    assert len(queries) == REPORT_DATA_QUERIES
    assert data == report_data_for(review)
