"""The student's development summary: what a first employer needs from the final report
(strengths, the areas of practice the student suits, and the learning needs for the first year
in practice), on two pages at most, with the report's verification code. Never queries."""

import io

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from assessments.report.data import ReportData
from assessments.report.pdf import GREY, ReportRenderer, _NumberedCanvas, _p


class SummaryRenderer(ReportRenderer):
    def _on_page(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("DejaVu", 8)
        canvas.setFillColor(GREY)
        footer = f"Development summary · {self.data.student}"
        if self.verification_code:
            footer += f" · verify with code {self.verification_code}"
        canvas.drawString(self.margin, 10 * mm, footer)
        canvas.restoreState()

    def story(self) -> list:
        d, s = self.data, self.styles
        educator = d.educator + (f" ({d.educator_credentials})" if d.educator_credentials else "")
        rows = [
            ("Programme", f"{d.programme}, {d.university}"),
            ("Placement", f"{d.setting} · {d.practice_area}"),
            ("Dates", f"{d.start_date:%-d %B %Y} to {d.end_date:%-d %B %Y}"),
            ("Days completed", f"{d.days_completed_text} of {d.required_days} required"),
            (d.educator_title.capitalize(), educator),
            ("Outcome", f"{d.recommendation}, {d.review_status.lower()}"),
        ]
        story = [
            Paragraph("Development summary", s["title"]),
            _p(
                f"{d.student}: for a first employer, from the final assessment report",
                s["subtitle"],
            ),
            self._table(
                [[_p(k, s["cellbold"]), _p(v, s["cell"])] for k, v in rows],
                [45 * mm, 129 * mm],
                header=False,
            ),
            Paragraph("Strengths", s["h2"]),
        ]
        for text, domains in d.strengths or [("None recorded.", [])]:
            tail = f" ({', '.join(domains)})" if domains else ""
            story.append(_p(f"• {text}{tail}", s["body"]))
        story.append(Paragraph("Suitability for areas of practice", s["h2"]))
        rows = [[_p(h, s["cellbold"]) for h in ("Area of practice", "Rating", "Rationale")]]
        rows += [
            [_p(r.area, s["cell"]), _p(r.rating, s["cell"]), _p(r.rationale or "—", s["cell"])]
            for r in d.suitability
        ] or [[_p("None recorded.", s["cell"]), "", ""]]
        story.append(self._table(rows, [45 * mm, 35 * mm, 94 * mm]))
        story += self._learning_needs()
        if self.verification_code:
            story += [
                Spacer(1, 6 * mm),
                _p(
                    f"Verification code {self.verification_code} (final assessment report, "
                    f"version {self.report_version}). Check it at {self.verify_url}: the answer "
                    "names the student's initials, programme and outcome.",
                    s["verify"],
                ),
            ]
        return story

    def render(self) -> bytes:
        buffer = io.BytesIO()
        d = self.data
        doc = SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            title=f"Development summary: {d.student}",
            author="Practice Portfolio",
            subject=f"{d.programme}, {d.university}",
            creator="Practice Portfolio",
        )
        doc.build(
            self.story(),
            onFirstPage=self._on_page,
            onLaterPages=self._on_page,
            canvasmaker=_NumberedCanvas,
        )
        return buffer.getvalue()


def render_summary(
    data: ReportData, *, verification_code: str, verify_url: str, report_version: int
) -> bytes:
    return SummaryRenderer(
        data,
        verification_code=verification_code,
        verify_url=verify_url,
        report_version=report_version,
    ).render()
