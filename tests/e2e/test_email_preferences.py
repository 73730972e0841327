"""A person finds their email preference in the account menu and chooses a daily summary."""

import pytest

from notifications.models import MailPreference
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_login_and_dashboards import sign_in, world  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_chooses_one_summary_a_day(page, live_server, world):  # noqa: F811
    sign_in(page, live_server, world.supervisor.email)
    page.get_by_role("button", name=world.supervisor.display_name).click()
    page.get_by_role("link", name="Email preferences").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Email preferences"
    assert page.get_by_label("Each email as it happens").is_checked()
    page.get_by_label("One summary email a day").check()
    page.get_by_role("button", name="Save preference").click()
    assert page.get_by_text("Your email preference is saved.").is_visible()
    assert page.get_by_label("One summary email a day").is_checked()
    assert MailPreference.objects.get(user=world.supervisor).frequency == "daily"
    assert_accessible(page)
