from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from notifications.forms import MailPreferenceForm
from notifications.services import mail_preference_of, mail_preference_set


@login_required
def mail_preferences(request):
    """Each person chooses immediate emails or a daily summary; it concerns only themselves."""
    form = MailPreferenceForm(
        request.POST or None, initial={"frequency": mail_preference_of(user=request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            mail_preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your email preference is saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
