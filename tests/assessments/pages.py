"""Small helpers shared by the view tests."""

import html as html_lib
import re

from django.urls import reverse

PEOPLE = ["educator", "supervisor", "tutor", "coordinator", "panel"]
STRANGERS = ["other_student", "other_educator", "other_tutor", "other_coordinator"]


def url(name: str, review, **kwargs) -> str:
    return reverse(f"assessments:{name}", kwargs={"pk": review.pk, **kwargs})


def messages_on(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def goes_to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def text_of(response) -> str:
    """The page as a reader sees it: no tags, no scripts, single spaces."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html_lib.unescape(html))
