"""A real browser adds evidence with a file, confirms a finding beside the field as it saves,
submits it through the confidentiality check, sees the form follow the chosen kind and the
ticked domains, does it all again from the keyboard alone (the evidence form and a domain
page), and gives feedback through a link on a phone. Every page is checked by axe at 1280 and
375 pixels and must not scroll sideways (tests/e2e/conftest.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portfolios import services
from portfolios.models import Evidence, ServiceUserFeedback
from portfolios.services.evidence import MappingInput
from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = factories.DEMO_PASSWORD
DETAIL_URL = re.compile(r"/evidence/[0-9a-f-]{36}/$")
# Playwright waits this long (ms) for each step: long enough for a busy machine, short
# enough that a hung upload fails rather than stalling the run.
STEP = 30_000


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def world(db):
    from tests.conftest import Cast

    return Cast()


def open_evidence_list(page, live_server, world):
    sign_in(page, live_server, world.student.email)
    assert_accessible(page)
    page.get_by_role("link", name=world.placement.setting_name, exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Evidence")).to_be_visible()


def test_a_student_adds_evidence_with_a_file_and_submits_it(page, live_server, world):
    page.set_default_timeout(STEP)
    open_evidence_list(page, live_server, world)

    page.get_by_role("link", name="Names to keep out").click()
    page.get_by_label("Names to keep out").fill("Jayden")
    page.get_by_role("button", name="Save the list").click()
    expect(page.get_by_text("The list of names to keep out is saved.")).to_be_visible()

    page.get_by_role("link", name="Add evidence").click()
    expect(page.get_by_label("Kind")).to_have_value("")  # nothing chosen for the student
    page.get_by_label("Kind").select_option(label="Critical reflection or process recording")
    page.get_by_label("Title").fill("Process recording: first home visit")
    page.get_by_label("Date of the practice").fill(
        world.placement.start_date.isoformat()  # a past date, inside the placement
    )
    page.get_by_label("Reflection", exact=True).fill(
        "I met Jayden at home and let him set the pace of the conversation."
    )
    first, second, third = world.placement.framework.domains.order_by("order")[:3]
    # Only a ticked domain shows its "why" box, labelled with that domain.
    expect(page.get_by_label(f"Why this shows {first.name}")).to_be_hidden()
    for domain, note in [(first, "I kept to my role."), (second, "I worked to his pace.")]:
        page.get_by_label(f"{domain.order}. {domain.name}", exact=True).check()
        page.get_by_label(f"Why this shows {domain.name}").fill(note)
    expect(page.get_by_label(f"Why this shows {third.name}")).to_be_hidden()
    page.locator("input[type=file][name=files]").set_input_files(
        files=[
            {
                "name": "visit-notes.txt",
                "mimeType": "text/plain",
                "buffer": b"Notes from the visit: we agreed the support plan together.\n",
            }
        ]
    )
    assert_accessible(page)

    # upload-progress.js sends the form by XHR and shows the page it answers with. The name on
    # the list is found as the draft is saved, and shown beside the reflection.
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        page.get_by_role("button", name="Save draft").click()
    finding = page.locator(".findings")
    expect(finding).to_contain_text("Name on your 'keep out' list")
    expect(finding.locator("mark")).to_have_text("Jayden")
    expect(finding).to_contain_text("I met Jayden at home and let him")
    expect(page.get_by_label("Reflection", exact=True)).to_have_value(
        "I met Jayden at home and let him set the pace of the conversation."
    )
    assert not Evidence.objects.exists()
    assert_accessible(page)

    page.get_by_label("“Jayden” does not identify anyone").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_role("link", name="visit-notes.txt")).to_be_visible()
    evidence = Evidence.objects.get()
    assert evidence.status == Evidence.Status.DRAFT
    assert list(evidence.files.values_list("original_name", flat=True)) == ["visit-notes.txt"]
    assert evidence.mappings.count() == 2

    assert_accessible(page)

    page.get_by_role("link", name="Check and submit").click()
    expect(page.get_by_text("Nothing that looks identifying was found.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit to my educator").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.locator(".badge", has_text="Submitted")).to_be_visible()
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED

    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.get_by_role("link", name="Process recording: first home visit")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Coverage", exact=True).click()
    assert_accessible(page)

    # The educator: one button to accept, and the revision's own box behind a disclosure.
    page.context.clear_cookies()
    sign_in(page, live_server, world.educator.email)
    assert_accessible(page)
    page.goto(live_server.url + evidence.get_absolute_url())
    expect(page.get_by_role("button", name="Accept this evidence")).to_be_visible()
    expect(page.get_by_label("What should the student change before resubmitting?")).to_be_hidden()
    page.get_by_text("Ask for a revision instead").click()
    page.get_by_role("button", name="Ask for a revision", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Please say what the student")).to_be_visible()
    assert_accessible(page)


def test_the_submit_page_with_a_finding_on_it_is_accessible(page, live_server, world):
    page.set_default_timeout(STEP)
    evidence = services.evidence_create(
        actor=world.student,
        placement=world.placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title="Process recording",
        practice_date=world.placement.start_date,
        reflection="I met Jayden at home.",
        mappings=[MappingInput(world.placement.framework.domains.first(), "My role.")],
    )
    # The name goes on the list after the draft was saved, so the submit page finds it.
    services.placement_confidential_names_set(
        actor=world.student, placement=world.placement, names=["Jayden"]
    )
    sign_in(page, live_server, world.student.email)
    page.goto(live_server.url + reverse("portfolios:evidence-submit", kwargs={"pk": evidence.pk}))
    expect(page.locator("mark")).to_have_text("Jayden")
    assert_accessible(page)


def test_choosing_supervision_shows_only_the_supervision_questions(page, live_server, world):
    page.set_default_timeout(STEP)
    sign_in(page, live_server, world.student.email)
    page.goto(live_server.url + reverse("portfolios:evidence-list", args=[world.placement.pk]))
    page.get_by_role("link", name="Add evidence").click()
    observation = page.locator("fieldset.kind-details[data-kind=direct_observation]")
    supervision = page.locator("fieldset.kind-details[data-kind=supervision]")

    page.get_by_label("Kind").select_option(label="Direct observation")
    expect(observation).to_be_visible()
    expect(supervision).to_be_hidden()

    page.get_by_label("Kind").select_option(label="Supervision record")
    expect(supervision).to_be_visible()
    expect(page.get_by_label("Who was there")).to_be_visible()
    expect(observation).to_be_hidden()
    expect(page.get_by_label("Planning discussion")).to_be_hidden()


def test_a_service_user_gives_feedback_on_a_phone(page, live_server, world):
    page.set_default_timeout(STEP)
    _, token = services.feedback_request_create(
        actor=world.student, placement=world.placement, work_description="our meeting on Tuesday"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/feedback/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you think")
    expect(page.get_by_text("our meeting on Tuesday")).to_be_visible()
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    page.get_by_label("I am a carer or family member").check()
    page.get_by_role("group", name="Did the student listen to you?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did the student treat you with respect?").get_by_label(
        "Mostly"
    ).check()
    page.get_by_label("What did the student do well?").fill("She explained everything slowly.")
    page.get_by_role("button", name="Send my feedback").click()

    consent = page.get_by_label("I am happy for my feedback to be shared")
    expect(page.get_by_text("Please tick this box if you are happy to share.")).to_be_visible()
    expect(consent).to_have_attribute("aria-describedby", "consent-error")
    expect(page.get_by_label("What did the student do well?")).to_have_value(
        "She explained everything slowly."
    )
    assert not Evidence.objects.exists()
    assert_accessible(page)

    consent.check()
    # A phone number is shown beside its box, to change or to confirm.
    page.get_by_label("What could the student do better?").fill("Ring me first: 07700 900123.")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_text("This may identify someone (phone number).")).to_be_visible()
    assert not Evidence.objects.exists()
    assert_accessible(page)
    page.get_by_label("“07700 900123” does not identify anyone").check()
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    words = ServiceUserFeedback.objects.get()
    assert (words.relationship, words.listened, words.respected) == ("carer", "yes", "mostly")
    assert words.evidence.placement == world.placement


def day_equal_to_month(before: datetime.date) -> datetime.date:
    """The latest date before `before` whose day and month are the same number (11 November),
    so typing it into a date box reads the same in British and American order."""
    day = before - datetime.timedelta(days=1)
    while day.day != day.month:
        day -= datetime.timedelta(days=1)
    return day


def tab_to(page, locator, *, presses: int = 80) -> None:
    """Press Tab (only) until `locator` has the focus; fail if it never does."""
    for _ in range(presses):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def test_the_evidence_form_and_a_domain_page_work_from_the_keyboard_alone(
    browser, live_server, world
):
    from assessments import services as assessment_services

    placement = world.placement
    first = placement.framework.domains.get(order=1)
    practice_date = day_equal_to_month(datetime.date.today())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(STEP)
    try:
        sign_in(page, live_server, world.student.email)
        page.goto(live_server.url + reverse("portfolios:evidence-create", args=[placement.pk]))
        kind = page.get_by_label("Kind")
        tab_to(page, kind)
        # A closed select moves through its options with the arrow keys.
        while kind.input_value() != Evidence.Kind.CRITICAL_REFLECTION:
            page.keyboard.press("ArrowDown")
        tab_to(page, page.get_by_label("Date of the practice"))
        page.keyboard.type(practice_date.strftime("%d%m%Y"))
        tab_to(page, page.get_by_label("Title"))
        page.keyboard.type("Keyboard only: a reflection")
        tab_to(page, page.get_by_label("Reflection", exact=True))
        page.keyboard.type("I wrote this without a mouse.")
        tick = page.get_by_label(f"1. {first.name}", exact=True)
        tab_to(page, tick)
        page.keyboard.press("Space")
        note = page.get_by_label(f"Why this shows {first.name}")
        expect(note).to_be_visible()
        page.keyboard.press("Tab")
        expect(note).to_be_focused()
        page.keyboard.type("It shows how I keep to my role.")
        tab_to(page, page.get_by_role("button", name="Save draft"))
        page.keyboard.press("Enter")
        page.wait_for_url(DETAIL_URL)
        evidence = Evidence.objects.get(title="Keyboard only: a reflection")
        assert evidence.practice_date == practice_date
        assert list(evidence.mappings.values_list("domain", "note")) == [
            (first.pk, "It shows how I keep to my role.")
        ]
        services.evidence_submit(actor=world.student, evidence=evidence)

        review = assessment_services.review_start(
            actor=world.educator, placement=placement, kind="midpoint"
        )
        page.context.clear_cookies()
        sign_in(page, live_server, world.educator.email)
        page.goto(
            live_server.url
            + reverse("assessments:judgement-edit", kwargs={"pk": review.pk, "order": 1})
        )
        assert_accessible(page)
        radio = page.get_by_label("Meets the level")
        tab_to(page, page.locator("input[name=grade]").first)
        # Arrow keys move through a radio group and choose as they go.
        while not radio.is_checked():
            page.keyboard.press("ArrowDown")
        tab_to(page, page.get_by_label("Narrative"))
        page.keyboard.type("Graded from the keyboard: the reflection shows it.")
        cite = page.get_by_label(re.compile("^Keyboard only: a reflection"))
        tab_to(page, cite)
        page.keyboard.press("Space")
        preview = page.get_by_text("Read “Keyboard only: a reflection” here")
        tab_to(page, preview)
        page.keyboard.press("Enter")
        expect(page.get_by_text("I wrote this without a mouse.")).to_be_visible()
        tab_to(page, page.get_by_role("button", name="Save", exact=True))
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Saved {first.name}.")).to_be_visible()
    finally:
        context.close()

    judgement = review.judgements.get(domain=first)
    assert judgement.grade.label == "Meets the level"
    assert judgement.narrative == "Graded from the keyboard: the reflection shows it."
    assert list(judgement.citations.values_list("evidence", flat=True)) == [evidence.pk]
