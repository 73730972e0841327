"""Each person chooses, for themselves, immediate emails or one summary a day."""

from notifications.models import MailPreference

URL = "/accounts/email/"


def test_the_account_menu_links_to_the_email_preferences(client, cast):
    client.force_login(cast.student)
    page = client.get("/", follow=True).content.decode()
    assert f'href="{URL}">Email preferences</a>' in page


def test_it_shows_immediate_until_a_person_chooses(client, cast):
    client.force_login(cast.educator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"]["frequency"].value() == "immediate"
    page = response.content.decode()
    assert "How would you like to hear what needs you?" in page
    assert "One summary email a day" in page


def test_a_person_chooses_the_daily_summary_and_back(client, cast):
    client.force_login(cast.educator)
    response = client.post(URL, {"frequency": "daily"}, follow=True)
    assert "Your email preference is saved." in response.content.decode()
    assert MailPreference.objects.get(user=cast.educator).frequency == "daily"
    assert response.context["form"]["frequency"].value() == "daily"
    client.post(URL, {"frequency": "immediate"})
    assert MailPreference.objects.get(user=cast.educator).frequency == "immediate"


def test_a_choice_that_does_not_exist_is_refused_beside_the_field(client, cast):
    client.force_login(cast.educator)
    response = client.post(URL, {"frequency": "hourly"})
    assert response.status_code == 200
    assert response.context["form"].errors["frequency"]
    page = response.content.decode()
    assert "Select a valid choice." in page
    assert 'aria-describedby="id_frequency_helptext id_frequency_error"' in page
    assert not MailPreference.objects.exists()


def test_it_changes_only_the_signed_in_persons_preference(client, cast):
    client.force_login(cast.student)
    client.post(URL, {"frequency": "daily", "user": cast.educator.pk})
    assert list(MailPreference.objects.values_list("user", "frequency")) == [
        (cast.student.pk, "daily")
    ]


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
