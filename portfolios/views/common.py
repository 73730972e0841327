"""What every placement and evidence page does first: fetch through the scoped selectors, so
a stranger gets 404; and turn a service's refusal into a sentence for a message."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect

from portfolios import selectors
from portfolios.models import Evidence, Placement
from portfolios.services.evidence import closed_message, placement_is_open

logger = logging.getLogger(__name__)

SAVE_FAILED = "Something went wrong while saving; nothing was changed. Please try again."


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


def save_failed(request, error: Exception) -> str:
    """A database or storage failure mid-save: the service's transaction has rolled back and
    its stored files are gone. Log which page failed, never what was being saved, and return
    the sentence to show."""
    page = request.resolver_match.view_name if request.resolver_match else "unknown"
    logger.error("Saving failed on %s (%s); nothing was changed", page, type(error).__name__)
    return SAVE_FAILED


class CountedPaginator(Paginator):
    """A paginator told its total by the caller, who has counted already (the cohort's
    counts by status), so the rows are not counted a second time."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count
