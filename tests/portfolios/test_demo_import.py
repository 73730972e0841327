"""The demo: one invitation waits for the coordinator to chase, and the demo cohort CSV
imports cleanly, inviting its new external educator."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from accounts.models import Invitation, User
from portfolios.models import Placement

pytestmark = pytest.mark.django_db

DEMO_CSV = Path(django_settings.BASE_DIR) / "fixtures" / "demo_cohort.csv"


def test_the_demo_cohort_imports_once_and_the_coordinator_has_an_invitation_to_chase(
    settings, client, django_capture_on_commit_callbacks, mailoutbox
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    pending = Invitation.objects.get(accepted_at__isnull=True)
    assert pending.user.email == "dev.kapoor@agency.example.org"
    before = Placement.objects.count()
    args = ["import_placements", str(DEMO_CSV), "--university", "Northbridge"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command(*args, "--as", "coordinator@example.org", stdout=io.StringIO())
    assert Placement.objects.count() == before + 3
    assert "jo.whitaker@independent-pe.example.org" in {m.to[0] for m in mailoutbox}
    call_command(*args, stdout=io.StringIO())
    assert Placement.objects.count() == before + 3
    client.force_login(User.objects.get(email="coordinator@example.org"))
    page = client.get("/invitations/").content.decode()
    assert "dev.kapoor@agency.example.org" in page and "jo.whitaker@" in page
