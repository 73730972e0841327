"""A real browser signs in as each role and lands on its dashboard; pages pass axe-core."""

import pytest

from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = factories.DEMO_PASSWORD


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


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("student", "My placements"),
        ("educator", "My students"),
        ("supervisor", "Your students on placement"),
        ("tutor", "Cohort"),
        ("coordinator", "Cohort"),
        ("panel", "Cohort"),
    ],
)
def test_each_role_lands_on_its_dashboard(page, live_server, world, who, heading):
    sign_in(page, live_server, getattr(world, who).email)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert world.student.display_name in page.content()
    assert_accessible(page)


def test_a_wrong_password_is_explained_and_the_email_kept(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(world.student.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("do not match an account").is_visible()
    assert page.get_by_label("Email address").input_value() == world.student.email
    assert_accessible(page)


def test_a_coordinator_sees_date_errors_beside_the_field(page, live_server, world):
    sign_in(page, live_server, world.coordinator.email)
    page.get_by_role("link", name="New placement").first.click()
    page.get_by_label("Setting").fill("Riverside Adults' Team")
    page.get_by_label("Start date").fill("2026-03-01")
    page.get_by_label("End date").fill("2026-02-01")
    page.get_by_role("button", name="Create placement").click()
    error = page.locator("[id^=error_][id$=_id_end_date]")
    assert "on or after the start date" in error.first.inner_text()
    assert page.get_by_label("Setting").input_value() == "Riverside Adults' Team"
    assert_accessible(page)


def test_the_placement_page_is_accessible(page, live_server, world):
    sign_in(page, live_server, world.educator.email)
    page.get_by_role("link", name=world.student.display_name, exact=True).click()
    assert page.get_by_role("heading", name="People").is_visible()
    assert_accessible(page)
