"""The cohort import journey in a browser: a coordinator uploads a CSV, reads the preview,
imports it; the new agency educator opens the emailed link, chooses a password and sees
their student. axe-core checks each page at laptop and phone widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_placement_journeys import DESKTOP, STEP, signed_in
from tests.portfolios.cohort_csv import ImportWorld, csv_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_imports_a_cohort_and_the_invited_educator_sets_a_password(
    browser, live_server, mailoutbox, tmp_path
):
    world = ImportWorld()
    world.coordinator.set_password("practice-demo")
    world.coordinator.save()
    path = tmp_path / "cohort.csv"
    path.write_bytes(
        csv_bytes(
            [
                world.row(1, student_name="Kwame Boateng"),
                world.row(
                    2,
                    educator_email="jo@independent.example.org",
                    educator_name="Jo Whitaker",
                    student_name="Sofia Romano",
                ),
            ]
        )
    )
    with signed_in(browser, live_server, world.coordinator) as page:
        page.get_by_role("link", name="Import a cohort (CSV)").click()
        assert_accessible(page, fits_phone=True)
        page.get_by_label("CSV file").set_input_files(str(path))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="Placements to create")).to_be_visible()
        expect(page.get_by_text("jo@independent.example.org")).to_be_visible()
        assert_accessible(page, fits_phone=True)
        page.get_by_role("button", name="Import 2 placements").click()
        expect(page.get_by_text("Imported 2 placements; 3 invitations sent.")).to_be_visible()
        page.get_by_role("link", name="Invitations").first.click()
        resend = page.get_by_role("button", name="Send a new link to jo@independent.example.org")
        expect(resend).to_be_visible()
        assert_accessible(page, fits_phone=True)

    [mail] = [m for m in mailoutbox if m.to == ["jo@independent.example.org"]]
    link = re.search(r"http\S+/accounts/invitation/\S+/", mail.body).group(0)
    path_only = link.split("/accounts/", 1)[1]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(STEP)
    try:
        page.goto(f"{live_server.url}/accounts/{path_only}")
        assert_accessible(page, fits_phone=True)
        page.locator("#id_new_password1").fill("a walk along the canal at dusk")
        page.locator("#id_new_password2").fill("a walk along the canal at dusk")
        page.get_by_role("button", name="Set password and continue").click()
        expect(page.get_by_role("heading", name="My students")).to_be_visible()
        expect(page.get_by_role("link", name="Sofia Romano")).to_be_visible()
        page.goto(f"{live_server.url}/accounts/{path_only}")
        expect(page.get_by_text("This invitation has already been used")).to_be_visible()
        assert_accessible(page, fits_phone=True)
    finally:
        context.close()
