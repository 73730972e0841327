"""Strengths (text and optional domains) and suitability for areas of practice (a rating, and
a rationale for every rating but "not observed"): kept apart from the recommendation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Strength, Suitability
from tests import factories
from tests.assessments import builders

Rating = Suitability.Rating


@pytest.fixture
def review(cast):
    return builders.start(cast.placement)


@pytest.fixture
def area(db):
    return factories.PracticeAreaFactory(code="child-protection", name="Child protection")


def test_a_strength_is_recorded_with_the_domains_it_shows(cast, review):
    domains = list(cast.placement.framework.domains.all())[:2]
    strength = services.strength_add(
        actor=cast.educator,
        review=review,
        text="  Writes clear assessments quickly.  ",
        domains=domains,
    )
    assert strength.text == "Writes clear assessments quickly."
    assert list(strength.domains.all()) == domains


def test_a_strength_needs_no_domain(cast, review):
    strength = services.strength_add(actor=cast.educator, review=review, text="Builds rapport.")
    assert not strength.domains.exists()


def test_a_strength_needs_words(cast, review):
    with pytest.raises(ValidationError) as exc:
        services.strength_add(actor=cast.educator, review=review, text="   ")
    assert "text" in exc.value.message_dict
    assert not Strength.objects.exists()


def test_a_strength_cannot_name_another_frameworks_domain(cast, review):
    foreign = cast.other_placement.framework.domains.first()
    with pytest.raises(ValidationError) as exc:
        services.strength_add(
            actor=cast.educator, review=review, text="Builds rapport.", domains=[foreign]
        )
    assert "domains" in exc.value.message_dict
    assert not Strength.objects.exists()


def test_the_educator_removes_a_strength(cast, review):
    strength = services.strength_add(actor=cast.educator, review=review, text="Builds rapport.")
    services.strength_remove(actor=cast.educator, strength=strength)
    assert not Strength.objects.exists()


@pytest.mark.parametrize("rating", [Rating.WELL_SUITED, Rating.WITH_SUPPORT, Rating.NOT_AT_PRESENT])
def test_every_rating_but_not_observed_needs_a_rationale(cast, review, area, rating):
    with pytest.raises(ValidationError) as exc:
        services.suitability_save(
            actor=cast.educator, review=review, practice_area=area, rating=rating, rationale="  "
        )
    assert "rationale" in exc.value.message_dict
    assert not Suitability.objects.exists()
    row = services.suitability_save(
        actor=cast.educator, review=review, practice_area=area, rating=rating, rationale="Seen."
    )
    assert (row.rating, row.rationale) == (rating, "Seen.")


def test_not_observed_needs_no_rationale(cast, review, area):
    row = services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=area,
        rating=Rating.NOT_OBSERVED,
        rationale="",
    )
    assert row.get_rating_display() == "Not observed"


def test_an_unknown_rating_is_refused(cast, review, area):
    with pytest.raises(ValidationError) as exc:
        services.suitability_save(
            actor=cast.educator, review=review, practice_area=area, rating="great", rationale="x"
        )
    assert "rating" in exc.value.message_dict


def test_rating_an_area_again_changes_its_one_row(cast, review, area):
    services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=area,
        rating=Rating.NOT_AT_PRESENT,
        rationale="Needs confidence.",
    )
    services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=area,
        rating=Rating.WITH_SUPPORT,
        rationale="Growing in confidence.",
    )
    row = Suitability.objects.get()
    assert (row.rating, row.rationale) == (Rating.WITH_SUPPORT, "Growing in confidence.")


def test_the_educator_removes_a_suitability_row(cast, review, area):
    row = services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=area,
        rating=Rating.NOT_OBSERVED,
        rationale="",
    )
    services.suitability_remove(actor=cast.educator, suitability=row)
    assert not Suitability.objects.exists()


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "panel"])
def test_only_the_educator_records_strengths_and_suitability(cast, review, area, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.strength_add(actor=actor, review=review, text="Builds rapport.")
    with pytest.raises(PermissionDenied):
        services.suitability_save(
            actor=actor,
            review=review,
            practice_area=area,
            rating=Rating.NOT_OBSERVED,
            rationale="",
        )
    strength = services.strength_add(actor=cast.educator, review=review, text="Builds rapport.")
    with pytest.raises(PermissionDenied):
        services.strength_remove(actor=actor, strength=strength)
    assert Strength.objects.count() == 1
    assert not Suitability.objects.exists()
