"""The demo's pending invitation: an agency practice educator the coordinator added who has
not chosen a password yet, so the coordinator's "not accepted" list shows something."""

import datetime

from django.contrib.auth.models import Group

from accounts.invitations import invitations_send
from accounts.models import Invitation, User
from accounts.roles import Role


def seed_pending_invitation(*, coordinator: User) -> Invitation:
    educator, _ = User.objects.get_or_create(
        email="dev.kapoor@agency.example.org",
        defaults={"first_name": "Dev", "last_name": "Kapoor", "password": "!"},
    )
    educator.groups.add(Group.objects.get(name=Role.EDUCATOR))
    invitations_send(people=[(educator, Role.EDUCATOR)], invited_by=coordinator)
    invitation = Invitation.objects.filter(user=educator).latest("created_at")
    # Sent three days ago, so it still has eleven days to run.
    three_days = datetime.timedelta(days=3)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=invitation.created_at - three_days,
        expires_at=invitation.expires_at - three_days,
    )
    return invitation
