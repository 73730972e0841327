"""The attendance log: the student records days; the on-site supervisor or educator confirms
them a week at a time."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from portfolios.views.common import placement_for


@login_required
def attendance(request, pk):
    placement_for(request, pk)
    raise Http404("Not built yet.")
