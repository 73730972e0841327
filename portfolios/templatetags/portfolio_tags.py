import threading

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# What a student's reflective writing may use: structure and emphasis, never scripts, styles,
# images or raw HTML. nh3 (the ammonia sanitiser) strips anything else.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
}


_local = threading.local()


def _markdown() -> md.Markdown:
    """This thread's converter, reset. Building one (its parser and extensions) cost more than
    converting a reflection; a page lists dozens. reset() clears what the last text left."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(
            extensions=["tables", "sane_lists"], output_format="html"
        )
    return converter.reset()


@register.filter
def markdown_safe(text: str) -> str:
    html = _markdown().convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)


@register.filter
def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
