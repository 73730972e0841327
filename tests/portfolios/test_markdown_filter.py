"""The reflection filter: Markdown to sanitised HTML, with one converter reused per thread."""

from portfolios.templatetags.portfolio_tags import markdown_safe

TABLE = "| Week | Visits |\n|---|---|\n| 1 | 3 |\n\n1. first\n2. second\n"


def test_it_renders_structure_and_strips_scripts():
    html = markdown_safe('**Bold** and <script>alert("x")</script>\n\n' + TABLE)
    assert "<strong>Bold</strong>" in html
    assert "<table>" in html and "<td>3</td>" in html
    assert "<ol>" in html
    assert "<script>" not in html


def test_a_reused_converter_carries_nothing_from_one_text_to_the_next():
    alone = markdown_safe("Plain words, *emphasis*.")
    markdown_safe(TABLE + "\n[a link](https://example.org)\n")
    assert markdown_safe("Plain words, *emphasis*.") == alone
    assert markdown_safe("") == ""
    assert markdown_safe(None) == ""
