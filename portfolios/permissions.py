"""The one place that decides which object permissions each person on a placement holds.

Services call `placement_sync_permissions` inside their transaction whenever a placement is
created or its people change, so the permission rows always match the placement's people.
"""

from django.contrib.auth.models import Permission

from portfolios.models import Placement, PlacementUserObjectPermission

VIEW = "view_placement"
SUBMIT_EVIDENCE = "submit_evidence"
ASSESS = "assess_placement"
COMMENT = "comment_placement"
COUNTERSIGN = "countersign_placement"

PERMISSIONS_BY_PLACEMENT_ROLE: dict[str, tuple[str, ...]] = {
    "student": (VIEW, SUBMIT_EVIDENCE),
    "educator": (VIEW, ASSESS, COMMENT),
    "supervisor": (VIEW, COMMENT),
    "tutor": (VIEW, COMMENT, COUNTERSIGN),
}


def expected_permissions(placement: Placement) -> set[tuple[int, str]]:
    """(user id, codename) pairs the placement's people should hold."""
    expected: set[tuple[int, str]] = set()
    for role, codenames in PERMISSIONS_BY_PLACEMENT_ROLE.items():
        user_id = getattr(placement, f"{role}_id")
        if user_id is not None:
            expected.update((user_id, codename) for codename in codenames)
    return expected


def placement_sync_permissions(*, placement: Placement) -> None:
    """Grant exactly the expected permissions: add what is missing, remove what is not due.

    Called inside the service's transaction; a person replaced on the placement loses
    everything they held on it, and the newcomer gains it.
    """
    expected = expected_permissions(placement)
    rows = PlacementUserObjectPermission.objects.filter(content_object=placement)
    current = {
        (row.user_id, row.permission.codename): row.pk for row in rows.select_related("permission")
    }

    stale = [pk for key, pk in current.items() if key not in expected]
    if stale:
        PlacementUserObjectPermission.objects.filter(pk__in=stale).delete()

    missing = expected - current.keys()
    if missing:
        permissions = {
            p.codename: p
            for p in Permission.objects.filter(
                content_type__app_label="portfolios",
                codename__in={codename for _, codename in missing},
            )
        }
        PlacementUserObjectPermission.objects.bulk_create(
            PlacementUserObjectPermission(
                content_object=placement, user_id=user_id, permission=permissions[codename]
            )
            for user_id, codename in missing
        )
