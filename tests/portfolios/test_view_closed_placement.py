"""A closed placement (final review signed, or ended early) takes nothing new: its pages offer
no way to add, and a post from a page left open in another tab is refused with a sentence,
never a 500."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.models import Evidence, FeedbackRequest, PendingUpload, Placement
from portfolios.services.evidence import MappingInput

CLOSED = [Placement.Status.FINAL_REVIEW_SIGNED, Placement.Status.TERMINATED]


def close(placement, status) -> None:
    Placement.objects.filter(pk=placement.pk).update(status=status)
    placement.refresh_from_db()


def evidence_data(placement) -> dict:
    one = placement.framework.domains.get(order=1)
    return {
        "kind": Evidence.Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "reflection": "I listened more than I spoke.",
        f"map_{one.pk}": "on",
        f"note_{one.pk}": "I kept to my role as a student.",
        "files": SimpleUploadedFile("notes.txt", b"My notes.\n"),
    }


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("status", CLOSED)
def test_adding_evidence_to_a_closed_placement_is_refused_with_a_sentence(client, cast, status):
    close(cast.placement, status)
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    response = client.post(url, evidence_data(cast.placement), follow=True)
    assert response.status_code == 200
    assert "so its portfolio takes no new evidence" in messages_of(response)
    assert not Evidence.objects.exists()
    assert not PendingUpload.objects.exists()


def test_changing_a_draft_on_a_closed_placement_is_refused_with_a_sentence(client, cast):
    one = cast.placement.framework.domains.get(order=1)
    evidence = services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title="Before the end",
        practice_date=timezone.localdate(),
        reflection="Kept.",
        mappings=[MappingInput(one, "Why.")],
    )
    close(cast.placement, Placement.Status.TERMINATED)
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-update", kwargs={"pk": evidence.pk})
    data = {**evidence_data(cast.placement), "title": "Changed"}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "terminated, so its portfolio takes no new evidence" in messages_of(response)
    evidence.refresh_from_db()
    assert evidence.title == "Before the end"
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize("status", CLOSED)
def test_the_educator_cannot_record_a_supervision_on_a_closed_placement(client, cast, status):
    close(cast.placement, status)
    client.force_login(cast.educator)
    url = reverse("portfolios:supervision-create", kwargs={"pk": cast.placement.pk})
    response = client.post(
        url,
        {"practice_date": timezone.localdate().isoformat(), "attendees": "Us", "notes": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "takes no new evidence" in messages_of(response)
    assert not Evidence.objects.exists()


def test_no_feedback_link_is_made_on_a_closed_placement(client, cast):
    close(cast.placement, Placement.Status.TERMINATED)
    client.force_login(cast.student)
    url = reverse("portfolios:feedback-requests", kwargs={"pk": cast.placement.pk})
    response = client.post(url, {"work_description": "our meeting"}, follow=True)
    assert response.status_code == 200
    assert "takes no new evidence" in messages_of(response)
    assert not FeedbackRequest.objects.exists()
    page = html.unescape(response.content.decode())
    assert ">Make a link</button>" not in page
    assert "no new feedback links can be made" in page


@pytest.mark.parametrize("who", ["student", "educator"])
def test_a_closed_placements_evidence_page_offers_nothing_to_add(client, cast, who):
    url = reverse("portfolios:evidence-list", kwargs={"pk": cast.placement.pk})
    client.force_login(getattr(cast, who))
    before = client.get(url).content.decode()
    close(cast.placement, Placement.Status.FINAL_REVIEW_SIGNED)
    after = client.get(url).content.decode()
    offered = ["Add evidence", "Record a supervision", "Ask for feedback"]
    assert any(label in before for label in offered)
    for label in offered:
        assert label not in after
