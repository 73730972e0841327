from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role
from portfolios import services
from portfolios.forms import (
    CohortFilterForm,
    PlacementCreateForm,
    PlacementTransitionForm,
    PlacementUpdateForm,
    WriteReopenForm,
    apply_service_errors,
)
from portfolios.models import Placement
from portfolios.selectors import (
    cohort_page_rows,
    coverage_summaries,
    placements_for_cohort,
    placements_for_educator,
    placements_for_student,
    placements_visible_to,
)
from portfolios.services.evidence import write_reopened
from portfolios.services.placements import CLOSED_STATUSES as CLOSED
from portfolios.views.common import CountedPaginator

COHORT_ROLES = (Role.TUTOR, Role.COORDINATOR, Role.PANEL)
COHORT_PAGE_SIZE = 50
EDUCATOR_ROLES = (Role.EDUCATOR, Role.SUPERVISOR)

# Steps taken from the placement page. The others (signing, acknowledging, countersigning,
# ratifying) are taken from the final review, where the person can see what they sign.
PAGE_TRANSITIONS = {
    (Placement.Status.PLANNED, Placement.Status.ACTIVE): "Start placement",
    (Placement.Status.PLANNED, Placement.Status.TERMINATED): "Cancel placement",
    (Placement.Status.ACTIVE, Placement.Status.DEFERRED): "Defer",
    (Placement.Status.ACTIVE, Placement.Status.TERMINATED): "End early (terminate)",
    (Placement.Status.DEFERRED, Placement.Status.ACTIVE): "Resume placement",
}


def role_required(*roles):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_superuser and not any(request.user.has_role(r) for r in roles):
                raise PermissionDenied("This page is not part of your role.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def home(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_superuser or any(user.has_role(r) for r in COHORT_ROLES):
        return redirect("portfolios:dashboard-cohort")
    if any(user.has_role(r) for r in EDUCATOR_ROLES):
        return redirect("portfolios:dashboard-educator")
    if user.has_role(Role.STUDENT):
        return redirect("portfolios:dashboard-student")
    return render(request, "portfolios/no_role.html")


@role_required(Role.STUDENT)
def dashboard_student(request):
    placements = list(placements_for_student(user=request.user))
    _attach_coverage(request.user, placements)
    return render(request, "portfolios/dashboard_student.html", {"placements": placements})


@role_required(*EDUCATOR_ROLES)
def dashboard_educator(request):
    if is_onsite_supervisor_only(request.user):
        return render(request, "portfolios/dashboard_supervisor.html")
    placements = list(placements_for_educator(user=request.user))
    _attach_coverage(request.user, placements)
    return render(request, "portfolios/dashboard_educator.html", {"placements": placements})


def is_onsite_supervisor_only(user) -> bool:
    """An on-site supervisor who assesses nobody gets their own dashboard: what they confirm
    and may add, nothing of grading. Someone who is both sees the educator's."""
    return user.has_role(Role.SUPERVISOR) and not (
        user.is_superuser or user.has_role(Role.EDUCATOR)
    )


def _attach_coverage(user, placements: list[Placement]) -> None:
    summaries = coverage_summaries(user=user, placements=placements)
    for placement in placements:
        placement.coverage = summaries[placement.pk]
        placement.domains_evidenced = sum(1 for _, n in placement.coverage if n)


@role_required(*COHORT_ROLES)
def dashboard_cohort(request):
    form = CohortFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    cohort = placements_for_cohort(
        user=request.user,
        programme=filters.get("programme"),
        stage=filters.get("stage", ""),
        status=filters.get("status", ""),
    )
    counts = dict(cohort.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    page = CountedPaginator(cohort.values_list("pk", flat=True), COHORT_PAGE_SIZE, count=total)
    page = page.get_page(request.GET.get("page"))
    page.object_list = cohort_page_rows(page.object_list, user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "status_counts": [(s, counts.get(s.value, 0)) for s in Placement.Status],
        "total": total,
    }
    return render(request, "portfolios/dashboard_cohort.html", context)


@login_required
def placement_detail(request, pk):
    placement = get_object_or_404(
        placements_visible_to(user=request.user).select_related(
            "student",
            "educator",
            "supervisor",
            "tutor",
            "programme__university",
            "practice_area",
            "framework",
            "grading_scale",
        ),
        pk=pk,
    )
    relations = services.actor_relations(placement=placement, user=request.user)
    actions = [
        (to, label)
        for (frm, to), label in PAGE_TRANSITIONS.items()
        if frm == placement.status and services.TRANSITIONS[(frm, to)][0] & relations
    ]
    context = {
        "placement": placement,
        "domains": placement.framework.domains.all(),
        "level": placement.framework.levels.filter(assessed_at=placement.stage).first(),
        "changes": placement.status_changes.select_related("actor"),
        "actions": actions,
        "reason_field": PlacementTransitionForm()["reason"],
        "can_edit": "coordinator" in relations or request.user.is_superuser,
        "can_reopen": "coordinator" in relations and placement.status in CLOSED,
        "write_reopened": write_reopened(placement),
        "reopenings": placement.reopenings.select_related("actor"),
    }
    return render(request, "portfolios/placement_detail.html", context)


@role_required(Role.COORDINATOR)
def placement_create(request):
    form = PlacementCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error("programme", "You can only create placements for your own university.")
        else:
            messages.success(request, "Placement created. Its people can now see it.")
            return redirect(placement)
    return render(request, "portfolios/placement_form.html", {"form": form, "creating": True})


@login_required
def placement_update(request, pk):
    placement = get_object_or_404(placements_visible_to(user=request.user), pk=pk)
    relations = services.actor_relations(placement=placement, user=request.user)
    # The service lets an administrator change a placement too, and the page offers them Edit.
    if "coordinator" not in relations and not request.user.is_superuser:
        raise PermissionDenied("Only a placement coordinator can change a placement.")
    form = PlacementUpdateForm(
        request.POST or None, initial=PlacementUpdateForm.initial_from(placement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(actor=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Placement updated.")
            return redirect(placement)
    context = {"form": form, "placement": placement, "creating": False}
    return render(request, "portfolios/placement_form.html", context)


@require_POST
@login_required
def placement_transition(request, pk):
    placement = get_object_or_404(placements_visible_to(user=request.user), pk=pk)
    form = PlacementTransitionForm(request.POST)
    edge = (placement.status, form.cleaned_data["to_status"]) if form.is_valid() else None
    if edge in services.TRANSITIONS and edge not in PAGE_TRANSITIONS:
        # Signing, acknowledging, countersigning and ratifying belong to the review pages.
        messages.error(request, "That step is taken from the final review, not from here.")
        return redirect(placement)
    if not form.is_valid():
        messages.error(request, "That change could not be made. Please try again.")
        return redirect(placement)
    try:
        services.placement_transition(
            actor=request.user,
            placement=placement,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        placement.refresh_from_db(fields=["status"])
        messages.success(request, f"The placement is now {placement.get_status_display().lower()}.")
    return redirect(placement)


@login_required
def placement_write_reopen(request, pk):
    """The coordinator reopens a closed placement for writing for a few days, with a reason."""
    placement = get_object_or_404(placements_visible_to(user=request.user), pk=pk)
    if "coordinator" not in services.actor_relations(placement=placement, user=request.user):
        raise PermissionDenied("Only a coordinator of this placement's university can do that.")
    form = WriteReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reopening = services.placement_write_reopen(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"Open for writing until {reopening.open_until:%-d %B %Y, %H:%M}."
            )
            return redirect(placement)
    context = {"placement": placement, "form": form, "closed": placement.status in CLOSED}
    return render(request, "portfolios/placement_reopen.html", context)
