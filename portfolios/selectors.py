"""Reads that need care: every fetch of a placement goes through `placements_visible_to`."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.roles import UNIVERSITY_WIDE_ROLES, Role
from portfolios.models import Placement, PlacementUserObjectPermission, Programme, University


def universities_overseen_by(*, user: User) -> QuerySet[University]:
    """Universities whose every placement this user may see (as coordinator or panel member)."""
    if not any(user.has_role(role) for role in UNIVERSITY_WIDE_ROLES):
        return University.objects.none()
    return University.objects.filter(members=user)


def placements_visible_to(*, user: User) -> QuerySet[Placement]:
    """The placements a user may see: those they hold an object permission on, and, for
    coordinators and panel members, every placement of their own universities.

    Anyone else gets an empty queryset, so a view's get_object_or_404 answers 404.
    """
    if not user.is_authenticated or not user.is_active:
        return Placement.objects.none()
    if user.is_superuser:
        return Placement.objects.all()
    granted = PlacementUserObjectPermission.objects.filter(
        user=user, permission__codename="view_placement"
    ).values("content_object_id")
    visible = Q(pk__in=granted)
    if any(user.has_role(role) for role in UNIVERSITY_WIDE_ROLES):
        # A subquery, not a join through members, so no placement row is repeated.
        visible |= Q(programme__university__in=universities_overseen_by(user=user).values("pk"))
    return Placement.objects.filter(visible)


def placement_list_queryset(qs: QuerySet[Placement]) -> QuerySet[Placement]:
    """Everything a placement row on a list page shows, in a fixed number of queries."""
    return qs.select_related(
        "student",
        "educator",
        "supervisor",
        "tutor",
        "programme__university",
        "practice_area",
        "framework",
    ).annotate(evidence_count=Count("evidence", distinct=True))


def placements_for_student(*, user: User) -> QuerySet[Placement]:
    return placement_list_queryset(placements_visible_to(user=user).filter(student=user))


def placements_for_educator(*, user: User) -> QuerySet[Placement]:
    """Placements the user assesses as practice educator or supports as on-site supervisor."""
    return placement_list_queryset(
        placements_visible_to(user=user).filter(Q(educator=user) | Q(supervisor=user))
    )


def placements_for_cohort(
    *,
    user: User,
    programme: Programme | None = None,
    stage: str = "",
    status: str = "",
) -> QuerySet[Placement]:
    """The cohort a tutor follows (their own placements) or a coordinator or panel member
    oversees (their universities' placements), filtered as asked. Undecorated: list pages
    pass it through placement_list_queryset."""
    qs = placements_visible_to(user=user)
    if not user.is_superuser and not any(user.has_role(r) for r in UNIVERSITY_WIDE_ROLES):
        qs = qs.filter(tutor=user)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if stage:
        qs = qs.filter(stage=stage)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("programme__name", "student__last_name", "pk")


def programmes_visible_to(*, user: User) -> QuerySet[Programme]:
    """Programmes a user may filter a cohort by, or create placements on."""
    if user.is_superuser:
        return Programme.objects.select_related("university")
    return Programme.objects.filter(
        Q(university__in=universities_overseen_by(user=user).values("pk"))
        | Q(pk__in=placements_visible_to(user=user).values("programme_id"))
    ).select_related("university")


def users_with_role(role: Role) -> QuerySet[User]:
    return User.objects.filter(groups__name=role, is_active=True).order_by("last_name", "email")
