"""The printed certificate: a one-page PDF with a QR code, a PNG preview, and their views.

The PDF is rendered once after issue (see :mod:`certification.tasks`) and kept in the
default storage with its SHA-256; the views render it on demand if it is missing.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from certification.models import Certificate
from courses.models import CoursePage
from courses.selectors import can_see_all_cohorts, teaches
from lms.security import log_event

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

LANGUAGES = ("kk", "ru", "en")
TITLES = {"kk": "СЕРТИФИКАТ", "ru": "СЕРТИФИКАТ", "en": "CERTIFICATE"}
COMPLETED = {
    "kk": "«{title}» курсын аяқтады",
    "ru": "завершил(а) курс «{title}»",
    "en": "has completed the course “{title}”",
}
HOURS = "Академиялық сағат / Академических часов / Academic hours: {hours}"
COHORT = "Топ / Поток / Cohort: {cohort}"
ISSUED = "Берілген күні / Дата выдачи / Issued on: {date}"
EXPIRES = "Жарамдылық мерзімі / Действителен до / Valid until: {date}"
NUMBER = "№ {number}"
VERIFY = "Тексеру / Проверка / Verify: {url}"


def verify_url(certificate: Certificate, *, base_url: str) -> str:
    """The public verification address printed on the certificate and in its QR code."""
    return f"{base_url.rstrip('/')}/v/{certificate.printed_number}"


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (a full-size QR code, never a Micro QR)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _cohort_line(certificate: Certificate) -> str:
    dates = " – ".join(
        _date(day) for day in (certificate.cohort_starts_on, certificate.cohort_ends_on) if day
    )
    cohort = ", ".join(part for part in (certificate.cohort_name, dates) if part)
    return COHORT.format(cohort=cohort) if cohort else ""


def render_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    """One A4 landscape page, in Kazakh, Russian and English, with a QR code to verify it."""
    url = verify_url(certificate, base_url=base_url)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"{TITLES['en']} {certificate.printed_number}")
    pdf.set_author(certificate.issuer)
    pdf.set_creator("LMS")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 18, 20)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(BOLD))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    def line(text: str, size: float, *, style: str = "", gap: float = 0) -> None:
        if not text:
            return
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    pdf.set_y(18)
    line(certificate.issuer, 11, gap=4)
    line(TITLES["kk"], 26, style="B")
    line(TITLES["ru"], 16, style="B")
    line(TITLES["en"], 16, style="B", gap=5)
    name_size = 24.0  # shrink a long name to fit one line, down to 16 pt, then wrap
    pdf.set_font("DejaVu", "B", name_size)
    while name_size > 16 and pdf.get_string_width(certificate.holder_name) > width:
        name_size -= 1
        pdf.set_font("DejaVu", "B", name_size)
    line(certificate.holder_name, name_size, style="B", gap=3)
    titles = certificate.course_titles or {}
    for language in LANGUAGES:
        if titles.get(language):
            line(COMPLETED[language].format(title=titles[language]), 12, gap=1)
    pdf.ln(3)
    line(HOURS.format(hours=certificate.academic_hours), 10)
    line(_cohort_line(certificate), 10)
    line(ISSUED.format(date=_date(certificate.issued_at.date())), 10)
    if certificate.expires_on:
        line(EXPIRES.format(date=_date(certificate.expires_on)), 10)

    qr_size = 38
    qr_x, qr_y = pdf.w - pdf.r_margin - qr_size, pdf.h - 16 - qr_size
    pdf.image(io.BytesIO(qr_png(url)), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_xy(pdf.l_margin, pdf.h - 36)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(qr_x - pdf.l_margin - 5, 8, NUMBER.format(number=certificate.printed_number))
    pdf.set_xy(pdf.l_margin, pdf.h - 27)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(qr_x - pdf.l_margin - 5, 6, VERIFY.format(url=url))
    return bytes(pdf.output())


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines[:3]


def render_png_preview(certificate: Certificate, *, language: str = "ru") -> bytes:
    """A small (800×566) PNG of the certificate: the holder, the course and the number."""
    size = (800, 566)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, size[0] - 11, size[1] - 11), outline="black", width=3)
    draw.rectangle((18, 18, size[0] - 19, size[1] - 19), outline="black", width=1)

    def centred(text: str, y: int, font) -> int:
        x = (size[0] - draw.textlength(text, font=font)) / 2
        draw.text((x, y), text, font=font, fill="black")
        return y + font.size + 12

    title_font = ImageFont.truetype(str(BOLD), 36)
    name_font = ImageFont.truetype(str(BOLD), 30)
    text_font = ImageFont.truetype(str(REGULAR), 20)
    y = centred(" / ".join(dict.fromkeys(TITLES.values())), 60, title_font) + 30
    for name_line in _wrap(draw, certificate.holder_name, name_font, size[0] - 80):
        y = centred(name_line, y, name_font)
    y += 20
    for title_line in _wrap(draw, certificate.course_title(language), text_font, size[0] - 80):
        y = centred(title_line, y, text_font)
    centred(NUMBER.format(number=certificate.printed_number), size[1] - 90, text_font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def certificate_document_issue(certificate: Certificate, *, base_url: str) -> Certificate:
    """Render the certificate's PDF once, store it and record its SHA-256."""
    if certificate.pdf and certificate.pdf_sha256:
        return certificate
    data = render_pdf(certificate, base_url=base_url)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf", "pdf_sha256"])
    return certificate


# Views ------------------------------------------------------------------------------


def _may_view(user, certificate: Certificate) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == certificate.holder_id:
        return True
    if can_see_all_cohorts(user) or user.has_perm("certification.view_certificate"):
        return True
    course = CoursePage.objects.filter(translation_key=certificate.course_key).first()
    return course is not None and teaches(user=user, course=course)


def _certificate_for(request: HttpRequest, pk: int, event: str) -> Certificate:
    """The certificate if the user may see it; 404 otherwise, never revealing it exists."""
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None or not _may_view(request.user, certificate):
        raise Http404
    if request.user.pk != certificate.holder_id:
        log_event(event, actor=request.user.email, number=certificate.number)
    return certificate


@never_cache
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    certificate = _certificate_for(request, pk, "certificate_pdf_view")
    if not (certificate.pdf and certificate.pdf_sha256):
        certificate = certificate_document_issue(
            certificate, base_url=settings.WAGTAILADMIN_BASE_URL
        )
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.printed_number}.pdf",
        content_type="application/pdf",
    )


@never_cache
@require_GET
def certificate_preview(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate_for(request, pk, "certificate_preview_view")
    language = getattr(request, "LANGUAGE_CODE", None) or "ru"
    return HttpResponse(
        render_png_preview(certificate, language=language), content_type="image/png"
    )


__all__ = [
    "certificate_document_issue",
    "certificate_pdf",
    "certificate_preview",
    "qr_png",
    "render_pdf",
    "render_png_preview",
    "verify_url",
]
