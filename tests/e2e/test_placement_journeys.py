"""Two placement journeys in a browser: the learning agreement is drafted and signed by everyone,
then a day is recorded and its week confirmed (by keyboard); and the student's self-assessment
is submitted and seen beside the educator's grade, marked as a point to discuss."""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services as assessment_services
from assessments.models import Review, SelfAssessment
from portfolios.models import AgreementSignature, AttendanceDay, LearningAgreement, Placement
from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Playwright waits this long (ms) for each step before failing.
STEP = 15_000
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def signed_in(browser, live_server, user):
    """A fresh browser context (its own cookies) with `user` signed in."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(STEP)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(factories.DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
        yield page
    finally:
        context.close()


def assert_accessible_on_a_phone(page):
    """No serious or critical axe findings at 1280px and 375px wide, and nothing wider than
    the phone (the shared check in tests/e2e/conftest.py)."""
    assert_accessible(page, fits_phone=True)


def url(live_server, name, **kwargs):
    return live_server.url + reverse(name, kwargs=kwargs)


def test_a_placement_starts_with_an_agreement_and_runs_on_a_confirmed_log(
    browser, live_server, cast
):
    placement = cast.placement
    agreement_url = url(live_server, "portfolios:agreement-detail", pk=placement.pk)
    attendance_url = url(live_server, "portfolios:attendance", pk=placement.pk)

    with signed_in(browser, live_server, cast.educator) as page:
        page.goto(agreement_url)
        assert_accessible_on_a_phone(page)
        page.get_by_role("link", name="Draft the learning agreement").click()
        assert_accessible_on_a_phone(page)
        page.get_by_label("How often supervision happens").fill("Weekly, 90 minutes")
        page.get_by_label("1. Domain 1", exact=True).fill("Lead an assessment with a family.")
        page.get_by_role("button", name="Save the learning agreement").click()
        expect(page.get_by_text("The learning agreement is saved.")).to_be_visible()
        expect(page.get_by_text("Lead an assessment with a family.")).to_be_visible()
        page.get_by_role("button", name="Sign the learning agreement").click()
        expect(page.get_by_text("You have signed the learning agreement.")).to_be_visible()

    for person in (cast.student, cast.supervisor, cast.tutor):
        with signed_in(browser, live_server, person) as page:
            page.goto(agreement_url)
            expect(page.get_by_text("Weekly, 90 minutes")).to_be_visible()
            page.get_by_role("button", name="Sign the learning agreement").click()
            expect(page.get_by_text("You have signed")).to_be_visible()
            expect(page.get_by_role("button", name="Sign the learning agreement")).to_have_count(0)
            if person == cast.tutor:
                expect(page.get_by_text("Everyone has now signed the agreement.")).to_be_visible()
                expect(page.get_by_text("signed by everyone on")).to_be_visible()
                assert_accessible_on_a_phone(page)

    agreement = LearningAgreement.objects.get(placement=placement)
    assert agreement.status == LearningAgreement.Status.SIGNED
    assert agreement.supervision_frequency == "Weekly, 90 minutes"
    assert set(agreement.signatures.values_list("role", flat=True)) == {
        AgreementSignature.Role.STUDENT,
        AgreementSignature.Role.EDUCATOR,
        AgreementSignature.Role.SUPERVISOR,
        AgreementSignature.Role.TUTOR,
    }
    assert list(agreement.goals.values_list("domain__order", "text")) == [
        (1, "Lead an assessment with a family.")
    ]

    # Two days ago: inside the placement (it began 60 days ago) and not in the future.
    day = datetime.date.today() - datetime.timedelta(days=2)
    with signed_in(browser, live_server, cast.student) as page:
        page.goto(attendance_url)
        expect(page.locator("#days-summary")).to_have_text(re.compile(r"^0 of \d+ required"))
        page.get_by_role("textbox", name="Day").fill(day.isoformat())
        page.get_by_label("What kind of day").select_option(label="Placement day")
        page.get_by_role("button", name="Add this day").click()
        expect(page.get_by_text("is in your log, waiting to be confirmed.")).to_be_visible()
        expect(page.get_by_text("Waiting to be confirmed", exact=True)).to_be_visible()
        assert_accessible_on_a_phone(page)

    monday = day - datetime.timedelta(days=day.weekday())
    with signed_in(browser, live_server, cast.supervisor) as page:
        page.goto(attendance_url)
        confirm = page.get_by_role("button", name=f"Confirm the week of {monday:%-d %b}")
        expect(confirm).to_be_visible()
        # By keyboard: from the Attendance tab, Tab along to the week's button and press Enter.
        page.get_by_role("link", name="Attendance", exact=True).focus()
        for _ in range(10):
            page.keyboard.press("Tab")
            if confirm.evaluate("button => button === document.activeElement"):
                break
        expect(confirm).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_text("You have confirmed 1 day in the week of")).to_be_visible()
        expect(page.locator("#days-summary")).to_have_text(re.compile(r"^1 of \d+ required"))
        expect(page.get_by_text("Week confirmed")).to_be_visible()
        assert_accessible_on_a_phone(page)

    recorded = AttendanceDay.objects.get(placement=placement)
    assert recorded.date == day
    assert recorded.confirmed_by == cast.supervisor
    assert Placement.objects.get(pk=placement.pk).days_completed == Decimal(1)


def test_the_student_assesses_themselves_and_the_educator_sees_it_while_grading(
    browser, live_server, cast
):
    placement = cast.placement
    domains = list(placement.framework.domains.all())
    mine = "I led a carer's assessment on my own and wrote it up the same day."

    with signed_in(browser, live_server, cast.student) as page:
        page.goto(url(live_server, "assessments:self-assessment", pk=placement.pk, kind="midpoint"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("before the midpoint")
        assert_accessible_on_a_phone(page)
        for domain in domains:
            group = page.get_by_role("group", name=f"{domain.order}. {domain.name}", exact=True)
            group.get_by_label("Your rating").select_option(
                label="Exceeds" if domain.order == 1 else "Meets the level"
            )
            group.get_by_label("Why: what you did that shows it").fill(
                mine if domain.order == 1 else f"Shown in my work on {domain.name}."
            )
        page.get_by_role("button", name="Submit", exact=True).click()
        expect(page.get_by_text("Your self-assessment is submitted.")).to_be_visible()
        expect(page.get_by_text(mine)).to_be_visible()
        assert_accessible_on_a_phone(page)

    record = SelfAssessment.objects.get(placement=placement, kind="midpoint")
    assert record.status == SelfAssessment.Status.SUBMITTED
    assert record.ratings.filter(grade__isnull=False).exclude(narrative="").count() == len(domains)

    review = assessment_services.review_start(
        actor=cast.educator, placement=placement, kind=Review.Kind.MIDPOINT
    )
    domain_url = url(live_server, "assessments:judgement-edit", pk=review.pk, order=1)
    with signed_in(browser, live_server, cast.educator) as page:
        page.goto(domain_url)
        expect(page.get_by_text("The student's self-assessment: Exceeds")).to_be_visible()
        expect(page.get_by_text(mine)).to_be_visible()
        assert_accessible_on_a_phone(page)
        expect(page.get_by_text("A point to discuss")).to_have_count(0)
        page.get_by_label("Emerging").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Saved Domain 1.")).to_be_visible()
        page.get_by_role("link", name="1. Domain 1").click()
        expect(page.get_by_text("A point to discuss")).to_be_visible()
        expect(page.get_by_label("Emerging")).to_be_checked()

    judgement = review.judgements.get(domain__order=1)
    assert judgement.grade.label == "Emerging"
