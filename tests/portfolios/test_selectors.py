from django.contrib.auth.models import AnonymousUser

from portfolios.selectors import placements_visible_to
from tests import factories


def test_each_person_on_a_placement_sees_it(cast):
    for user in (cast.student, cast.educator, cast.supervisor, cast.tutor):
        assert list(placements_visible_to(user=user)) == [cast.placement]


def test_coordinators_and_panel_see_their_own_universitys_placements_only(cast):
    mine = factories.PlacementFactory(programme=cast.programme)
    for user in (cast.coordinator, cast.panel):
        assert set(placements_visible_to(user=user)) == {cast.placement, mine}
    assert list(placements_visible_to(user=cast.other_coordinator)) == [cast.other_placement]


def test_university_membership_without_the_role_shows_nothing(cast):
    tutor = factories.TutorFactory()
    cast.university.members.add(tutor)
    assert not placements_visible_to(user=tutor).exists()


def test_a_coordinator_of_two_universities_sees_each_placement_once(cast):
    cast.other_placement.programme.university.members.add(cast.coordinator)
    visible = list(placements_visible_to(user=cast.coordinator))
    assert sorted(p.pk for p in visible) == sorted([cast.placement.pk, cast.other_placement.pk])


def test_anonymous_and_inactive_users_see_nothing(cast):
    assert not placements_visible_to(user=AnonymousUser()).exists()
    cast.student.is_active = False
    cast.student.save()
    assert not placements_visible_to(user=cast.student).exists()
