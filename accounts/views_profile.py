from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from accounts.profile import ProfessionalDetailsForm, may_record_details, professional_details_save


@login_required
def professional_details(request):
    """The person's own stage and registration number, printed on the reports they sign."""
    if not may_record_details(request.user):
        raise PermissionDenied("Professional details are for practice educators and staff.")
    form = ProfessionalDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            professional_details_save(
                actor=request.user,
                educator_stage=form.cleaned_data["educator_stage"],
                registration_number=form.cleaned_data["registration_number"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your professional details are saved.")
            return redirect("accounts:professional-details")
    return render(request, "accounts/professional_details.html", {"form": form})
