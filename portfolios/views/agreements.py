"""The learning agreement: drafted by the educator or student, signed by everyone."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from portfolios.views.common import placement_for


@login_required
def agreement_detail(request, pk):
    placement_for(request, pk)
    raise Http404("Not built yet.")
