"""The whole final review in a browser: the educator writes and signs it, the student
acknowledges with a comment, the tutor countersigns, the panel ratifies, and the coordinator
downloads the signed report."""

import datetime

import pytest

from assessments.models import Review, SignedReport
from portfolios import services
from portfolios.services.evidence import MappingInput
from tests import factories
from tests.assessments import builders
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from tests.conftest import Cast

    cast = Cast()
    domains = list(cast.placement.framework.domains.all())
    evidence = services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind="critical_reflection",
        title="Reflection on a carer's assessment",
        practice_date=datetime.date.today() - datetime.timedelta(days=5),
        mappings=[MappingInput(d, "It shows this.") for d in domains],
    )
    services.evidence_submit(actor=cast.student, evidence=evidence)
    # What the sign-off rules ask beyond the review itself: an acknowledged midpoint, a signed
    # learning agreement, the days and the direct observations.
    builders.signable(cast.placement)
    factories.PracticeAreaFactory(code="adult-social-care", name="Adult social care")
    return cast


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(factories.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def sign_out(page):
    page.context.clear_cookies()


def test_a_final_review_from_first_grade_to_the_panel(page, live_server, world):
    placement = world.placement
    sign_in(page, live_server, world.educator.email)
    page.goto(f"{live_server.url}/placements/{placement.pk}/reviews/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the final review").click()
    review_url = page.url
    page.get_by_role("link", name="1. Domain 1").click()
    assert_accessible(page)
    domains = list(placement.framework.domains.all())
    for i, _domain in enumerate(domains):
        page.get_by_label("Meets the level").check()
        page.get_by_label("Narrative").fill(builders.narrative(f"Domain {i + 1}"))
        page.locator("input[name=evidence]").first.check()
        if i + 1 < len(domains):
            page.get_by_role("button", name="Save and go to").click()
        else:
            page.get_by_role("button", name="Save", exact=True).click()
    assert page.url == review_url
    assert_accessible(page)

    page.get_by_role("link", name="Edit strengths and suitability").click()
    page.get_by_label("A strength").fill("Writes clear, balanced assessments quickly.")
    page.get_by_role("button", name="Add strength").click()
    page.get_by_label("Practice area").select_option(label="Adult social care")
    page.get_by_label("Well suited").check()
    page.get_by_label("Rationale").fill("Confident with adults and carers.")
    page.get_by_role("button", name="Save this area").click()
    assert page.get_by_text("Confident with adults and carers.").is_visible()
    assert_accessible(page)

    page.goto(review_url)
    page.get_by_role("link", name="Write the recommendation").click()
    assert_accessible(page)
    page.get_by_role("radio", name="Pass").check()
    page.get_by_label("Why this recommendation").fill("Meets every domain, holistically.")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Ready to sign").is_visible()
    page.get_by_role("link", name="Go to signing").click()
    assert page.get_by_text("Every rule for signing is met").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign the final review").click()
    assert page.get_by_text("Signed. The review is now locked.").is_visible()
    assert_accessible(page)

    sign_out(page)
    sign_in(page, live_server, world.student.email)
    page.goto(review_url)
    page.get_by_role("link", name="Read, comment and acknowledge").click()
    assert_accessible(page)
    page.get_by_label("Your comments (optional)").fill("I agree; thank you.")
    page.get_by_role("button", name="I have read it: acknowledge").click()
    assert page.get_by_text("I agree; thank you.").is_visible()

    sign_out(page)
    sign_in(page, live_server, world.tutor.email)
    page.goto(review_url)
    page.get_by_role("link", name="Read the summary and countersign").click()
    page.get_by_label("Your comment for the panel (optional)").fill("A fair, careful report.")
    page.get_by_role("button", name="Countersign").click()
    assert page.get_by_text("Please tick the box to confirm").is_visible()
    assert_accessible(page)
    page.get_by_label("I have read this report and countersign it").check()
    page.get_by_role("button", name="Countersign").click()
    assert page.get_by_text("A fair, careful report.").is_visible()

    sign_out(page)
    sign_in(page, live_server, world.panel.email)
    page.get_by_role("link", name="Panel queue").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a panel meeting").click()
    page.get_by_role("button", name="Record the meeting").click()
    page.get_by_role("button", name="Draw the sample").click()
    assert page.get_by_text("Pass drawn for the sample").is_visible()
    assert_accessible(page)
    page.goto(review_url)
    page.get_by_role("link", name="Ratify…").click()
    page.get_by_label("At the panel meeting").select_option(index=1)
    page.get_by_label("The panel's note (optional)").fill("Evidence supports each grade.")
    page.get_by_role("button", name="Ratify the report").click()
    assert page.get_by_text("Ratified.", exact=True).is_visible()
    assert_accessible(page)

    review = Review.objects.get(placement=placement, kind=Review.Kind.FINAL)
    assert review.status == Review.Status.RATIFIED
    latest = SignedReport.objects.filter(review=review).order_by("-version").first()
    assert latest.event == SignedReport.Event.RATIFIED

    sign_out(page)
    sign_in(page, live_server, world.coordinator.email)
    page.goto(review_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Report (PDF)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read() == latest.pdf.open("rb").read()
