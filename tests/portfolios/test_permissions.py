from portfolios.models import PlacementUserObjectPermission
from portfolios.permissions import PERMISSIONS_BY_PLACEMENT_ROLE
from tests import factories


def perms_of(user, placement):
    return set(
        PlacementUserObjectPermission.objects.filter(
            user=user, content_object=placement
        ).values_list("permission__codename", flat=True)
    )


def test_each_person_holds_exactly_their_permissions(cast):
    for role, codenames in PERMISSIONS_BY_PLACEMENT_ROLE.items():
        assert perms_of(getattr(cast, role), cast.placement) == set(codenames), role


def test_only_the_educator_may_assess_and_only_the_tutor_countersign(cast):
    p = cast.placement
    assert cast.educator.has_perm("portfolios.assess_placement", p)
    assert not cast.supervisor.has_perm("portfolios.assess_placement", p)
    assert not cast.student.has_perm("portfolios.assess_placement", p)
    assert cast.tutor.has_perm("portfolios.countersign_placement", p)
    assert not cast.educator.has_perm("portfolios.countersign_placement", p)
    assert cast.student.has_perm("portfolios.submit_evidence", p)
    assert not cast.educator.has_perm("portfolios.submit_evidence", p)


def test_strangers_hold_no_permissions(cast):
    for stranger in (cast.other_student, cast.other_educator, cast.other_tutor):
        assert perms_of(stranger, cast.placement) == set()
        assert not stranger.has_perm("portfolios.view_placement", cast.placement)


def test_deleting_a_placement_leaves_no_orphaned_permissions(cast):
    placement = factories.PlacementFactory()
    assert PlacementUserObjectPermission.objects.filter(content_object=placement).exists()
    pk = placement.pk
    placement.delete()
    assert not PlacementUserObjectPermission.objects.filter(content_object_id=pk).exists()
