"""Small files a student attaches to demo evidence (a PDF, a Word document, a PNG image),
made at seed time so the demo's files go through the real upload checks and carry hashes.
Used by seed_demo; not a command of its own."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from portfolios.uploads import DOCX, PDF


def pdf_file(name: str, title: str, lines: tuple[str, ...]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [Paragraph(title, styles["Title"]), Spacer(1, 12)]
    story += [Paragraph(line, styles["BodyText"]) for line in lines]
    SimpleDocTemplate(buffer, pagesize=A4, title=title, invariant=True).build(story)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=PDF)


def docx_file(name: str, title: str, rows: tuple[str, ...]) -> SimpleUploadedFile:
    """A process recording in its three columns; each row is "said | felt | analysis"."""
    document = Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, heading in zip(
        table.rows[0].cells,
        ("What was said", "What I felt and thought", "My analysis"),
        strict=True,
    ):
        cell.text = heading
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row.split(" | "), strict=True):
            cell.text = text
    document.add_paragraph("Discussed in supervision; my educator's comments are on the portfolio.")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=DOCX)


def png_file(name: str, centre: str, around: tuple[str, ...]) -> SimpleUploadedFile:
    """An ecomap: the person in the middle, the people and services around them."""
    size, middle = 480, 240
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    spots = [(240, 60), (420, 150), (400, 350), (240, 430), (80, 350), (60, 150)]
    for label, (x, y) in zip(around, spots, strict=False):
        draw.line((middle, middle, x, y), fill=(40, 90, 160), width=3)
        draw.ellipse((x - 48, y - 28, x + 48, y + 28), outline=(40, 90, 160), fill="white", width=2)
        draw.text((x, y), label, fill="black", anchor="mm")
    draw.ellipse((middle - 60, middle - 36, middle + 60, middle + 36), outline="black", width=3)
    draw.text((middle, middle), centre, fill="black", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
