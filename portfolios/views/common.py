"""What every placement and evidence page does first: fetch through the scoped selectors, so
a stranger gets 404; and turn a service's refusal into a sentence for a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect

from portfolios import selectors
from portfolios.models import Evidence, Placement
from portfolios.services.evidence import closed_message, placement_is_open


def placement_for(request, pk) -> Placement:
    return get_object_or_404(
        selectors.placements_visible_to(user=request.user).select_related("framework", "student"),
        pk=pk,
    )


def evidence_for(request, pk) -> Evidence:
    return get_object_or_404(
        selectors.evidence_visible_to(user=request.user).select_related(
            "placement__framework", "placement__student", "created_by", "reviewed_by"
        ),
        pk=pk,
    )


def error_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You cannot do that here."


def refuse_if_closed(request, placement: Placement, back, **kwargs):
    """A closed placement's portfolio takes nothing new: say so and send the user back,
    whether they followed an old link or posted a form left open in another tab."""
    if placement_is_open(placement):
        return None
    messages.error(request, closed_message(placement))
    return redirect(back, **kwargs)
