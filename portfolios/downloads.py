"""How a stored evidence file reaches the browser, after the view has checked permission."""

from django.http import FileResponse, HttpResponse

from portfolios.models import EvidenceFile


def evidence_file_response(item: EvidenceFile) -> HttpResponse:
    """Always an attachment, never rendered inline: a PDF with scripts is sent as plain bytes."""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type="application/octet-stream" if item.active_content else item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
