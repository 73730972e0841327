"""Every status colour in our stylesheet reads at WCAG AA (4.5:1): the badges carry white text
on their colour, and the amber outline button ("Ask for a revision", "Return to the practice
educator") is amber text on white."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "app.css").read_text()
STATUS_RULE = re.compile(
    r"^(?P<selectors>\.(?:status|evidence|review|suit|concern)-[^{]+)\{\s*background-color:\s*"
    r"(?P<colour>#[0-9a-fA-F]{6});",
    re.MULTILINE,
)
WHITE = "#ffffff"


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


STATUS_COLOURS = [(m["selectors"].strip(), m["colour"]) for m in STATUS_RULE.finditer(CSS)]


def test_the_stylesheet_has_the_status_colours_this_test_reads():
    names = " ".join(selectors for selectors, _ in STATUS_COLOURS)
    for status in ("status-deferred", "evidence-revision_requested", "concern-extended"):
        assert status in names


@pytest.mark.parametrize(("selectors", "colour"), STATUS_COLOURS)
def test_white_text_on_each_status_colour_reaches_aa(selectors, colour):
    assert contrast(colour, WHITE) >= 4.5, f"{selectors} {colour}"


def test_the_amber_outline_button_reaches_aa_before_and_on_hover():
    rule = re.search(r"\.btn-outline-warning\s*\{(?P<body>[^}]*)\}", CSS)["body"]
    props = dict(re.findall(r"(--bs-btn-[a-z-]+):\s*(#[0-9a-fA-F]{6})", rule))
    assert contrast(props["--bs-btn-color"], WHITE) >= 4.5
    assert contrast(props["--bs-btn-hover-bg"], props["--bs-btn-hover-color"]) >= 4.5
    assert contrast(props["--bs-btn-active-bg"], props["--bs-btn-active-color"]) >= 4.5


def test_the_contrast_sum_is_right():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#b8860b", WHITE) < 4.5  # the amber that failed axe
