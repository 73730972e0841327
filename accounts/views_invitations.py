"""The public pages of an invitation: choose a password from the link, or ask for a new link.

Neither needs an account. A dead link (used, expired, withdrawn, replaced or altered) says
which it is, in words, and offers the form that asks the coordinator for a new one; that form
gives the same answer whatever address is typed.
"""

from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.core import is_ratelimited

from accounts import invitations
from accounts.forms import InvitationRenewalForm, LimitedSetPasswordForm
from accounts.throttling import client_ip

RENEWAL_RATE = "10/h"


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, token):
    lookup = invitations.invitation_lookup(token)
    if lookup.state != invitations.LinkState.VALID:
        return _dead_link(request, lookup.state)
    user = lookup.invitation.user
    form = LimitedSetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password2", error.message_dict.get("password", error.messages))
        except PermissionDenied:
            return _dead_link(request, invitations.invitation_lookup(token).state)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    context = {"form": form, "invitation": lookup.invitation}
    return render(request, "accounts/invitation_accept.html", context)


def _dead_link(request, state: str):
    context = {"state": state, "form": InvitationRenewalForm()}
    return render(request, "accounts/invitation_closed.html", context, status=410)


@never_cache
def invitation_renew(request):
    form = InvitationRenewalForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="invitation-renew",
            key=lambda _group, request: client_ip(request),
            rate=RENEWAL_RATE,
            increment=True,
        ):
            return render(request, "accounts/invitation_renew.html", {"limited": True}, status=429)
        if form.is_valid():
            invitations.invitation_request_renewal(email=form.cleaned_data["email"])
            return render(request, "accounts/invitation_renew.html", {"asked": True})
    return render(request, "accounts/invitation_renew.html", {"form": form})
