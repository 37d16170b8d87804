"""The printable QR poster of a survey link (A4 or A5) as a PDF: unit, Pemda logo, question, QR
code and address. WeasyPrint is imported only when a poster is made."""

import base64
import io

from django.template.loader import render_to_string

from mutu.surveys.models import SurveyLink


def poster_pdf(*, link: SurveyLink, url: str, size: str) -> bytes:
    import segno
    from weasyprint import HTML

    buffer = io.BytesIO()
    segno.make(url, error="q").save(buffer, kind="svg", scale=10, border=2, xmldecl=False)
    qr = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
    html = render_to_string(
        "surveys/poster_print.html",
        {"link": link, "url": url, "pemda": link.unit.pemda, "size": size, "qr": qr},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
