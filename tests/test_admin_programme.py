"""Programmes carry the sign-off rules' settings, and the admin edits them."""

from django.urls import reverse

from tests import factories


def test_the_admin_edits_a_programmes_sign_off_settings(admin_client, db):
    programme = factories.ProgrammeFactory()
    area = factories.PracticeAreaFactory(name="Mental health")
    url = reverse("admin:portfolios_programme_change", args=[programme.pk])
    page = admin_client.get(url).content.decode()
    assert "Sign-off rules" in page
    assert "minimum words per narrative" in page.lower()
    response = admin_client.post(
        url,
        {
            "university": programme.university_id,
            "name": programme.name,
            "award": programme.award,
            "framework": programme.framework_id,
            "grading_scale": programme.grading_scale_id,
            "min_narrative_words": 60,
            "min_observations": 4,
            "min_educator_observations": 3,
            "days_tolerance": "1.5",
            "concern_notice_days": 14,
            "practice_areas": [area.pk],
            "moderation_pass_share": 25,
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.min_narrative_words, programme.min_observations) == (60, 4)
    assert programme.moderation_pass_share == 25
    assert str(programme.days_tolerance) == "1.5"
    assert list(programme.practice_areas.all()) == [area]


def test_a_new_programme_has_the_usual_defaults(db):
    programme = factories.ProgrammeFactory()
    assert (
        programme.min_narrative_words,
        programme.min_observations,
        programme.min_educator_observations,
        programme.days_tolerance,
        programme.concern_notice_days,
        programme.moderation_pass_share,
    ) == (40, 3, 2, 0, 10, 10)


def test_the_admin_refuses_more_educator_observations_than_observations(admin_client, db):
    programme = factories.ProgrammeFactory()
    url = reverse("admin:portfolios_programme_change", args=[programme.pk])
    response = admin_client.post(
        url,
        {
            "university": programme.university_id,
            "name": programme.name,
            "award": programme.award,
            "framework": programme.framework_id,
            "grading_scale": programme.grading_scale_id,
            "min_narrative_words": 40,
            "min_observations": 2,
            "min_educator_observations": 3,
            "days_tolerance": "0",
            "concern_notice_days": 10,
            "moderation_pass_share": 10,
        },
    )
    assert response.status_code == 200
    assert "cannot be more than the minimum direct observations" in response.content.decode()
    programme.refresh_from_db()
    assert programme.min_educator_observations == 2


def test_the_admin_cannot_revert_a_placement_or_change_a_concerns_outcome(admin_client, cast):
    from assessments.models import Concern

    placement = cast.placement
    history = placement.history.first()
    url = reverse("admin:portfolios_placement_simple_history", args=[placement.pk, history.pk])
    assert admin_client.post(url, {}).status_code == 403
    concern = Concern.objects.create(
        placement=placement,
        raised_by=cast.educator,
        description="Late records.",
        review_date=placement.end_date,
    )
    page = admin_client.get(reverse("admin:assessments_concern_change", args=[concern.pk]))
    assert 'name="outcome"' not in page.content.decode()


def test_the_admin_deletes_only_a_placement_that_has_not_started(admin_client, cast):
    started = reverse("admin:portfolios_placement_delete", args=[cast.placement.pk])
    assert admin_client.get(started).status_code == 403
    planned = factories.PlacementFactory(status="planned")
    url = reverse("admin:portfolios_placement_delete", args=[planned.pk])
    assert admin_client.get(url).status_code == 200
