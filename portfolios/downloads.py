"""How a stored evidence file reaches the browser, after the view has checked permission."""

import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from storages.backends.s3 import S3Storage

from portfolios.models import EvidenceFile


def evidence_file_response(item: EvidenceFile) -> HttpResponse:
    """Always an attachment, never rendered inline: a PDF with scripts is sent as plain bytes."""
    content_type = "application/octet-stream" if item.active_content else item.content_type
    if isinstance(item.file.storage, S3Storage):
        return _signed_redirect(item, content_type)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_redirect(item: EvidenceFile, content_type: str) -> HttpResponse:
    """Object storage sends the bytes itself: a URL signed for a few seconds, which makes it
    answer with our headers, so the app server never streams the file."""
    url = item.file.storage.url(
        item.file.name,
        parameters={
            "ResponseContentDisposition": attachment_header(item.download_name),
            "ResponseContentType": content_type,
        },
    )
    response = HttpResponseRedirect(url)
    # The signed URL is a short-lived key to the file: no cache may keep or share it.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_header(filename: str) -> str:
    """`attachment` with a plain-ASCII name every client reads and, when the real name is not
    plain ASCII, the exact name encoded as RFC 5987 for clients that read that."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(c for c in fallback if c.isprintable() and c not in '"\\')
    stem, dot, extension = fallback.rpartition(".")
    if not (stem if dot else extension).strip(" ."):
        fallback = f"download{dot}{extension}"  # nothing of the name was ASCII
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
