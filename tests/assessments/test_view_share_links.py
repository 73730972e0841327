"""The student's hand-on to a first employer: the development summary PDF from a ratified final
review, and time-limited share links they can revoke."""

import datetime
import hashlib
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Review, ShareLink, SignedReport
from tests.assessments import builders
from tests.assessments.test_report_data import draft_final, pdf_pages, signed_final

NEED = "Lead a child protection strategy discussion with a senior colleague present."


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def ratified(cast) -> Review:
    final = draft_final(cast).final
    services.learning_need_add(
        actor=cast.educator, review=final, area="Child protection", development=NEED
    )
    final = services.review_sign(actor=cast.educator, review=final)
    final = services.review_acknowledge(actor=cast.student, review=final)
    final = services.review_countersign(actor=cast.tutor, review=final, confirmed=True)
    return services.review_ratify(
        actor=cast.panel, review=final, meeting=builders.meeting(cast.placement, cast.panel)
    )


def summary_url(review) -> str:
    return reverse("assessments:development-summary", kwargs={"pk": review.pk})


def links_url(review) -> str:
    return reverse("assessments:share-links", kwargs={"pk": review.pk})


def make_link(client, review, days=30, label="County council interview") -> str:
    response = client.post(links_url(review), {"days": days, "label": label})
    assert response.status_code == 200
    return re.search(r'value="(http://testserver/share/[^"]+/)"', page(response)).group(1)


# --- The development summary -------------------------------------------------------------------


def test_the_student_downloads_a_development_summary_with_the_verification_code(
    client, cast, ratified
):
    client.force_login(cast.student)

    response = client.get(summary_url(ratified))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="development-summary-')
    text = " ".join(pdf_pages(response.content))
    code = ratified.reports.get(event=SignedReport.Event.RATIFIED).verification_code
    assert "Development summary" in text
    assert "Builds trust quickly with people who are wary of services." in text
    assert "Adult social care Well suited" in text
    assert "Learning needs for the first year in practice" in text
    assert NEED in text
    assert f"Verification code {code}" in text
    assert "Pass" in text
    # An employer's summary, not the report: no narratives, no concerns.
    assert "Case recording has fallen two weeks behind." not in text


def test_the_review_page_offers_the_student_the_summary_once_ratified(client, cast, ratified):
    client.force_login(cast.student)

    shown = page(client.get(ratified.get_absolute_url()))

    assert "Download the development summary (PDF)" in shown
    assert links_url(ratified) in shown


def test_before_ratification_the_student_is_told_it_is_not_ready(client, cast):
    story = signed_final(cast, until=Review.Status.COUNTERSIGNED)
    client.force_login(cast.student)

    response = client.get(summary_url(story.final), follow=True)

    assert "ready once the panel ratifies it" in page(response)
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("who", ["educator", "tutor", "panel"])
def test_the_summary_is_the_students_alone(client, cast, ratified, who):
    client.force_login(getattr(cast, who))

    assert client.get(summary_url(ratified)).status_code == 403
    assert client.get(links_url(ratified)).status_code == 403


def test_a_stranger_gets_404_for_the_summary_and_links(client, cast, ratified):
    client.force_login(cast.other_student)

    assert client.get(summary_url(ratified)).status_code == 404
    assert client.get(links_url(ratified)).status_code == 404


# --- Share links -------------------------------------------------------------------------------


def test_a_share_link_opens_the_summary_without_an_account(client, cast, ratified):
    client.force_login(cast.student)
    url = make_link(client, ratified, days=7)
    client.logout()

    shown = client.get(url)

    assert shown.status_code == 200
    assert "Download the development summary (PDF)" in page(shown)
    pdf = client.get(f"{url}summary.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert NEED in " ".join(pdf_pages(pdf.content))
    link = ShareLink.objects.get()
    assert link.times_opened == 1
    assert link.label == "County council interview"
    assert (
        datetime.timedelta(days=6, hours=23)
        < link.expires_at - timezone.now()
        <= datetime.timedelta(days=7)
    )


def test_only_the_hash_of_the_token_is_stored_and_the_link_is_shown_once(client, cast, ratified):
    client.force_login(cast.student)
    url = make_link(client, ratified)
    token = url.rstrip("/").rsplit("/", 1)[1]

    listing = page(client.get(links_url(ratified)))

    assert ShareLink.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in listing
    assert "Open until" in listing
    assert "County council interview" in listing


def test_after_revocation_the_link_explains_itself(client, cast, ratified):
    client.force_login(cast.student)
    url = make_link(client, ratified)
    link = ShareLink.objects.get()

    client.post(reverse("assessments:share-link-revoke", kwargs={"pk": link.pk}))
    client.logout()

    response = client.get(url)
    assert response.status_code == 410
    assert "The student has withdrawn this link" in page(response)
    pdf = client.get(f"{url}summary.pdf")
    assert pdf.status_code == 302 and pdf["Location"] == url.replace("http://testserver", "")
    client.force_login(cast.student)
    assert "Revoked" in page(client.get(links_url(ratified)))


def test_after_expiry_the_link_explains_itself(client, cast, ratified):
    client.force_login(cast.student)
    url = make_link(client, ratified)
    ShareLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()

    response = client.get(url)

    assert response.status_code == 410
    assert "This link expired on" in page(response)
    assert client.get(f"{url}summary.pdf").status_code == 302


def test_a_made_up_link_says_it_does_not_work(db, client):
    response = client.get(reverse("shared-summary", kwargs={"token": "not-a-real-token"}))

    assert response.status_code == 404
    assert "This link does not work" in page(response)


def test_a_link_is_open_only_for_a_period_on_offer(client, cast, ratified):
    client.force_login(cast.student)

    response = client.post(links_url(ratified), {"days": 3650, "label": ""})

    assert response.status_code == 200
    assert not ShareLink.objects.exists()


def test_another_person_cannot_revoke_the_students_link(client, cast, ratified):
    client.force_login(cast.student)
    make_link(client, ratified)
    link = ShareLink.objects.get()

    for who in ("tutor", "other_student"):
        client.force_login(getattr(cast, who))
        client.post(reverse("assessments:share-link-revoke", kwargs={"pk": link.pk}))

    link.refresh_from_db()
    assert link.revoked_at is None
