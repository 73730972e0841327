"""Reads that need care: every fetch of a placement goes through `placements_visible_to`."""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import UNIVERSITY_WIDE_ROLES, Role
from portfolios.models import (
    AttendanceDay,
    Domain,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    EvidenceMapping,
    PendingUpload,
    Placement,
    PlacementUserObjectPermission,
    Programme,
    University,
)


def universities_overseen_by(*, user: User) -> QuerySet[University]:
    """Universities whose every placement this user may see (as coordinator or panel member)."""
    if not any(user.has_role(role) for role in UNIVERSITY_WIDE_ROLES):
        return University.objects.none()
    return University.objects.filter(members=user)


COHORT_ORDER = ("programme__name", "student__last_name", "pk")


def placements_visible_to(*, user: User) -> QuerySet[Placement]:
    """The placements a user may see: those they hold an object permission on, and, for
    coordinators and panel members, every placement of their own universities.

    Anyone else gets an empty queryset, so a view's get_object_or_404 answers 404.
    """
    if not user.is_authenticated or not user.is_active:
        return Placement.objects.none()
    if user.is_superuser:
        return Placement.objects.all()
    granted = Q(
        pk__in=PlacementUserObjectPermission.objects.filter(
            user=user, permission__codename="view_placement"
        ).values("content_object_id")
    )
    if not any(user.has_role(role) for role in UNIVERSITY_WIDE_ROLES):
        return Placement.objects.filter(granted)
    # A plain university filter, so PostgreSQL can use it to plan joins and counts; the
    # permission subquery is added (as an OR, which it cannot use that way) only for someone
    # who also holds a role on placements, such as a coordinator who tutors elsewhere.
    visible = Q(programme__university__in=universities_overseen_by(user=user).values("pk"))
    if user.role_names() - set(UNIVERSITY_WIDE_ROLES):
        visible |= granted
    return Placement.objects.filter(visible)


def placement_list_queryset(qs: QuerySet[Placement], *, user: User) -> QuerySet[Placement]:
    """Everything a placement row on the student's and educator's dashboards shows, in a
    fixed number of queries."""
    return with_row_counts(
        qs.select_related(
            "student",
            "educator",
            "supervisor",
            "tutor",
            "programme__university",
            "practice_area",
            "framework",
        ),
        user=user,
    )


def with_row_counts(qs: QuerySet[Placement], *, user: User) -> QuerySet[Placement]:
    """Adds the evidence and open-concern counts a placement row shows. The evidence count is
    the same for everyone who sees the placement: drafts are left out and counted apart for
    their writer (`own_draft_count`), who alone can see them.

    Correlated subqueries, not joins with GROUP BY: each costs an index scan per row shown,
    so a page of rows costs the same whatever the size of the cohort."""
    evidence = Evidence.objects.filter(placement=OuterRef("pk"))
    # Concerns live in the assessments app; reached through the relation so this app need not
    # import it.
    concerns = Placement._meta.get_field("concerns").related_model.objects.filter(
        placement=OuterRef("pk"), outcome__in=["open", "extended"]
    )
    return qs.annotate(
        evidence_count=_count(evidence.exclude(status=Evidence.Status.DRAFT)),
        own_draft_count=_count(evidence.filter(status=Evidence.Status.DRAFT, created_by=user)),
        open_concern_count=_count(concerns),
    )


def _count(qs: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().values("placement").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def cohort_page_rows(page_pks: Sequence, *, user: User) -> list[Placement]:
    """The rows of one page of a cohort, given the ids on that page (a bare, sliced query of
    the cohort): the counts and alerts are worked out for those rows only, never for the
    whole cohort before the LIMIT, and only the relations a cohort row shows are joined."""
    rows = Placement.objects.filter(pk__in=list(page_pks)).select_related(
        "student", "educator", "programme__university", "practice_area"
    )
    return list(with_attendance_alerts(with_row_counts(rows, user=user)).order_by(*COHORT_ORDER))


def placements_for_student(*, user: User) -> QuerySet[Placement]:
    return placement_list_queryset(placements_visible_to(user=user).filter(student=user), user=user)


def placements_for_educator(*, user: User) -> QuerySet[Placement]:
    """Placements the user assesses as practice educator or supports as on-site supervisor."""
    return placement_list_queryset(
        placements_visible_to(user=user).filter(Q(educator=user) | Q(supervisor=user)), user=user
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
    return qs.order_by(*COHORT_ORDER)


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


# --- Evidence ---------------------------------------------------------------------------------


def evidence_visible_to(*, user: User) -> QuerySet[Evidence]:
    """Evidence on placements the user may see; a draft only to the person writing it."""
    return Evidence.objects.filter(
        placement__in=placements_visible_to(user=user).values("pk")
    ).filter(~Q(status=Evidence.Status.DRAFT) | Q(created_by=user))


def evidence_list_for_placement(*, user: User, placement: Placement) -> QuerySet[Evidence]:
    """The evidence list of one placement, with everything a row shows, in fixed queries. The
    long texts (the reflection, the educator's comment, each mapping's note) are deferred:
    the list shows none of them, and a portfolio's reflections run to megabytes."""
    comments = (
        EvidenceComment.objects.filter(evidence=OuterRef("pk"))
        .order_by()
        .values("evidence")
        .annotate(n=Count("pk"))
        .values("n")
    )
    files = (
        EvidenceFile.objects.filter(evidence=OuterRef("pk"))
        .order_by()
        .values("evidence")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        evidence_visible_to(user=user)
        .filter(placement=placement)
        .defer("reflection", "review_comment")
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=EvidenceMapping.objects.select_related("domain").defer("note"),
            )
        )
        .annotate(
            comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), 0),
            file_count=Coalesce(Subquery(files, output_field=IntegerField()), 0),
        )
        .order_by("-practice_date", "title", "pk")
    )


@dataclass
class CoverageRow:
    domain: Domain
    counts: list[int]  # one per evidence kind, in Evidence.Kind order
    total: int
    kinds_used: int

    @property
    def is_gap(self) -> bool:
        return self.total == 0

    @property
    def single_source(self) -> bool:
        """Evidenced, but all from one kind of source: not yet triangulated."""
        return self.kinds_used == 1


def coverage_matrix(*, user: User, placement: Placement) -> list[CoverageRow]:
    """Domains × evidence kinds with counts of the evidence shared beyond its writer, so
    everyone who sees the placement sees the same numbers; drafts are named apart
    (`own_draft_count`)."""
    counts = (
        EvidenceMapping.objects.filter(
            evidence__in=evidence_visible_to(user=user)
            .filter(placement=placement)
            .exclude(status=Evidence.Status.DRAFT)
            .values("pk")
        )
        .values_list("domain_id", "evidence__kind")
        .annotate(n=Count("evidence_id"))
    )
    by_cell = {(domain_id, kind): n for domain_id, kind, n in counts}
    kinds = Evidence.Kind.values
    rows = []
    for domain in placement.framework.domains.all():
        row = [by_cell.get((domain.pk, kind), 0) for kind in kinds]
        rows.append(CoverageRow(domain, row, sum(row), sum(1 for n in row if n)))
    return rows


def coverage_summaries(*, user: User, placements: Sequence[Placement]) -> dict:
    """For dashboards: per placement, a (domain, count) list over its framework's domains, in
    two queries however many placements are listed. Drafts are not counted, so everyone sees
    the same coverage of one placement."""
    ids = [p.pk for p in placements]
    counts = (
        EvidenceMapping.objects.filter(evidence__placement_id__in=ids)
        .exclude(evidence__status=Evidence.Status.DRAFT)
        .values_list("evidence__placement_id", "domain_id")
        .annotate(n=Count("evidence_id"))
    )
    by_cell = {(pid, did): n for pid, did, n in counts}
    framework_ids = {p.framework_id for p in placements}
    domains: dict[int, list[Domain]] = {}
    for domain in Domain.objects.filter(framework_id__in=framework_ids).order_by("order"):
        domains.setdefault(domain.framework_id, []).append(domain)
    return {
        p.pk: [(d, by_cell.get((p.pk, d.pk), 0)) for d in domains.get(p.framework_id, [])]
        for p in placements
    }


def own_draft_count(*, user: User, placement: Placement) -> int:
    """Drafts this user is writing on the placement: only they can see them."""
    return Evidence.objects.filter(
        placement=placement, status=Evidence.Status.DRAFT, created_by=user
    ).count()


def pending_uploads_for(
    *, user: User, placement: Placement, ids: Sequence[str]
) -> list[PendingUpload]:
    """Uploads this user holds for this placement, among the ids a form sent back."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    return list(
        PendingUpload.objects.filter(owner=user, placement=placement, pk__in=valid).order_by(
            "created_at"
        )
    )


# --- Attendance -------------------------------------------------------------------------------

# An attendance day as half days, summed as integers so no database adds up decimals.
HALF_DAYS = Case(
    When(portion=AttendanceDay.Portion.FULL, then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)
# The tutor is told when more than this many days of absence are recorded...
ABSENCE_ALERT_DAYS = 5
# ...or when a recorded day has waited longer than this for confirmation.
UNCONFIRMED_ALERT_AGE = datetime.timedelta(days=14)


def with_attendance_alerts(qs: QuerySet[Placement]) -> QuerySet[Placement]:
    """Adds, for the tutor's list, `absence_alert` (an active placement with more than five
    days of absence recorded) and `unconfirmed_alert` (an active placement with a day waiting
    over two weeks for confirmation). Subqueries in the same query: a list stays constant."""
    absences = (
        AttendanceDay.objects.filter(placement=OuterRef("pk"), kind=AttendanceDay.Kind.ABSENCE)
        .order_by()
        .values("placement")
        .annotate(n=Sum(HALF_DAYS))
        .values("n")
    )
    overdue = AttendanceDay.objects.filter(
        placement=OuterRef("pk"),
        confirmed_at__isnull=True,
        date__lt=timezone.localdate() - UNCONFIRMED_ALERT_AGE,
    )
    active = Q(status=Placement.Status.ACTIVE)
    return qs.annotate(
        absent_half_days=Coalesce(Subquery(absences, output_field=IntegerField()), 0)
    ).annotate(
        absence_alert=Case(
            When(active & Q(absent_half_days__gt=2 * ABSENCE_ALERT_DAYS), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        unconfirmed_alert=Case(
            When(active & Exists(overdue), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# --- Invitations ------------------------------------------------------------------------------


def invitations_visible_to(*, user: User) -> QuerySet[Invitation]:
    """Invitations a coordinator may follow: those they sent, and those of anyone on a
    placement of their universities."""
    if user.is_superuser:
        return Invitation.objects.all()
    if not user.has_role(Role.COORDINATOR):
        return Invitation.objects.none()
    mine = Placement.objects.filter(
        programme__university__in=universities_overseen_by(user=user).values("pk")
    )
    on_placements = (
        Q(user__in=mine.values("student"))
        | Q(user__in=mine.values("educator"))
        | Q(user__in=mine.values("supervisor"))
        | Q(user__in=mine.values("tutor"))
    )
    return Invitation.objects.filter(on_placements | Q(invited_by=user))
