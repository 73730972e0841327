"""Open concerns show on the dashboards of the people who follow the placement."""

import datetime

import pytest
from django.urls import reverse

from assessments import services as review_services


@pytest.fixture
def concern(cast):
    domain = cast.placement.framework.domains.first()
    return review_services.concern_raise(
        actor=cast.educator,
        placement=cast.placement,
        description="Recording is late.",
        review_date=datetime.date.today() + datetime.timedelta(days=10),
        targets={domain: "Records within 48 hours."},
    )


@pytest.mark.parametrize(
    ("who", "dashboard"),
    [
        ("student", "dashboard-student"),
        ("educator", "dashboard-educator"),
        ("tutor", "dashboard-cohort"),
        ("coordinator", "dashboard-cohort"),
    ],
)
def test_an_open_concern_shows_on_the_dashboard(client, cast, concern, who, dashboard):
    client.force_login(getattr(cast, who))
    page = client.get(reverse(f"portfolios:{dashboard}")).content.decode()
    assert "1 open concern" in page


def test_a_resolved_concern_no_longer_shows(client, cast, concern):
    review_services.concern_record_outcome(
        actor=cast.tutor, concern=concern, outcome="resolved", note="All up to date."
    )
    client.force_login(cast.educator)
    page = client.get(reverse("portfolios:dashboard-educator")).content.decode()
    assert "open concern" not in page
