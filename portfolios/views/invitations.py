"""Coordinators' list of invitations not yet accepted, with resend and withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import invitations as service
from accounts.roles import Role
from portfolios.selectors import invitations_visible_to
from portfolios.views.placements import role_required


@role_required(Role.COORDINATOR)
def invitation_list(request):
    pending = list(
        invitations_visible_to(user=request.user)
        .filter(accepted_at__isnull=True, replaced_by__isnull=True)
        .select_related("user", "invited_by", "revoked_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")[:500]
    )
    for invitation in pending:
        invitation.state = service.invitation_state(invitation)
    return render(request, "portfolios/invitation_list.html", {"invitations": pending})


def _act(request, pk, action, done: str):
    # Anyone but a coordinator of the person's university gets 404: nothing leaks.
    invitation = get_object_or_404(invitations_visible_to(user=request.user), pk=pk)
    try:
        action(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(email=invitation.user.email))
    return redirect("portfolios:invitation-list")


@require_POST
@login_required
def invitation_resend(request, pk):
    return _act(
        request,
        pk,
        service.invitation_resend,
        "A new link was sent to {email}; the old one no longer works.",
    )


@require_POST
@login_required
def invitation_revoke(request, pk):
    return _act(request, pk, service.invitation_revoke, "The invitation to {email} was withdrawn.")
