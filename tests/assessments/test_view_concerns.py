"""Raising a concern from the placement and recording its outcome."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Concern
from tests.assessments import builders
from tests.assessments.pages import STRANGERS, goes_to_login, messages_on, text_of


def create_url(placement) -> str:
    return reverse("assessments:concern-create", kwargs={"pk": placement.pk})


def form_data(cast, **overrides) -> dict:
    domains = list(cast.placement.framework.domains.all())
    data = {
        "description": "Missed two supervisions.",
        "review_date": builders.days_ahead(21).isoformat(),
        f"target_{domains[0].pk}": "Attend every supervision.",
        f"target_{domains[5].pk}": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def concern(cast):
    domain = cast.placement.framework.domains.first()
    return services.concern_raise(
        actor=cast.educator,
        placement=cast.placement,
        description="Missed two supervisions.",
        review_date=builders.days_ahead(21),
        targets={domain: "Attend every supervision."},
    )


@pytest.mark.parametrize("who", ["educator", "tutor"])
def test_the_educator_or_tutor_raises_a_concern_and_the_tutor_is_told(
    client, cast, who, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(getattr(cast, who))
    assert client.get(create_url(cast.placement)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(cast.placement), form_data(cast), follow=True)
    concern = Concern.objects.get()
    assert response.redirect_chain[-1][0] == concern.get_absolute_url()
    colleague = cast.placement.framework.educator_title if who == "tutor" else "tutor"
    assert f"Concern raised; the student and the {colleague} have been told." in messages_on(
        response
    )
    assert list(concern.targets.values_list("target", flat=True)) == ["Attend every supervision."]
    told = cast.educator if who == "tutor" else cast.tutor
    assert sorted(m.to[0] for m in mailoutbox) == sorted([told.email, cast.student.email])


def test_a_past_review_date_is_shown_beside_the_field(client, cast, mailoutbox):
    client.force_login(cast.educator)
    response = client.post(
        create_url(cast.placement),
        form_data(cast, review_date=builders.days_ago(1).isoformat()),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["review_date"] == [
        "The review date must be in the future."
    ]
    assert not Concern.objects.exists()
    assert mailoutbox == []


def test_a_plan_without_targets_is_refused(client, cast):
    domains = cast.placement.framework.domains.all()
    client.force_login(cast.educator)
    response = client.post(
        create_url(cast.placement),
        form_data(cast, **{f"target_{d.pk}": "" for d in domains}),
    )
    assert "Set a target for at least one domain in the action plan." in text_of(response)
    assert not Concern.objects.exists()


@pytest.mark.parametrize("who", ["student", "supervisor", "coordinator", "panel"])
def test_no_one_else_raises_a_concern(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(create_url(cast.placement)).status_code == 403
    assert client.post(create_url(cast.placement), form_data(cast)).status_code == 403
    assert not Concern.objects.exists()


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_not_found(client, cast, concern, who):
    client.force_login(getattr(cast, who))
    assert client.get(create_url(cast.placement)).status_code == 404
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, cast, concern):
    assert goes_to_login(client.get(create_url(cast.placement)))
    assert goes_to_login(client.get(concern.get_absolute_url()))


def test_the_student_reads_the_concern_but_cannot_close_it(client, cast, concern):
    client.force_login(cast.student)
    response = client.get(concern.get_absolute_url())
    assert response.status_code == 200
    assert "Attend every supervision." in text_of(response)
    assert "Save the outcome" not in text_of(response)
    response = client.post(concern.get_absolute_url(), {"outcome": "resolved", "note": "Done."})
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.outcome == Concern.Outcome.OPEN


@pytest.mark.parametrize("who", ["educator", "tutor"])
def test_the_educator_or_tutor_records_the_outcome(client, cast, concern, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        concern.get_absolute_url(), {"outcome": "resolved", "note": "Attends now."}, follow=True
    )
    assert "Outcome recorded." in messages_on(response)
    concern.refresh_from_db()
    assert (concern.outcome, concern.outcome_by) == ("resolved", getattr(cast, who))


def test_an_extension_without_a_new_date_is_shown_beside_the_field(client, cast, concern):
    client.force_login(cast.educator)
    response = client.post(
        concern.get_absolute_url(), {"outcome": "extended", "note": "More time."}
    )
    assert response.context["form"].errors["review_date"] == [
        "An extended plan needs a new review date in the future."
    ]
    concern.refresh_from_db()
    assert concern.outcome == Concern.Outcome.OPEN


def test_an_open_concern_shows_on_the_review_page(client, cast, concern):
    review = builders.start(cast.placement)
    client.force_login(cast.educator)
    page = text_of(client.get(review.get_absolute_url()))
    assert "Open concern:" in page
