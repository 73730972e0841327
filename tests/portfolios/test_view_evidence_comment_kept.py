"""A refused comment on evidence (too long, or with a hidden null character) is shown again
with what was typed and the reason beside it, rather than lost behind a redirect."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_plain import NULL_CHARACTER_MESSAGE
from portfolios import services
from portfolios.models import Evidence, EvidenceComment
from portfolios.services.evidence import MappingInput


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def submitted(cast) -> Evidence:
    evidence = services.evidence_create(
        actor=cast.student,
        placement=cast.placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title="Reflection",
        practice_date=timezone.localdate(),
        reflection="I listened.",
        mappings=[MappingInput(cast.placement.framework.domains.get(order=1), "Why.")],
    )
    return services.evidence_submit(actor=cast.student, evidence=evidence)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Good listening. " * 320, "Please shorten this to 5,000 characters or fewer"),
        ("Good\x00listening.", NULL_CHARACTER_MESSAGE),
    ],
    ids=["too long", "a null character"],
)
def test_a_refused_evidence_comment_keeps_what_was_typed(client, cast, submitted, typed, message):
    client.force_login(cast.educator)
    url = reverse("portfolios:evidence-comment", kwargs={"pk": submitted.pk})
    response = client.post(url, {"text": typed})
    assert response.status_code == 200
    page = page_text(response)
    assert message in page
    assert typed.replace("\x00", "").strip()[:200] in page.replace("\x00", "").replace("\ufffd", "")
    assert not EvidenceComment.objects.exists()
