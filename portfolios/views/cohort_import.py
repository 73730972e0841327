"""The coordinator's cohort import: upload, preview every error, then import all or nothing."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.roles import Role
from portfolios.cohort_import import (
    COLUMNS,
    ImportFileError,
    decode,
    plan_import,
    read_records,
    template_csv,
)
from portfolios.forms.cohort_import import CohortUploadForm
from portfolios.models import CohortUpload
from portfolios.services import cohort_import as service
from portfolios.services.cohort_import import can_import_for, cohort_import
from portfolios.views.placements import role_required

# What the preview lists row by row before it says "and N more".
PREVIEW_ROWS = 200


@role_required(Role.COORDINATOR)
def cohort_import_upload(request):
    form = CohortUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        _discard_unimported(request.user)
        upload = CohortUpload(
            university=form.cleaned_data["university"],
            uploaded_by=request.user,
            original_name=form.cleaned_data["file"].name[-200:],
            sha256=hashlib.sha256(raw).hexdigest(),
        )
        upload.file.save("cohort.csv", ContentFile(raw), save=False)
        upload.save()
        return redirect(upload)
    context = {"form": form, "columns": COLUMNS}
    return render(request, "portfolios/cohort_import_upload.html", context)


def _discard_unimported(user) -> None:
    """A new upload replaces the coordinator's earlier ones that were never imported."""
    for old in CohortUpload.objects.filter(uploaded_by=user, imported_at__isnull=True):
        old.file.delete(save=False)
        old.delete()


@role_required(Role.COORDINATOR)
def cohort_import_preview(request, pk):
    upload = get_object_or_404(
        CohortUpload.objects.select_related("university"), pk=pk, uploaded_by=request.user
    )
    if not can_import_for(actor=request.user, university=upload.university):
        raise PermissionDenied("You are no longer a coordinator of this university.")
    if upload.state in (CohortUpload.State.QUEUED, CohortUpload.State.IMPORTED):
        return render(request, "portfolios/cohort_import_status.html", {"upload": upload})
    try:
        raw = service.cohort_upload_read(upload)
    except OSError:
        messages.error(request, "That file is no longer kept here. Please upload it again.")
        return redirect("portfolios:cohort-import")
    if request.method == "POST":
        return _commit(request, upload, raw)
    return _render_preview(request, upload, raw)


def _render_preview(request, upload, raw, errors: list[str] | None = None, status=200):
    try:
        plan = plan_import(raw=raw, university=upload.university)
    except ImportFileError as error:
        plan, file_error = None, str(error)
    else:
        file_error = ""
    context = {
        "upload": upload,
        "plan": plan,
        "file_error": file_error,
        "commit_errors": errors or upload.import_errors,
        "rows": plan.to_create[:PREVIEW_ROWS] if plan else [],
        "more_rows": max(0, len(plan.to_create) - PREVIEW_ROWS) if plan else 0,
        "inline_rows": service.INLINE_ROWS,
        "new_people": list(plan.new_people.values())[:PREVIEW_ROWS] if plan else [],
        "more_people": max(0, len(plan.new_people) - PREVIEW_ROWS) if plan else 0,
    }
    return render(request, "portfolios/cohort_import_preview.html", context, status=status)


def _commit(request, upload: CohortUpload, raw: bytes):
    if request.POST.get("sha256") != upload.sha256:
        messages.error(request, "The file changed since you saw its preview. Check it again.")
        return redirect(upload)
    if _row_count(raw) > service.INLINE_ROWS:
        service.cohort_upload_queue(actor=request.user, upload=upload)
        return redirect(upload)
    try:
        result = cohort_import(actor=request.user, university=upload.university, raw=raw)
    except (ValidationError, ImportFileError) as error:
        messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _render_preview(request, upload, raw, errors=messages_, status=400)
    service.cohort_upload_record(upload=upload, result=result)
    messages.success(
        request,
        f"Imported {len(result.placements)} placement{'s' * (len(result.placements) != 1)}; "
        f"{result.invited} invitation{'s' * (result.invited != 1)} sent.",
    )
    return redirect("portfolios:dashboard-cohort")


def _row_count(raw: bytes) -> int:
    """The file's rows, read without checking them: enough to choose page or worker."""
    try:
        return len(read_records(decode(raw)[0])[1])
    except ImportFileError:
        return 0


@require_GET
@role_required(Role.COORDINATOR)
def cohort_import_template(request):
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cohort-template.csv"'
    return response
