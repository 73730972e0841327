import pytest
from django.urls import reverse

from tests import factories

URL = reverse("accounts:professional-details")


@pytest.mark.django_db
def test_an_educator_records_their_stage_and_number_and_the_report_prints_them(client):
    educator = factories.EducatorFactory()
    client.force_login(educator)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Social Work England registration number" in page.content.decode()

    response = client.post(URL, {"educator_stage": "stage_2", "registration_number": "sw 123 456"})

    assert response.status_code == 302
    educator.refresh_from_db()
    assert educator.registration_number == "SW123456"
    assert educator.educator_credentials == (
        "PEPS stage 2 · Social Work England registration SW123456"
    )


@pytest.mark.django_db
def test_a_number_that_is_not_a_registration_number_is_refused_beside_its_field(client):
    educator = factories.EducatorFactory(registration_number="SW1")
    client.force_login(educator)

    response = client.post(URL, {"educator_stage": "", "registration_number": "12345"})

    assert response.status_code == 200
    assert "SW followed by its digits" in response.content.decode()
    assert "registration_number" in response.context["form"].errors
    educator.refresh_from_db()
    assert educator.registration_number == "SW1"


@pytest.mark.django_db
def test_clearing_the_details_is_allowed(client):
    educator = factories.EducatorFactory(educator_stage="stage_1", registration_number="SW9")
    client.force_login(educator)

    client.post(URL, {"educator_stage": "", "registration_number": ""})

    educator.refresh_from_db()
    assert (educator.educator_stage, educator.registration_number) == ("", "")


@pytest.mark.django_db
def test_a_student_has_no_professional_details_page(client):
    student = factories.StudentFactory()
    client.force_login(student)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"registration_number": "SW1"}).status_code == 403
    student.refresh_from_db()
    assert student.registration_number == ""
    assert URL not in client.get(reverse("portfolios:dashboard-student")).content.decode()


@pytest.mark.django_db
def test_signing_in_comes_first(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
