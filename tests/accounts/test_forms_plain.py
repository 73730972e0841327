"""Every text field says how long it may be and holds to it, a hidden null character is
explained in words a social worker understands, and a refused comment keeps what was typed."""

import datetime
import html
import inspect

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

import assessments.forms
import portfolios.forms.agreements
import portfolios.forms.attendance
import portfolios.forms.evidence
import portfolios.forms.placements
from accounts.forms_plain import (
    FALLBACK_MAX_LENGTH,
    NULL_CHARACTER_MESSAGE,
    PASSWORD_MAX_LENGTH,
    StatedLimitsMixin,
    state_limit,
)
from portfolios.models import Evidence

FORM_MODULES = [
    assessments.forms,
    portfolios.forms.agreements,
    portfolios.forms.attendance,
    portfolios.forms.evidence,
    portfolios.forms.placements,
]


def project_forms() -> list[type[forms.Form]]:
    return [
        cls
        for module in FORM_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_every_form_of_ours_states_its_limits():
    found = project_forms()
    assert len(found) > 15  # the list is really read
    missing = [cls.__name__ for cls in found if not issubclass(cls, StatedLimitsMixin)]
    assert missing == []


@pytest.mark.parametrize("form", project_forms(), ids=lambda cls: cls.__name__)
def test_every_declared_text_field_has_a_limit_of_its_own(form):
    unbounded = [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []


def test_a_field_declared_without_a_limit_gets_one_said_and_enforced():
    field = forms.CharField(widget=forms.Textarea, help_text="What happened.")
    state_limit(field)
    assert field.help_text == f"What happened. Up to {FALLBACK_MAX_LENGTH:,} characters."
    assert field.widget.attrs["maxlength"] == str(FALLBACK_MAX_LENGTH)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("x" * (FALLBACK_MAX_LENGTH + 1))
    assert refused.value.messages == [
        f"Please shorten this to {FALLBACK_MAX_LENGTH:,} characters or fewer (it has 10001)."
    ]


def test_a_field_with_its_own_message_keeps_it():
    field = forms.CharField(max_length=10, error_messages={"max_length": "Too long."})
    state_limit(field)
    state_limit(field)  # stating twice says it once
    assert field.help_text == "Up to 10 characters."
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("x" * 11)
    assert refused.value.messages == ["Too long."]


def test_a_null_character_is_explained_in_plain_words():
    with pytest.raises(forms.ValidationError) as refused:
        forms.CharField().clean("Home\x00visit")
    assert refused.value.messages == [NULL_CHARACTER_MESSAGE]
    assert "hidden character" in NULL_CHARACTER_MESSAGE


# --- On the pages ------------------------------------------------------------------------------


def evidence_data(placement, **changes) -> dict:
    one = placement.framework.domains.get(order=1)
    data = {
        "kind": Evidence.Kind.CRITICAL_REFLECTION,
        "title": "Reflection on a home visit",
        "practice_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "reflection": "I listened more than I spoke.",
        f"map_{one.pk}": "on",
        f"note_{one.pk}": "I kept to my role as a student.",
    }
    return data | changes


def test_the_reflection_says_its_limit_beside_it(client, cast):
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    page = page_text(client.get(url))
    assert "Up to 20,000 characters." in page
    assert 'maxlength="20000"' in page


def test_a_reflection_over_the_limit_is_refused_and_kept(client, cast):
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    long = "I listened. " * 1700  # 20,400 characters
    response = client.post(url, evidence_data(cast.placement, reflection=long))
    assert response.status_code == 200
    errors = response.context["form"].errors["reflection"]
    assert errors == [
        f"Please shorten this to 20,000 characters or fewer (it has {len(long.strip())})."
    ]
    assert long.strip() in page_text(response)
    assert not Evidence.objects.exists()


def test_a_null_character_in_a_title_gets_the_plain_message_beside_it(client, cast):
    client.force_login(cast.student)
    url = reverse("portfolios:evidence-create", kwargs={"pk": cast.placement.pk})
    response = client.post(url, evidence_data(cast.placement, title="Home\x00visit"))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [NULL_CHARACTER_MESSAGE]
    assert "Null characters are not allowed" not in page_text(response)
    assert not Evidence.objects.exists()


# --- The sign-in and password pages state their limits too -------------------------------------


@pytest.mark.parametrize(
    "name",
    ["accounts:login", "accounts:password-reset"],
)
def test_the_public_account_pages_state_the_email_limit(client, db, name):
    page = client.get(reverse(name)).content.decode()
    assert "Up to 254 characters." in page


def test_the_password_boxes_state_a_limit_and_enforce_it(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f"Up to {PASSWORD_MAX_LENGTH} characters." in page
    response = client.post(
        reverse("accounts:login"),
        {"username": "someone@example.org", "password": "x" * (PASSWORD_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200
    assert "Please shorten this to 128 characters or fewer" in response.content.decode()


def test_the_password_change_page_states_each_boxs_limit(client, db):
    from tests import factories

    client.force_login(factories.StudentFactory())
    page = client.get(reverse("accounts:password-change")).content.decode()
    assert page.count(f"Up to {PASSWORD_MAX_LENGTH} characters.") == 3
