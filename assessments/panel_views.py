"""The panel's pages: its queue with the moderation sample, its meetings, and each meeting's
decisions as a page and a CSV."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import Role
from assessments import selectors, services
from assessments.forms import PanelMeetingForm
from assessments.models import ModerationSample
from assessments.report.cohort import neutralise
from portfolios.forms import apply_service_errors
from portfolios.views.common import error_message
from portfolios.views.placements import role_required


def _meeting(request, pk):
    return get_object_or_404(selectors.panel_meetings_visible_to(user=request.user), pk=pk)


@role_required(Role.PANEL)
def panel_queue(request):
    context = {
        "queue": list(selectors.panel_queue(user=request.user)),
        "meetings": selectors.panel_meetings_visible_to(user=request.user)[:10],
    }
    return render(request, "assessments/panel/queue.html", context)


@role_required(Role.PANEL)
def panel_meeting_create(request):
    universities = selectors.panel_universities(request.user).order_by("name")
    members = User.objects.filter(
        groups__name=Role.PANEL, is_active=True, universities__in=universities.values("pk")
    ).distinct()
    form = PanelMeetingForm(
        request.POST or None,
        universities=universities,
        members=members.order_by("last_name", "first_name", "email"),
        initial={"date": timezone.localdate(), "members": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.panel_meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("university", error_message(error))
        else:
            messages.success(request, "Meeting recorded. Draw its sample when the queue is ready.")
            return redirect(meeting)
    return render(request, "assessments/panel/meeting_form.html", {"form": form})


@role_required(Role.PANEL)
def panel_meeting(request, pk):
    meeting = _meeting(request, pk)
    sample = ModerationSample.objects.filter(meeting=meeting).first()
    items = (
        sample.items.select_related(
            "review__placement__student", "review__placement__programme"
        ).order_by("-sampled", "reason", "review__placement__student__last_name", "pk")
        if sample
        else []
    )
    context = {
        "meeting": meeting,
        "members": meeting.members_present.order_by("last_name", "first_name"),
        "sample": sample,
        "items": items,
        "decisions": selectors.meeting_decisions(meeting),
    }
    return render(request, "assessments/panel/meeting_detail.html", context)


@require_POST
@login_required
def panel_sample_draw(request, pk):
    meeting = _meeting(request, pk)
    try:
        services.moderation_sample_draw(actor=request.user, meeting=meeting)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "The sample is drawn and recorded.")
    return redirect(meeting)


CSV_HEADER = [
    "Meeting date",
    "University",
    "Student",
    "Programme",
    "Stage",
    "Setting",
    "Recommendation",
    "In the sample",
    "Decision",
    "Panel's note or reason",
    "Decided by",
    "Decided at",
]


@role_required(Role.PANEL)
def panel_meeting_csv(request, pk):
    """The meeting's decisions, one row each; cells a spreadsheet would run are text."""
    meeting = _meeting(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="panel-decisions-{meeting.date.isoformat()}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for review in selectors.meeting_decisions(meeting):
        placement = review.placement
        writer.writerow(
            neutralise(
                [
                    meeting.date.isoformat(),
                    meeting.university.name,
                    placement.student.display_name,
                    str(placement.programme),
                    placement.get_stage_display(),
                    placement.setting_name,
                    review.get_recommendation_display(),
                    "Yes" if review.sampled else "No",
                    review.get_status_display(),
                    review.panel_note or review.return_reason,
                    review.panel_by.display_name,
                    timezone.localtime(review.panel_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
        )
    return response
