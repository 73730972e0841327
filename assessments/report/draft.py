"""The draft report of a review not yet signed, rendered once per version of its content.

Rendering the PDF is most of what a draft download costs (about 130 ms for a 19-page report,
against about 30 ms to gather its data), and an educator or tutor downloads the same draft
again and again while nothing in it changes. The rendered bytes are kept in Django's cache
(`CACHE_URL`) under a key made from the report data itself: the renderer draws nothing but
that data, so the same data gives the same document, and any change to anything the report
prints (a grade, a narrative, a citation, a strength, an evidence title, a day of attendance,
a person's name) gives a new key. Nothing has to remember to invalidate it, and the review's
content needs no timestamps or version counter of its own: citations, strengths and
suitability ratings have none.
"""

import hashlib
from pathlib import Path

from django.core.cache import cache

from assessments.models import Review
from assessments.report import pdf
from assessments.report.data import ReportData, report_data_for

# A day: long enough to serve a morning's repeated downloads, short enough that drafts
# nobody asks for again leave the cache by themselves.
DRAFT_CACHE_SECONDS = 24 * 60 * 60
# A new version of the renderer draws the same data differently, so it starts a new key.
_RENDERER = hashlib.sha256(Path(pdf.__file__).read_bytes()).hexdigest()[:16]


def draft_cache_key(review: Review, data: ReportData) -> str:
    digest = hashlib.sha256(f"{_RENDERER}\n{data!r}".encode()).hexdigest()
    return f"report-draft:{review.pk}:{digest}"


def draft_pdf(review: Review) -> bytes:
    """The draft report as PDF bytes: from the cache when its data has not changed since it
    was last rendered, otherwise rendered now and kept."""
    data = report_data_for(review)
    key = draft_cache_key(review, data)
    rendered = cache.get(key)
    if rendered is None:
        rendered = pdf.render_pdf(data)
        cache.set(key, rendered, DRAFT_CACHE_SECONDS)
    return rendered
