"""Turn ReportData into an A4 PDF with reportlab's platypus. Never queries the database.

The renderer owns the page geometry, a stylesheet of named paragraph styles, and the page
callbacks (header, footer with "Page X of Y", the DRAFT watermark); `story()` builds the
flowables from plain data. Long narratives and tables split across pages; table headers
repeat.
"""

import io
import weakref
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as PlatypusParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from assessments.report.data import ReportData, days_text

FONT_DIR = Path(__file__).parent / "fonts"
BRAND = colors.HexColor("#1f4e5f")
LIGHT = colors.HexColor("#e7f0f3")
GREY = colors.HexColor("#5f6b70")
ALERT = colors.HexColor("#b02a37")
DISCUSS_BG = colors.HexColor("#fff4d6")


def _register_fonts() -> None:
    # DejaVu covers the accented and non-Latin letters in people's names; the PDF core
    # fonts do not.
    if "DejaVu" in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont("DejaVu", FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVu-Oblique", FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdfmetrics.registerFontFamily(
        "DejaVu",
        normal="DejaVu",
        bold="DejaVu-Bold",
        italic="DejaVu-Oblique",
        boldItalic="DejaVu-Bold",
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=13.5, spaceAfter=5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5, spaceAfter=0),
        "cellbold": ParagraphStyle(
            "cellbold",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=8.5,
            leading=11.5,
            spaceAfter=0,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=22,
            leading=28,
            textColor=BRAND,
            spaceAfter=10,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=12, leading=16, textColor=GREY, spaceAfter=18
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=15,
            leading=20,
            textColor=BRAND,
            spaceBefore=12,
            spaceAfter=8,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=11.5,
            leading=15,
            textColor=BRAND,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "big": ParagraphStyle(
            "big",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=20,
            leading=26,
            textColor=BRAND,
            spaceAfter=6,
        ),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=16, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9, leading=13, leftIndent=14),
        "watermark": ParagraphStyle("wm", parent=base, alignment=TA_CENTER),
        "verify": ParagraphStyle(
            "verify",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=10,
            leading=14,
            textColor=BRAND,
        ),
        "quote": ParagraphStyle(
            "quote", parent=base, leftIndent=10, fontName="DejaVu-Oblique", textColor=GREY
        ),
        "alert": ParagraphStyle(
            "alert",
            parent=base,
            fontName="DejaVu-Bold",
            fontSize=11,
            leading=15,
            textColor=ALERT,
            spaceAfter=6,
        ),
    }


class Paragraph(PlatypusParagraph):
    """Platypus's paragraph, breaking its lines once per width.

    A paragraph in a table cell is wrapped to the same width when the table measures its rows,
    again when it draws them and again for each page the table splits over; breaking the lines
    is most of a paragraph's cost, and the answer depends only on the width (platypus drops
    the broken lines itself when a split needs them recomputed). Measured on the bench's large
    report: 6,480 wraps become 2,589 and the rendering takes a quarter less, byte for byte the
    same PDF.
    """

    def wrap(self, availWidth, availHeight):  # noqa: N803 (platypus's names)
        if availWidth == self.__dict__.get("_wrapped_at") and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


# Text with none of these goes straight to a fragment; with any, through platypus's parser.
MARKUP = frozenset("&<>\n")
_first_fragments: "weakref.WeakKeyDictionary[ParagraphStyle, object]" = weakref.WeakKeyDictionary()


def _plain_fragment(text: str, style: ParagraphStyle):
    """The fragment platypus's markup parser makes of plain text in this style, without running
    the parser (an HTML parser per paragraph, a quarter of the rendering): the style's first
    fragment, parsed once, with this text. tests/assessments/test_report_pdf.py checks it is
    the parser's answer for every style."""
    first = _first_fragments.get(style)
    if first is None:
        first = _first_fragments[style] = PlatypusParagraph("x", style).frags[0]
    return first.clone(text=text, link=[], us_lines=[])


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the user's plain text: escaped, line breaks kept."""
    text = text or ""
    if MARKUP.isdisjoint(text):
        cleaned = cleanBlockQuotedText(text)
        if cleaned:
            return Paragraph(cleaned, style, frags=[_plain_fragment(cleaned, style)])
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Long text as one paragraph per blank-line block, so it splits cleanly across pages."""
    blocks = [b.strip() for b in (text or "").split("\n\n") if b.strip()]
    return [_p(b, style) for b in blocks] or [_p("—", style)]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _NumberedCanvas(pdfcanvas.Canvas):
    """Holds each page until the end, so the footer can say "Page X of Y" and the contents
    page can list where each heading landed, in a single layout pass."""

    def __init__(self, *args, contents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []
        self._contents = contents

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_page_count(total)
            if self._contents is not None and self._pageNumber == self._contents.page:
                self._contents.draw_onto(self)
            super().showPage()
        super().save()

    def _draw_page_count(self, total: int) -> None:
        self.setFont("DejaVu", 8)
        self.setFillColor(GREY)
        self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {self._pageNumber} of {total}")


class _Contents(Flowable):
    """Reserves the contents page; the entries are drawn onto it when the document is saved,
    once every heading's page is known (so the document is laid out only once)."""

    def __init__(self, styles: dict[str, ParagraphStyle], top: float, left: float, width: float):
        super().__init__()
        self.styles, self.top, self.left, self.width = styles, top, left, width
        self.entries: list[tuple[int, str, int, str]] = []
        self.page = 0

    reserved = 0.0  # set by the renderer once it knows how many headings the story holds

    def wrap(self, available_width, available_height):
        return available_width, min(self.reserved, available_height * 0.9)

    def draw(self):
        self.page = self.canv.getPageNumber()

    def add(self, level: int, text: str, page: int, key: str) -> None:
        self.entries.append((level, text, page, key))

    def draw_onto(self, canvas) -> None:
        y = self.top
        for level, text, page, key in self.entries:
            style = self.styles["toc1" if level == 0 else "toc2"]
            indent = 0 if level == 0 else 14
            canvas.setFont("DejaVu-Bold" if level == 0 else "DejaVu", style.fontSize)
            canvas.setFillColor(colors.black)
            canvas.drawString(self.left + indent, y, text)
            canvas.drawRightString(self.left + self.width, y, str(page))
            canvas.linkRect("", key, (self.left, y - 3, self.left + self.width, y + 10), relative=0)
            y -= style.leading


class _Document(BaseDocTemplate):
    contents: _Contents | None = None

    def afterFlowable(self, flowable):  # noqa: N802 (reportlab's name)
        # Headings register themselves in the contents, with a bookmark to link to.
        level = getattr(flowable, "_toc_level", None)
        if level is not None and self.contents is not None:
            key = f"h{len(self.contents.entries)}"
            self.canv.bookmarkPage(key)
            self.contents.add(level, flowable.getPlainText(), self.page, key)


class ReportRenderer:
    page_size = A4
    margin = 18 * mm

    def __init__(
        self,
        data: ReportData,
        *,
        verification_code: str = "",
        verify_url: str = "",
        report_version: int | None = None,
    ):
        _register_fonts()
        self.data = data
        self.report_version = report_version
        self.styles = _styles()
        self.verification_code = verification_code
        self.verify_url = verify_url

    # --- page furniture -----------------------------------------------------------------

    def _on_page(self, canvas, doc) -> None:
        d = self.data
        width, height = self.page_size
        canvas.saveState()
        if doc.page > 1:
            canvas.setFont("DejaVu", 8)
            canvas.setFillColor(GREY)
            canvas.drawString(self.margin, height - 11 * mm, "Practice Portfolio")
            canvas.drawRightString(
                width - self.margin, height - 11 * mm, f"{d.student} · {d.programme}"
            )
            canvas.setStrokeColor(LIGHT)
            canvas.line(self.margin, height - 13 * mm, width - self.margin, height - 13 * mm)
        canvas.setFont("DejaVu", 8)
        canvas.setFillColor(GREY)
        if self.report_version:
            footer = f"Final assessment report · version {self.report_version} · {d.review_status}"
        else:
            footer = f"Final assessment report · draft · {d.review_status}"
        if self.verification_code:
            footer += f" · verify with code {self.verification_code}"
        canvas.drawString(self.margin, 10 * mm, footer)
        if d.draft:
            canvas.setFont("DejaVu-Bold", 90)
            canvas.setFillColor(colors.Color(0.85, 0.2, 0.2, alpha=0.18))
            canvas.translate(width / 2, height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, 0, "DRAFT")
        canvas.restoreState()

    # --- the story ------------------------------------------------------------------------

    def _heading(self, text: str, level: int = 0) -> Paragraph:
        paragraph = Paragraph(escape(text), self.styles["h1" if level == 0 else "h2"])
        paragraph._toc_level = level
        return paragraph

    def _table(self, rows, widths, header=True, zebra=True) -> Table:
        # splitInRow: a cell taller than a page (a long rationale, an item with many files)
        # continues on the next page instead of stopping the document.
        table = Table(
            rows,
            colWidths=widths,
            repeatRows=1 if header else 0,
            splitByRow=True,
            splitInRow=1,
        )
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dde0")),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style += [("BACKGROUND", (0, 0), (-1, 0), LIGHT)]
        table.setStyle(TableStyle(style))
        return table

    def _cover(self) -> list:
        d, s = self.data, self.styles
        educator = d.educator
        if d.educator_credentials:
            educator += f"\n{d.educator_credentials}"
        rows = [
            ("Student", d.student),
            ("Student number", d.student_number or "Not recorded"),
            ("Programme", d.programme),
            ("University", d.university),
            ("Stage", d.stage or "—"),
            ("Setting", d.setting),
            ("Area of practice", d.practice_area),
            ("Dates", f"{d.start_date:%-d %B %Y} to {d.end_date:%-d %B %Y}"),
            ("Days completed", f"{d.days_completed_text} of {d.required_days} required"),
            (d.educator_title.capitalize(), educator),
            ("On-site supervisor", d.supervisor),
            ("Tutor", d.tutor),
            ("Framework", d.framework),
            ("Level", d.level or "—"),
        ]
        table = self._table(
            [[_p(k, s["cellbold"]), _p(v, s["cell"])] for k, v in rows],
            [45 * mm, 129 * mm],
            header=False,
        )
        story = [
            Spacer(1, 8 * mm),
            Paragraph("Final assessment report", s["title"]),
            _p(f"{d.student} · {d.programme}, {d.university}", s["subtitle"]),
            table,
            Spacer(1, 8 * mm),
            Paragraph("Recommendation", s["h2"]),
            _p(d.recommendation, s["big"]),
            *self._days_short(),
            *self._at_a_glance(),
        ]
        if d.amendment_reason:
            story.append(_p(f"The review was amended: {d.amendment_reason}", s["body"]))
        if self.verification_code:
            story += [
                Spacer(1, 4 * mm),
                _p(
                    f"Verification code {self.verification_code}. Check that this document is "
                    f"authentic and unaltered at {self.verify_url}",
                    s["verify"],
                ),
            ]
        story.append(PageBreak())
        return story

    def _at_a_glance(self) -> list:
        """What a panel looks for first, so the cover carries the placement, not white space."""
        d, s = self.data, self.styles
        by_educator = sum(o.by_educator for o in d.observations)
        feedback = d.feedback.pieces if d.feedback else 0
        absent = next((n for label, n in d.attendance if label == "Days absent"), 0)
        rows = [
            [
                _p("Direct observations", s["cellbold"]),
                _p(f"{len(d.observations)}, of which {by_educator} by the educator", s["cell"]),
                _p("Service user and carer feedback", s["cellbold"]),
                _p(f"{feedback} pieces", s["cell"]),
            ],
            [
                _p("Strengths recorded", s["cellbold"]),
                _p(str(len(d.strengths)), s["cell"]),
                _p("Learning needs for the first year", s["cellbold"]),
                _p(str(len(d.learning_needs)), s["cell"]),
            ],
            [
                _p("Days absent", s["cellbold"]),
                _p(days_text(absent), s["cell"]),
                _p("Concerns raised", s["cellbold"]),
                _p(str(len(d.concerns)), s["cell"]),
            ],
        ]
        return [
            Paragraph("At a glance", s["h2"]),
            self._table(rows, [42 * mm, 45 * mm, 52 * mm, 35 * mm], header=False),
        ]

    def _contents_page(self) -> list:
        width, height = self.page_size
        self.contents = _Contents(
            self.styles,
            top=height - self.margin - 46,
            left=self.margin + 6,  # the frame's own padding, so entries align with headings
            width=width - 2 * self.margin - 12,
        )
        # The summary follows on the same page, so the contents never leave it mostly blank.
        return [Paragraph("Contents", self.styles["h1"]), self.contents, Spacer(1, 8 * mm)]

    def _grades_chart(self) -> Drawing:
        d = self.data
        height = 14 * len(d.domains) + 30
        drawing = Drawing(170 * mm, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 70 * mm, 20
        chart.width, chart.height = 90 * mm, height - 30
        chart.data = [[sec.grade_value for sec in reversed(d.domains)]]
        chart.categoryAxis.categoryNames = [
            _short(f"{sec.order}. {sec.name}", 46) for sec in reversed(d.domains)
        ]
        chart.categoryAxis.labels.fontName = "DejaVu"
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = d.scale_max
        chart.valueAxis.valueStep = 1
        chart.valueAxis.labels.fontName = "DejaVu"
        chart.valueAxis.labels.fontSize = 7
        chart.bars[0].fillColor = BRAND
        chart.bars[0].strokeColor = None
        for i, sec in enumerate(reversed(d.domains)):
            if not sec.meets_threshold:
                chart.bars[(0, i)].fillColor = colors.HexColor("#b8860b")
        drawing.add(chart)
        x = chart.x + chart.width * d.pass_value / max(d.scale_max, 1)
        drawing.add(
            Line(
                x,
                chart.y - 4,
                x,
                chart.y + chart.height + 4,
                strokeColor=colors.HexColor("#b02a37"),
                strokeDashArray=[2, 2],
            )
        )
        drawing.add(
            String(
                x + 2,
                chart.y + chart.height + 2,
                "pass threshold",
                fontName="DejaVu",
                fontSize=6.5,
                fillColor=colors.HexColor("#b02a37"),
            )
        )
        return drawing

    def _summary(self) -> list:
        d, s = self.data, self.styles
        story = [
            self._heading("Summary"),
            Paragraph("Recommendation", s["h2"]),
            _p(d.recommendation, s["big"]),
            *self._days_short(),
        ]
        story += _paragraphs(d.recommendation_justification, s["body"])
        if d.no_concern_reason:
            story.append(Paragraph("Why no concern was raised in time", s["h2"]))
            story += _paragraphs(d.no_concern_reason, s["body"])
        if d.recommendation_domains:
            story.append(_p(f"Rests on: {', '.join(d.recommendation_domains)}", s["body"]))
        story += [
            Paragraph(f"Grades by {escape(d.domain_word)}", s["h2"]),
            _p(f"On the {d.scale_name}; the dashed line marks the pass threshold.", s["small"]),
            self._grades_chart(),
        ]
        if d.points_to_discuss:
            story.append(
                _p(
                    "Points to discuss (the student's own rating two or more steps from the "
                    f"grade): {'; '.join(d.points_to_discuss)}",
                    s["body"],
                )
            )
        story.append(Paragraph("Strengths", s["h2"]))
        if d.strengths:
            for text, domains in d.strengths:
                tail = f" ({', '.join(domains)})" if domains else ""
                story.append(_p(f"• {text}{tail}", s["body"]))
        else:
            story.append(_p("None recorded.", s["body"]))
        story.append(CondPageBreak(40 * mm))
        story.append(Paragraph("Suitability for areas of practice", s["h2"]))
        story.append(_p("Recorded beside the recommendation, not as part of it.", s["small"]))
        rows = [
            [
                _p("Area of practice", s["cellbold"]),
                _p("Rating", s["cellbold"]),
                _p("Rationale", s["cellbold"]),
            ]
        ]
        rows += [
            [_p(r.area, s["cell"]), _p(r.rating, s["cell"]), _p(r.rationale or "—", s["cell"])]
            for r in d.suitability
        ] or [[_p("None recorded.", s["cell"]), "", ""]]
        story.append(self._table(rows, [45 * mm, 35 * mm, 94 * mm]))
        story += self._learning_needs()
        if d.summary:
            story += [Paragraph("Overall account", s["h2"]), *_paragraphs(d.summary, s["body"])]
        story.append(PageBreak())
        return story

    def _learning_needs(self) -> list:
        d, s = self.data, self.styles
        story = [
            CondPageBreak(40 * mm),
            self._heading("Learning needs for the first year in practice", level=1),
            _p(
                "Areas for development carried into the Assessed and Supported Year in "
                "Employment (ASYE), with the support suggested.",
                s["small"],
            ),
        ]
        rows = [
            [
                _p("Area for development", s["cellbold"]),
                _p("What to develop", s["cellbold"]),
                _p("Suggested support", s["cellbold"]),
            ]
        ]
        rows += [
            [_p(n.area, s["cell"]), _p(n.development, s["cell"]), _p(n.support or "—", s["cell"])]
            for n in d.learning_needs
        ] or [[_p("None recorded.", s["cell"]), "", ""]]
        story.append(self._table(rows, [40 * mm, 72 * mm, 62 * mm]))
        return story

    def _days_short(self) -> list:
        d = self.data
        if not d.days_short:
            return []
        return [_p(f"Days short of the requirement: {d.days_short_text}", self.styles["alert"])]

    def _self_view_box(self, view) -> list:
        """The student's own rating and account, set apart from the educator's judgement: a
        row per paragraph, so a long account splits between paragraphs, never inside one."""
        s = self.styles
        title = [
            _p(f"The student's own rating before the final review: {view.grade}", s["cellbold"])
        ]
        if view.to_discuss:
            title.append(
                _p(
                    "A point to discuss: two or more steps from the grade above.",
                    ParagraphStyle("discuss", parent=s["cellbold"], textColor=ALERT),
                )
            )
        rows = [[title]] + [[p] for p in _paragraphs(view.narrative, s["cell"])]
        table = Table(rows, colWidths=[170 * mm], splitByRow=True, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), DISCUSS_BG if view.to_discuss else LIGHT),
                    ("LINEBEFORE", (0, 0), (0, -1), 2, ALERT if view.to_discuss else BRAND),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return [CondPageBreak(25 * mm), table, Spacer(1, 4)]

    def _agreement_attendance(self) -> list:
        d, s = self.data, self.styles
        story = [self._heading("Learning agreement")]
        a = d.agreement
        if a is None:
            story.append(_p("No signed learning agreement.", s["body"]))
        else:
            signed = f", signed {a.signed_at:%-d %B %Y}" if a.signed_at else ""
            story.append(_p(f"Version {a.version}{signed}.", s["small"]))
            rows = [
                (
                    "Supervision",
                    ", ".join(filter(None, [a.supervision_frequency, a.supervision_length])) or "—",
                ),
            ]
            story.append(
                self._table(
                    [[_p(k, s["cellbold"]), _p(v, s["cell"])] for k, v in rows],
                    [45 * mm, 129 * mm],
                    header=False,
                )
            )
            goal_rows = [
                [
                    _p(d.domain_word.capitalize(), s["cellbold"]),
                    _p("What the student will learn", s["cellbold"]),
                ]
            ]
            goal_rows += [[_p(n, s["cell"]), _p(t, s["cell"])] for n, t in a.goals] or [
                [_p("No goals recorded.", s["cell"]), ""]
            ]
            story += [Spacer(1, 6), self._table(goal_rows, [60 * mm, 114 * mm])]
            sig_rows = [
                [
                    _p("Signed by", s["cellbold"]),
                    _p("Name", s["cellbold"]),
                    _p("Date", s["cellbold"]),
                ]
            ]
            sig_rows += [
                [
                    _p(sig.role, s["cell"]),
                    _p(sig.name, s["cell"]),
                    _p(f"{sig.at:%-d %B %Y}", s["cell"]),
                ]
                for sig in a.signatures
            ]
            story += [Spacer(1, 6), self._table(sig_rows, [60 * mm, 70 * mm, 44 * mm])]
        story += [CondPageBreak(50 * mm), self._heading("Attendance")]
        story.append(
            _p(
                f"Days completed: {d.days_completed_text} of {d.required_days} required, from "
                "the confirmed attendance log (placement and study days count).",
                s["body"],
            )
        )
        story += self._days_short()
        rows = [[_p("Confirmed days", s["cellbold"]), _p("Days", s["cellbold"])]]
        rows += [[_p(label, s["cell"]), _p(days_text(n), s["cell"])] for label, n in d.attendance]
        story.append(self._table(rows, [80 * mm, 30 * mm]))
        story[-1].hAlign = "LEFT"
        if d.absences:
            days = "; ".join(
                f"{day:%-d %b %Y}" + (" (half day)" if portion == "Half day" else "")
                for day, portion in d.absences
            )
            story += [Spacer(1, 4), _p(f"Absences: {days}.", s["body"])]
        else:
            story += [Spacer(1, 4), _p("No absences recorded.", s["body"])]
        story += self._observations()
        story += self._feedback()
        story.append(CondPageBreak(90 * mm))
        return story

    def _observations(self) -> list:
        d, s = self.data, self.styles
        story = [CondPageBreak(40 * mm), self._heading("Direct observations")]
        rows = [
            [
                _p("Date", s["cellbold"]),
                _p("Practice observed", s["cellbold"]),
                _p("Observed by", s["cellbold"]),
                _p("Educator", s["cellbold"]),
                _p(d.domain_word_plural.capitalize(), s["cellbold"]),
            ]
        ]
        rows += [
            [
                _p(f"{o.date:%-d %b %Y}", s["cell"]),
                _p(o.practice, s["cell"]),
                _p(o.observer, s["cell"]),
                _p("Yes" if o.by_educator else "No", s["cell"]),
                _p(", ".join(str(n) for n in o.domains), s["cell"]),
            ]
            for o in d.observations
        ] or [[_p("None recorded.", s["cell"]), "", "", "", ""]]
        story.append(self._table(rows, [22 * mm, 60 * mm, 40 * mm, 22 * mm, 30 * mm]))
        return story

    def _feedback(self) -> list:
        d, s = self.data, self.styles
        f = d.feedback
        story = [CondPageBreak(40 * mm), self._heading("Service user and carer feedback")]
        if f is None or not f.pieces:
            return story + [_p("No feedback was given through the portfolio.", s["body"])]
        story.append(
            _p(
                f"{f.pieces} pieces of feedback: {f.service_users} from people the student "
                f"worked with, {f.carers} from carers or family, {f.others} not saying.",
                s["body"],
            )
        )
        rows = [[_p("", s["cellbold"])] + [_p(k, s["cellbold"]) for k in f.listened]]
        rows.append(
            [_p("Felt listened to", s["cell"])]
            + [_p(str(n), s["cell"]) for n in f.listened.values()]
        )
        rows.append(
            [_p("Felt respected", s["cell"])]
            + [_p(str(n), s["cell"]) for n in f.respected.values()]
        )
        table = self._table(rows, [50 * mm] + [30 * mm] * len(f.listened))
        table.hAlign = "LEFT"
        story.append(table)
        if f.quotations:
            story.append(Paragraph("In their own words, chosen by the educator", s["h2"]))
            for went_well, could_improve in f.quotations:
                if went_well:
                    story.append(_p(f"What went well: “{went_well}”", s["quote"]))
                if could_improve:
                    story.append(_p(f"What could be better: “{could_improve}”", s["quote"]))
        return story

    def _domains(self) -> list:
        d, s = self.data, self.styles
        story = [self._heading(d.domain_word_plural.capitalize())]
        if not d.final_self_assessed:
            story.append(
                _p(
                    "The student did not submit a self-assessment before the final review.",
                    s["small"],
                )
            )
        for sec in d.domains:
            story.append(CondPageBreak(35 * mm))
            story.append(self._heading(f"{sec.order}. {sec.name}", level=1))
            story.append(_p(f"Grade: {sec.grade}", s["cellbold"]))
            story.append(Spacer(1, 3))
            story += _paragraphs(sec.narrative, s["body"])
            if sec.self_view:
                story += self._self_view_box(sec.self_view)
            if sec.evidence:
                rows = [
                    [
                        _p("Evidence it rests on", s["cellbold"]),
                        _p("Kind", s["cellbold"]),
                        _p("Date", s["cellbold"]),
                    ]
                ]
                rows += [
                    [
                        _p(e.title, s["cell"]),
                        _p(e.kind, s["cell"]),
                        _p(f"{e.date:%-d %b %Y}", s["cell"]),
                    ]
                    for e in sec.evidence
                ]
                story.append(self._table(rows, [100 * mm, 48 * mm, 26 * mm]))
            else:
                story.append(_p("No evidence cited.", s["small"]))
            story.append(Spacer(1, 6))
        story.append(PageBreak())
        return story

    def _midpoint_concerns_comments(self) -> list:
        d, s = self.data, self.styles
        story = [self._heading("Midpoint review")]
        if d.midpoint_outcome:
            signed = f", signed {d.midpoint_signed_on:%-d %B %Y}" if d.midpoint_signed_on else ""
            story.append(
                _p(f"Outcome at the midpoint: {d.midpoint_outcome}{signed}", s["cellbold"])
            )
            story += _paragraphs(d.midpoint_summary, s["body"]) if d.midpoint_summary else []
            rows = [
                [
                    _p(d.domain_word.capitalize(), s["cellbold"]),
                    _p("Grade", s["cellbold"]),
                    _p("The student's own rating", s["cellbold"]),
                ]
            ]
            discussed = []
            for i, row in enumerate(d.midpoint_grades, start=1):
                own = row.self_view.grade if row.self_view else "—"
                if row.self_view and row.self_view.to_discuss:
                    own += " · a point to discuss"
                    discussed.append(i)
                rows.append([_p(row.name, s["cell"]), _p(row.grade, s["cell"]), _p(own, s["cell"])])
            table = self._table(rows, [84 * mm, 45 * mm, 45 * mm])
            for i in discussed:
                table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), DISCUSS_BG)]))
            story.append(table)
            if not d.midpoint_self_assessed:
                story.append(
                    _p(
                        "The student did not submit a self-assessment before the midpoint review.",
                        s["small"],
                    )
                )
        else:
            story.append(_p("No signed midpoint review.", s["body"]))
        story.append(self._heading("Concerns and action plans"))
        if not d.concerns:
            story.append(_p("No concerns were raised.", s["body"]))
        for c in d.concerns:
            block = [
                _p(
                    f"Raised {c.raised_on:%-d %B %Y} by {c.raised_by} · {', '.join(c.domains)} · "
                    f"review {c.review_date:%-d %B %Y} · outcome: {c.outcome}",
                    s["cellbold"],
                ),
                *_paragraphs(c.description, s["body"]),
            ]
            for domain, target in c.targets:
                block.append(_p(f"Target ({domain}): {target}", s["body"]))
            if c.outcome_note:
                block.append(_p(f"Outcome: {c.outcome_note}", s["body"]))
            story.append(KeepTogether(block[:3]))
            story += block[3:]
            story.append(Spacer(1, 6))
        story.append(CondPageBreak(30 * mm))
        story.append(self._heading("Comments"))
        comments = [
            (
                "The on-site supervisor's statement",
                d.supervisor_statement,
                "No statement." if d.supervisor != "None" else "No on-site supervisor.",
            ),
            ("The student's comments", d.student_comment, "The student added no comments."),
            ("The tutor's countersign comment", d.countersign_comment, "No comment."),
            ("The panel's decision note", d.panel_note, "No note."),
        ]
        for title, text, empty in comments:
            story.append(Paragraph(escape(title), s["h2"]))
            story += _paragraphs(text, s["body"]) if text else [_p(empty, s["small"])]
        return story

    def _signatures(self) -> list:
        d, s = self.data, self.styles
        widths = [60 * mm, 55 * mm, 59 * mm]
        header = [
            _p("Role", s["cellbold"]),
            _p("Name", s["cellbold"]),
            _p("Date and time", s["cellbold"]),
        ]
        story = [
            CondPageBreak(50 * mm),
            self._heading("Declarations and signatures"),
            self._table([header], widths),
        ]
        for sig in d.declarations:
            rows = [
                [
                    _p(sig.role, s["cell"]),
                    _p(sig.name, s["cell"]),
                    _p(f"{sig.at:%-d %B %Y, %H:%M %Z}", s["cell"]),
                ],
                [_p(f"“{sig.declaration}”", s["cell"]), "", ""],
            ]
            table = self._table(rows, widths, header=False)
            # The declaration spans the row under its signer's name; the two never part.
            table.setStyle(
                TableStyle(
                    [("SPAN", (0, 1), (-1, 1)), ("LINEBELOW", (0, 0), (-1, 0), 0, colors.white)]
                )
            )
            story.append(KeepTogether([table]))
        if not d.declarations:
            story.append(
                self._table([[_p("Not yet signed.", s["cell"]), "", ""]], widths, header=False)
            )
        story.append(PageBreak())
        return story

    def _evidence_index(self) -> list:
        d, s = self.data, self.styles
        story = [
            self._heading("Evidence index"),
            _p(
                f"Every submitted or accepted item mapped to a {d.domain_word}, its status, "
                f"the {d.domain_word_plural} it is mapped to (by number), and the SHA-256 of "
                "each file.",
                s["small"],
            ),
        ]
        rows = [
            [
                _p("Evidence", s["cellbold"]),
                _p("Kind", s["cellbold"]),
                _p("Status", s["cellbold"]),
                _p("Date", s["cellbold"]),
                _p(d.domain_word_plural.capitalize(), s["cellbold"]),
            ]
        ]
        for e in d.evidence_index:
            title = escape(e.title)
            for name, digest in e.files:
                title += f"<br/><font size='6.5' color='#5f6b70'>{escape(name)}: {digest}</font>"
            rows.append(
                [
                    Paragraph(title, s["cell"]),
                    _p(e.kind, s["cell"]),
                    _p(e.status, s["cell"]),
                    _p(f"{e.date:%-d %b %Y}", s["cell"]),
                    _p(", ".join(str(n) for n in e.domains), s["cell"]),
                ]
            )
        if len(rows) == 1:
            rows.append([_p("No evidence.", s["cell"]), "", "", "", ""])
        story.append(self._table(rows, [66 * mm, 34 * mm, 24 * mm, 25 * mm, 25 * mm]))
        return story

    def story(self) -> list:
        return [
            *self._cover(),
            *self._contents_page(),
            *self._summary(),
            *self._agreement_attendance(),
            *self._domains(),
            *self._midpoint_concerns_comments(),
            *self._signatures(),
            *self._evidence_index(),
        ]

    def render(self) -> bytes:
        buffer = io.BytesIO()
        d = self.data
        doc = _Document(
            buffer,
            pagesize=self.page_size,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            title=d.title + (" (draft)" if d.draft else ""),
            author=f"{d.educator} ({d.educator_title}), Practice Portfolio",
            subject=f"{d.programme}, {d.university}: {d.framework}",
            creator="Practice Portfolio",
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._on_page)])
        story = self.story()
        levels = [getattr(f, "_toc_level", None) for f in story]
        self.contents.reserved = sum(
            self.styles["toc1" if level == 0 else "toc2"].leading
            for level in levels
            if level is not None
        )
        doc.contents = self.contents
        contents = self.contents

        def canvasmaker(*args, **kwargs):
            return _NumberedCanvas(*args, contents=contents, **kwargs)

        doc.build(story, canvasmaker=canvasmaker)
        return buffer.getvalue()


def render_pdf(
    data: ReportData,
    *,
    verification_code: str = "",
    verify_url: str = "",
    report_version: int | None = None,
) -> bytes:
    """The report as PDF bytes. A stored report passes its version and verification code,
    which the footer prints and the verification page confirms."""
    return ReportRenderer(
        data,
        verification_code=verification_code,
        verify_url=verify_url,
        report_version=report_version,
    ).render()
