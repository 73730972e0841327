"""Small parts of a placement drawn on every row of the lists: its status badge, days
completed and evidence coverage. Tags rather than `{% include %}`s: a list draws each of them
once a row, and an include (a template looked up, a context pushed and rendered) cost more
than the row's own cells (docs/performance.md)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def status_badge(placement) -> str:
    return format_html(
        '<span class="badge status-badge status-{}">{}</span>',
        placement.status,
        placement.get_status_display(),
    )


@register.simple_tag
def days_progress(placement) -> str:
    return format_html(
        '<div class="d-flex align-items-center gap-2">'
        '<progress class="flex-grow-1" max="{}" value="{}" aria-label="Days completed">'
        "{}%</progress>"
        '<span class="small text-nowrap">{}/{} days</span>'
        "</div>",
        placement.required_days,
        floatformat(placement.days_completed, "-1u"),
        placement.progress_percent,
        floatformat(placement.days_completed, "-1"),
        placement.required_days,
    )


def _shade(n: int) -> str:
    return " n3" if n >= 3 else " n2" if n == 2 else " n1" if n == 1 else ""


@register.simple_tag
def coverage_bar(coverage) -> str:
    """One cell per domain, shaded by how much evidence shows it; `coverage` is
    [(domain, count)]."""
    label = "; ".join(f"{domain.name}: {n}" for domain, n in coverage)
    cells = format_html_join(
        "",
        '<span class="cov-cell{}" title="{}. {}: {}"></span>',
        ((_shade(n), domain.order, domain.name, n) for domain, n in coverage),
    )
    return format_html('<div class="cov-bars" role="img" aria-label="{}">{}</div>', label, cells)
