"""The confidentiality check on what the educator writes (supervision records, observation
feedback) and on the public service user feedback form: a finding is shown beside its field,
what was typed is kept, and the save goes through once it is changed or confirmed."""

import re

import pytest

from portfolios import services
from portfolios.models import (
    ConfidentialityConfirmation,
    ConfidentialName,
    Evidence,
    ObservationFeedback,
    SupervisionRecord,
)
from portfolios.services.evidence import IdentifiersFound
from tests.portfolios.test_structured_evidence import (
    ANSWERS,
    a_day_ago,
    domains,
    give_url,
    make_link,
    make_observation,
    url,
)

NOTES = "Talked through the visit to Mrs Adebayo and her son."
PHONE = "Call me on 07700 900123 if you like."


@pytest.fixture
def listed(cast):
    ConfidentialName.objects.create(placement=cast.placement, name="Funmi Adebayo")
    return cast


def fingerprints(html: str) -> list[str]:
    return re.findall(r'name="confirm" value="([0-9a-f]{64})"', html)


# --- Supervision records the educator writes --------------------------------------------------


def supervision_data(**fields) -> dict:
    data = {"practice_date": a_day_ago().isoformat(), "attendees": "The student and me"}
    return data | {"notes": NOTES} | fields


def test_the_service_refuses_an_educators_supervision_naming_a_listed_person(listed):
    with pytest.raises(IdentifiersFound) as found:
        services.supervision_record_create(
            actor=listed.educator,
            placement=listed.placement,
            practice_date=a_day_ago(),
            attendees="The student and me",
            notes=NOTES,
        )

    assert list(found.value.findings) == ["notes"]
    assert not Evidence.objects.exists()


def test_the_supervision_page_shows_the_finding_beside_the_notes_and_keeps_the_text(client, listed):
    client.force_login(listed.educator)
    response = client.post(url("supervision-create", listed.placement), supervision_data())

    html = response.content.decode()
    assert response.status_code == 200
    assert "This may identify someone" in html
    assert "<mark>Mrs Adebayo</mark>" in html
    assert NOTES in html
    assert not SupervisionRecord.objects.exists()

    confirmed = client.post(
        url("supervision-create", listed.placement),
        supervision_data() | {"confirm": fingerprints(html)},
    )

    assert confirmed.status_code == 302
    assert SupervisionRecord.objects.get().notes == NOTES
    assert ConfidentialityConfirmation.objects.get().confirmed_by == listed.educator


def test_a_supervision_without_identifiers_saves_at_once(client, listed):
    client.force_login(listed.educator)
    response = client.post(
        url("supervision-create", listed.placement), supervision_data(notes="Workload.")
    )

    assert response.status_code == 302
    assert SupervisionRecord.objects.get().notes == "Workload."


# --- Observation feedback ---------------------------------------------------------------------


def test_observation_feedback_naming_a_listed_person_is_shown_beside_its_box(client, listed):
    evidence = make_observation(listed, mapped=(0,))
    domain = domains(listed)[0]
    client.force_login(listed.educator)
    text = "You gave Funmi time to answer."
    response = client.post(url("observation-feedback", evidence), {f"fb_{domain.pk}": text})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Funmi</mark>" in html
    assert "This may identify someone" in html
    assert text in html
    assert not ObservationFeedback.objects.exists()

    response = client.post(
        url("observation-feedback", evidence),
        {f"fb_{domain.pk}": text, "confirm": fingerprints(html)},
    )
    assert response.status_code == 302
    assert ObservationFeedback.objects.get().text == text


def test_the_service_keys_observation_feedback_findings_by_domain_box(listed):
    evidence = make_observation(listed, mapped=(0,))
    domain = domains(listed)[0]
    with pytest.raises(IdentifiersFound) as found:
        services.observation_feedback_save(
            actor=listed.educator, evidence=evidence, feedback={domain: "Lives at SW1A 1AA."}
        )
    assert list(found.value.findings) == [f"fb_{domain.pk}"]


# --- The public feedback form -----------------------------------------------------------------


def test_the_public_form_shows_a_phone_number_beside_its_box_and_keeps_the_answers(client, listed):
    token = make_link(listed)
    response = client.post(give_url(token), ANSWERS | {"went_well": PHONE})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>07700 900123</mark>" in html
    assert PHONE in html
    assert not Evidence.objects.exists()

    response = client.post(
        give_url(token), ANSWERS | {"went_well": PHONE, "confirm": fingerprints(html)}
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert Evidence.objects.get().service_user_feedback.went_well == PHONE


def test_the_public_form_never_hints_at_the_names_to_keep_out(client, listed):
    token = make_link(listed)
    response = client.post(
        give_url(token), ANSWERS | {"could_improve": "Funmi Adebayo felt rushed."}
    )

    assert "Thank you" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_the_public_form_does_not_check_the_name_they_choose_to_give(client, listed):
    token = make_link(listed)
    response = client.post(give_url(token), ANSWERS | {"given_name": "pat@example.org"})

    assert "Thank you" in response.content.decode()


def test_a_refused_public_form_leaves_the_link_usable(client, listed):
    token = make_link(listed)
    client.post(give_url(token), ANSWERS | {"went_well": PHONE})

    response = client.post(give_url(token), ANSWERS)
    assert "Thank you" in response.content.decode()
