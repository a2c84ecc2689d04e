"""The printed certificate: a one-page PDF with a QR code, and a PNG preview.

The PDF is rendered once after issue (see :mod:`certification.tasks`) and kept in the
default storage, which is private (``lms/storage.py``), with its SHA-256, which the
verify page publishes. It is reproducible: rendered again from the certificate's
snapshot it is the same bytes (the creation date is the date of issue, the document id
is derived from the content, the QR PNG has no timestamp), so a file that was lost is
rendered again on demand with the same hash.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import pickle
import threading
from collections import OrderedDict
from pathlib import Path

import segno
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer
from PIL import Image, ImageDraw, ImageFont

from certification import history
from certification.layout import LANGUAGES, Layout, fill, layout_of, load_asset
from certification.models import Certificate
from lms.links import absolute_url
from lms.security import log_event

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
# The same fonts cut down to the letters certificates print (Latin with Kazakh Latin,
# Cyrillic with Kazakh, punctuation, ₸ and №; fonts/LICENSE says how they were cut):
# reading a full font on every render was most of a PDF's cost. Text with a letter
# outside them is printed with the full fonts.
COMMON_REGULAR = FONTS / "DejaVuSans-Common.ttf"
COMMON_BOLD = FONTS / "DejaVuSans-Common-Bold.ttf"

TITLES = {"kk": "СЕРТИФИКАТ", "ru": "СЕРТИФИКАТ", "en": "CERTIFICATE"}
COMPLETED = {
    "kk": "«{title}» курсын аяқтады",
    "ru": "завершил(а) курс «{title}»",
    "en": "has completed the course “{title}”",
}
HOURS = "Академиялық сағат / Академических часов / Academic hours: {hours}"
COHORT = "Топ / Поток / Cohort: {cohort}"
TOTAL = "Курс бойынша қорытынды баға / Итоговая оценка за курс / Course total: {total}%"
ISSUED = "Берілген күні / Дата выдачи / Issued on: {date}"
EXPIRES = "Жарамдылық мерзімі / Действителен до / Valid until: {date}"
NUMBER = "№ {number}"
VERIFY = "Тексеру / Проверка / Verify: {url}"


def verify_url(certificate: Certificate) -> str:
    """The public verification address printed on the certificate and in its QR code:
    on ``SITE_URL``, whoever or whatever renders it."""
    return absolute_url(f"/v/{certificate.printed_number}")


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (a full-size QR code, never a Micro QR)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _qr_image(url: str) -> Image.Image:
    """The picture :func:`qr_png` encodes, for the PDF: drawn by Pillow rather than
    written as a PNG by segno in Python and read back by fpdf2 (the same bytes in the
    PDF)."""
    code = segno.make(url, error="m", micro=False)
    side = code.symbol_size(scale=1, border=4)[0]
    dots = bytes(0 if dark else 255 for row in code.matrix_iter(scale=1, border=4) for dark in row)
    small = Image.frombytes("L", (side, side), dots)
    return small.resize((side * 10, side * 10), Image.Resampling.NEAREST).convert("1")


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _dates(certificate: Certificate) -> str:
    return " – ".join(
        _date(day) for day in (certificate.cohort_starts_on, certificate.cohort_ends_on) if day
    )


def _cohort_line(certificate: Certificate) -> str:
    cohort = ", ".join(part for part in (certificate.cohort_name, _dates(certificate)) if part)
    return COHORT.format(cohort=cohort) if cohort else ""


def _total_line(certificate: Certificate) -> str:
    """The course total as printed ("" when the certificate has none)."""
    if certificate.course_total is None:
        return ""
    return TOTAL.format(total=f"{certificate.course_total.normalize():f}")


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def issuer_lines(certificate: Certificate) -> list[str]:
    """The issuer's name in each language kept at issue, Kazakh first; one line when the
    names are the same or only one was kept (certificates issued before there were more)."""
    names = certificate.issuer_names or {}
    lines = [names[lang] for lang in LANGUAGES if names.get(lang)]
    return list(dict.fromkeys(lines)) or [certificate.issuer]


def title_lines(layout: Layout) -> list[str]:
    """The title lines, Kazakh first: the template's, or the built-in ones."""
    titles = layout.titles or TITLES
    return [titles[lang] for lang in LANGUAGES if titles.get(lang)]


def body_lines(certificate: Certificate, layout: Layout) -> list[str]:
    """What the holder did, one paragraph per language: the template's body with its
    placeholders filled, or the built-in sentence for each language the course has."""
    if layout.body:
        values = {
            "hours": str(certificate.academic_hours),
            "cohort": certificate.cohort_name,
            "dates": _dates(certificate),
        }
        return [
            fill(layout.body[lang], {**values, "course": certificate.course_title(lang)})
            for lang in LANGUAGES
            if layout.body.get(lang)
        ]
    titles = certificate.course_titles or {}
    return [COMPLETED[lang].format(title=titles[lang]) for lang in LANGUAGES if titles.get(lang)]


def _image_size(data: bytes, *, height: float, max_width: float) -> tuple[float, float]:
    """Width and height (mm) that keep the image's proportions within the bounds."""
    with Image.open(io.BytesIO(data)) as image:
        ratio = image.width / image.height if image.height else 1
    width = min(height * ratio, max_width)
    return width, width / ratio


@functools.cache
def _common_letters() -> frozenset[int]:
    with TTFont(COMMON_REGULAR, lazy=True) as regular, TTFont(COMMON_BOLD, lazy=True) as bold:
        return frozenset(regular.getBestCmap()) & frozenset(bold.getBestCmap())


def printed_text(certificate: Certificate, layout: Layout, url: str) -> str:
    """Every line the PDF prints (the dates' digits and separators included), for
    choosing its fonts."""
    lines = [
        *issuer_lines(certificate),
        *title_lines(layout),
        certificate.holder_name,
        *body_lines(certificate, layout),
        HOURS.format(hours=certificate.academic_hours),
        _total_line(certificate),
        _cohort_line(certificate),
        ISSUED.format(date="0123456789."),
        EXPIRES,
        NUMBER.format(number=certificate.printed_number),
        VERIFY.format(url=url),
        *(f"{signatory.name}{signatory.position}" for signatory in layout.signatories),
    ]
    return "".join(lines)


def _fonts_for(text: str) -> tuple[Path, Path]:
    if {ord(letter) for letter in text if not letter.isspace()} <= _common_letters():
        return COMMON_REGULAR, COMMON_BOLD
    return REGULAR, BOLD


FAMILY = "DejaVu"

# Every letter a certificate commonly prints, in a fixed order: the three languages'
# alphabets (Kazakh in both scripts), digits, punctuation and the fixed lines' own.
# Each font's subset holds all of them whichever a certificate prints, so certificates
# differ only in the letters' codes, never in the font embedded: one subset per font
# is made per process (a subset of the letters each certificate prints was made anew
# for every one, as names and numbers differ: half of a PDF's cost).
PRINTABLE = "".join(
    dict.fromkeys(
        "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
        "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        "ÄäĞğÖöŪūÜüŞşİıÑñ"
        "0123456789 .,:;!?«»“”„—–-()/№₸%\"'"
        + "".join((*TITLES.values(), *COMPLETED.values()))
        + HOURS
        + COHORT
        + TOTAL
        + ISSUED
        + EXPIRES
        + NUMBER
        + VERIFY
    )
)


@functools.cache
def _parsed_font(path: Path) -> tuple[TTFFont, bytes]:
    """The font as fpdf2 reads it, read once per process (its character map, widths and
    glyph names: a third of a PDF's cost), and its fontTools tables pickled, from which
    a document takes a copy of its own when no kept subset serves it
    (:func:`_tables_keeping_subset`). Never printed with."""
    reader = FPDF()
    reader.add_font(FAMILY, "", str(path))
    font = reader.fonts[FAMILY.lower()]
    # Tables not read yet are read when a copy is embedded: from bytes in memory, which
    # the copy takes with it, rather than from an open file.
    font.ttfont.reader.file = io.BytesIO(path.read_bytes())
    return font, pickle.dumps(font.ttfont, protocol=pickle.HIGHEST_PROTOCOL)


def _add_font(pdf: FPDF, style: str, path: Path) -> None:
    """What ``pdf.add_font(FAMILY, style, path)`` does, from the parsed font. The font's
    tables are only needed to embed it, and most documents embed a subset kept from an
    earlier one: they are taken when the document is written (:class:`_Output`)."""
    parsed, _tables = _parsed_font(path)
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{FAMILY.lower()}{style}"
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = _Unread(path)
    font.cw = copy.copy(parsed.cw)
    font.desc = copy.copy(parsed.desc)  # embedding gives it the document's object ids
    font.missing_glyphs = []
    font.subset = _printable_subset_map(font, path)
    pdf.fonts[font.fontkey] = font


@functools.cache
def _printable_subset(path: Path) -> SubsetMap:
    """The font's letters of :data:`PRINTABLE`, each with its code (never printed with)."""
    subset = SubsetMap(_parsed_font(path)[0])
    for letter in PRINTABLE:
        subset.pick(ord(letter))
    return subset


def _printable_subset_map(font: TTFFont, path: Path) -> SubsetMap:
    """A document's own map of the letters it uses, holding all of :data:`PRINTABLE`."""
    printable = _printable_subset(path)
    subset = SubsetMap.__new__(SubsetMap)
    subset.font = font
    subset._next = printable._next
    subset._reserved = list(printable._reserved)
    subset._char_id_per_glyph = dict(printable._char_id_per_glyph)
    return subset


class _Unread:
    """Where a font's tables will come from, until the document is written."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def close(self) -> None:
        pass


class _KeptSubset(TTFont):
    """A font subset embedded before, standing in for the font's tables: fpdf2 subsets
    it (nothing to do: it has no tables), asks its glyph ids and writes it."""

    def __init__(self, data: bytes, glyph_ids: dict[str, int]) -> None:
        super().__init__()
        self._data = data
        self._glyph_ids = glyph_ids
        self.setGlyphOrder(sorted(glyph_ids, key=glyph_ids.__getitem__))

    def getGlyphID(self, glyphName: str) -> int:
        return self._glyph_ids[glyphName]

    def save(self, file, reorderTables: bool = True) -> None:
        file.write(self._data)


# What embedding a font writes for a set of glyphs (the subset file and each glyph's
# id in it), by font file and glyph names: the same for every certificate printing
# the same letters, and subsetting and writing a font was half of a PDF's cost. The
# font files ship with the code, so an entry is never out of date.
_SUBSETS: OrderedDict[tuple[Path, frozenset[str]], tuple[bytes, dict[str, int]]] = OrderedDict()
_SUBSETS_KEPT = 64
_SUBSETS_LOCK = threading.Lock()


def _kept_subset(key: tuple[Path, frozenset[str]]) -> tuple[bytes, dict[str, int]] | None:
    with _SUBSETS_LOCK:
        kept = _SUBSETS.get(key)
        if kept is not None:
            _SUBSETS.move_to_end(key)
        return kept


def _keep_subset(key: tuple[Path, frozenset[str]], ttfont: TTFont, data: bytes) -> None:
    glyph_ids = {name: ttfont.getGlyphID(name) for name in ttfont.getGlyphOrder()}
    with _SUBSETS_LOCK:
        _SUBSETS[key] = (data, glyph_ids)
        while len(_SUBSETS) > _SUBSETS_KEPT:
            _SUBSETS.popitem(last=False)


def _tables_keeping_subset(path: Path, key: tuple[Path, frozenset[str]]) -> TTFont:
    """A copy of the font's tables of the document's own (embedding cuts them down to
    the letters it prints; unpickling costs a tenth of parsing the file), which keeps
    what it writes for the next document with the same letters."""
    ttfont = pickle.loads(_parsed_font(path)[1])  # noqa: S301 (our own bytes)
    save = ttfont.save

    def save_and_keep(file, reorderTables: bool = True) -> None:
        buffer = io.BytesIO()
        save(buffer, reorderTables)
        data = buffer.getvalue()
        _keep_subset(key, ttfont, data)
        file.write(data)

    ttfont.save = save_and_keep
    return ttfont


class _Output(OutputProducer):
    """fpdf2's writer, given each font's tables only now: a subset kept from an earlier
    document with the same letters, or a copy of the font that keeps its subset."""

    def _add_fonts(self, *args, **kwargs):
        for font in self.fpdf.fonts.values():
            if isinstance(getattr(font, "ttfont", None), _Unread):
                path = font.ttfont.path
                key = (path, frozenset(font.subset.get_all_glyph_names()))
                kept = _kept_subset(key)
                font.ttfont = _KeptSubset(*kept) if kept else _tables_keeping_subset(path, key)
        return super()._add_fonts(*args, **kwargs)


def render_pdf(certificate: Certificate) -> bytes:
    """One A4 page, in Kazakh, Russian and English, with a QR code to verify it.

    The certificate's layout (copied from its course's template at issue) sets the
    orientation, colours, title lines, body text, logo and signatories; an empty one
    prints the built-in landscape layout. The same certificate gives the same bytes
    every time (with the same fpdf2 and fonts): nothing depends on the clock.
    """
    layout = layout_of(certificate)
    url = verify_url(certificate)
    pdf = FPDF(orientation="L" if layout.landscape else "P", unit="mm", format="A4")
    # fpdf2 stamps "now" as the creation date and derives the document id (/ID) from
    # the content and that date: the date of issue makes both the same on every render.
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_title(f"{TITLES['en']} {certificate.printed_number}")
    pdf.set_author(certificate.issuer)
    pdf.set_creator("LMS")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 18, 20)
    regular, bold = _fonts_for(printed_text(certificate, layout, url))
    _add_font(pdf, "", regular)
    _add_font(pdf, "B", bold)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    primary, accent = _rgb(layout.primary_colour), _rgb(layout.accent_colour)

    pdf.set_draw_color(*primary)
    pdf.set_line_width(0.8)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_draw_color(*accent)
    pdf.set_line_width(0.3)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    logo_bottom, indent = 0.0, 0.0  # lines beside a corner logo keep clear of it

    def room() -> float:
        return width - 2 * (indent if pdf.get_y() < logo_bottom else 0)

    def line(text: str, size: float, *, style: str = "", gap: float = 0, colour=(0, 0, 0)):
        if not text:
            return
        pdf.set_text_color(*colour)
        pdf.set_font("DejaVu", style, size)
        available = room()
        pdf.set_x(pdf.l_margin + (width - available) / 2)
        _centred(pdf, available, size * 0.5, text, new_x="LMARGIN")
        if gap:
            pdf.ln(gap)

    top = 18.0
    spare = 0 if layout.landscape else 10.0  # a portrait page has room to breathe
    logo = load_asset(layout.logo)
    if logo:
        # Landscape: the top-left corner, beside the issuer line; portrait: centred above.
        if layout.landscape:
            logo_w, logo_h = _image_size(logo, height=20, max_width=30)
            pdf.image(io.BytesIO(logo), x=pdf.l_margin, y=16, w=logo_w, h=logo_h)
            logo_bottom, indent = 16 + logo_h, logo_w + 4
        else:
            logo_w, logo_h = _image_size(logo, height=24, max_width=60)
            pdf.image(io.BytesIO(logo), x=(pdf.w - logo_w) / 2, y=18, w=logo_w, h=logo_h)
            top = 18 + logo_h + 6
    pdf.set_y(top)
    issuers = issuer_lines(certificate)
    for index, issuer in enumerate(issuers):
        last = index == len(issuers) - 1
        line(issuer, 11 if len(issuers) == 1 else 9, gap=4 if last else 0)

    def fitting(text: str, size: float, smallest: float) -> float:
        """Shrink a long line to fit the width, down to ``smallest``; then it wraps."""
        pdf.set_font("DejaVu", "B", size)
        while size > smallest and pdf.get_string_width(text) > room() - 2 * pdf.c_margin - 0.5:
            size -= 1
            pdf.set_font("DejaVu", "B", size)
        return size

    titles = title_lines(layout)
    for index, title in enumerate(titles):
        size = fitting(title, 26, 16) if index == 0 else fitting(title, 16, 11)
        gap = 5 if index == len(titles) - 1 else 0
        line(title, size, style="B", gap=gap + spare, colour=primary)
    name_size = fitting(certificate.holder_name, 24, 16)
    line(certificate.holder_name, name_size, style="B", gap=3 + spare, colour=accent)
    for paragraph in body_lines(certificate, layout):
        line(paragraph, 12, gap=1 + spare / 4)
    pdf.ln(3 + spare)
    line(HOURS.format(hours=certificate.academic_hours), 10)
    if certificate.course_total is not None:
        line(_total_line(certificate), 10)
    line(_cohort_line(certificate), 10)
    line(ISSUED.format(date=_date(certificate.issued_on)), 10)
    if certificate.expires_on:
        line(EXPIRES.format(date=_date(certificate.expires_on)), 10)

    qr_size = 38
    qr_x, qr_y = pdf.w - pdf.r_margin - qr_size, pdf.h - 16 - qr_size
    pdf.image(_qr_image(url), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    if layout.signatories:
        _signatories(pdf, layout.signatories, right=qr_x - 6, bottom=pdf.h - 40)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, pdf.h - 36)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(qr_x - pdf.l_margin - 5, 8, NUMBER.format(number=certificate.printed_number))
    pdf.set_xy(pdf.l_margin, pdf.h - 27)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(qr_x - pdf.l_margin - 5, 6, VERIFY.format(url=url))
    return bytes(pdf.output(output_producer_class=_Output))


def _signatories(pdf: FPDF, signatories, *, right: float, bottom: float) -> None:
    """Side by side above the number: signature image, a rule, name and position."""
    slot = (right - pdf.l_margin) / len(signatories)
    block_top = bottom - 24
    pdf.set_text_color(0, 0, 0)
    for index, signatory in enumerate(signatories):
        x = pdf.l_margin + index * slot
        inner = slot - 6
        signature = load_asset(signatory.signature)
        if signature:
            sig_w, sig_h = _image_size(signature, height=12, max_width=min(inner, 45))
            pdf.image(
                io.BytesIO(signature), x=x + (inner - sig_w) / 2, y=block_top, w=sig_w, h=sig_h
            )
        pdf.set_line_width(0.2)
        pdf.line(x, block_top + 13, x + inner, block_top + 13)
        pdf.set_xy(x, block_top + 14)
        pdf.set_font("DejaVu", "B", 9)
        _centred(pdf, inner, 4, signatory.name, new_x="LEFT")
        pdf.set_font("DejaVu", "", 8)
        _centred(pdf, inner, 3.5, signatory.position, new_x="LEFT")


def _centred(pdf: FPDF, width: float, height: float, text: str, *, new_x: str) -> None:
    """Centred text, wrapped to the width. A line that plainly fits is printed as one
    cell: the same bytes as ``multi_cell`` prints for it, without fpdf2's line
    breaking, which measures the text again for every letter (a fifth of a PDF's cost).
    """
    room = width - 2 * pdf.c_margin - 0.5  # near the edge, multi_cell decides
    if "\n" not in text and text == text.strip() and pdf.get_string_width(text) < room:
        pdf.cell(width, height, text, align="C", new_x=new_x, new_y="NEXT")
    else:
        pdf.multi_cell(width, height, text, align="C", new_x=new_x, new_y="NEXT")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, limit: int = 3) -> list[str]:
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
    return lines[:limit]


def render_png_preview(certificate: Certificate, *, language: str = "ru") -> bytes:
    """A small PNG of the certificate (800×566, or 566×800 in portrait): title, holder,
    course, signatories' names and the number. Signature images are left out: the
    preview is shown on public pages, where a copy of a signature has no business."""
    layout = layout_of(certificate)
    size = (800, 566) if layout.landscape else (566, 800)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, size[0] - 11, size[1] - 11), outline=layout.primary_colour, width=3)
    draw.rectangle((18, 18, size[0] - 19, size[1] - 19), outline=layout.accent_colour, width=1)

    def centred(text: str, y: int, font, fill: str = "black") -> int:
        x = (size[0] - draw.textlength(text, font=font)) / 2
        draw.text((x, y), text, font=font, fill=fill)
        return y + font.size + 12

    y = 44
    logo = load_asset(layout.logo)
    if logo:
        with Image.open(io.BytesIO(logo)) as mark:
            mark = mark.convert("RGBA")
            mark.thumbnail((160, 64))
            image.paste(mark, ((size[0] - mark.width) // 2, y), mark)
            y += mark.height + 16
    name_font = ImageFont.truetype(str(BOLD), 30)
    text_font = ImageFont.truetype(str(REGULAR), 20)
    small_font = ImageFont.truetype(str(REGULAR), 16)
    titles = layout.titles or TITLES
    title = titles.get(language) or title_lines(layout)[0]
    title_size = 36  # one title line, in the preview's language, shrunk to two lines at most
    title_font = ImageFont.truetype(str(BOLD), title_size)
    while title_size > 18 and len(_wrap(draw, title, title_font, size[0] - 80, limit=9)) > 2:
        title_size -= 2
        title_font = ImageFont.truetype(str(BOLD), title_size)
    for title_line in _wrap(draw, title, title_font, size[0] - 80)[:2]:
        y = centred(title_line, y, title_font, layout.primary_colour)
    y += 30
    for name_line in _wrap(draw, certificate.holder_name, name_font, size[0] - 80):
        y = centred(name_line, y, name_font, layout.accent_colour)
    y += 20
    for title_line in _wrap(draw, certificate.course_title(language), text_font, size[0] - 80):
        y = centred(title_line, y, text_font)
    if layout.signatories:
        slot = (size[0] - 80) / len(layout.signatories)
        for index, signatory in enumerate(layout.signatories):
            text = _wrap(draw, signatory.name, small_font, int(slot) - 10)[:1]
            if text:
                x = 40 + index * slot + (slot - draw.textlength(text[0], font=small_font)) / 2
                draw.text((x, size[1] - 130), text[0], font=small_font, fill="black")
    centred(NUMBER.format(number=certificate.printed_number), size[1] - 90, text_font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# Changed whenever render_png_preview draws differently, so cached pictures and the
# browsers' copies of them are replaced.
PREVIEW_VERSION = 1
PREVIEW_CACHE_SECONDS = 7 * 24 * 3600


def preview_etag(certificate: Certificate, *, language: str) -> str:
    """What the preview is drawn from, as a short hash: the certificate's snapshot (it
    never changes after issue; revocation takes the public preview away) and the
    language. The verify page's picture is its ETag's rendering."""
    drawn_from = [
        PREVIEW_VERSION,
        language,
        certificate.number,
        certificate.holder_name,
        certificate.course_titles,
        certificate.layout,
    ]
    encoded = json.dumps(drawn_from, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


def png_preview_cached(certificate: Certificate, *, language: str) -> tuple[str, bytes]:
    """The preview and its ETag, rendered once per state and kept in the shared cache:
    the verify page is what a QR code opens, and the picture costs ~100 ms to draw."""
    etag = preview_etag(certificate, language=language)
    key = f"certification:preview:{etag}"
    png = cache.get(key)
    if png is None:
        png = render_png_preview(certificate, language=language)
        cache.set(key, png, PREVIEW_CACHE_SECONDS)
    return etag, png


def _document_stored(certificate: Certificate) -> bool:
    return bool(certificate.pdf and certificate.pdf_sha256) and certificate.pdf.storage.exists(
        certificate.pdf.name
    )


def certificate_document_issue(certificate: Certificate) -> Certificate:
    """Make sure the certificate's PDF is stored: render it, store it and record its
    SHA-256 the first time, and render it again when the stored file has been lost.

    A re-rendered file normally has the recorded hash (see :func:`render_pdf`). If it
    has not (the renderer or its fonts changed since, or a layout image was lost too),
    the new hash replaces the published one, and the certificates' ledger and the audit
    log say so, with both hashes: the state the ledger checks is unchanged, so
    ``verify_history`` stays clean.
    """
    if _document_stored(certificate):
        return certificate
    with transaction.atomic():
        # One render at a time per certificate: concurrent downloads of a lost file
        # would otherwise each store a copy under a name of their own.
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if _document_stored(locked):
            return locked
        data = render_pdf(locked)
        previous = locked.pdf_sha256
        name = locked.pdf.field.generate_filename(locked, f"{locked.number}.pdf")
        if locked.pdf.storage.exists(name):
            # Left by a render cut off before the row was saved: the same document
            # (renders are reproducible), under the name it should keep.
            locked.pdf.storage.delete(name)
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(data), save=False)
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
        changed = bool(previous) and previous != locked.pdf_sha256
        if changed:
            history.record(
                certificate=locked,
                action="document_rerender",
                actor="system",
                details={"previous_pdf_sha256": previous, "pdf_sha256": locked.pdf_sha256},
            )
    if previous:
        log_event(
            "certificate_document_rerender",
            actor="system",
            number=locked.number,
            same_hash=not changed,
        )
    return locked


__all__ = [
    "certificate_document_issue",
    "qr_png",
    "render_pdf",
    "render_png_preview",
    "verify_url",
]
