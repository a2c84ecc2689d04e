"""Pictures for the demo news, drawn with Pillow: no photograph is copied from anywhere."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

SIZE = (1200, 675)


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    if factor >= 1:
        return tuple(int(c + (255 - c) * (factor - 1)) for c in (red, green, blue))
    return tuple(int(c * factor) for c in (red, green, blue))


def _classroom(draw: ImageDraw.ImageDraw, light, dark) -> None:
    draw.rectangle((300, 90, 900, 300), fill=dark)  # the board
    for row in range(3):
        for seat in range(5):
            x = 180 + seat * 180
            y = 380 + row * 90
            draw.rounded_rectangle((x, y, x + 120, y + 40), radius=8, fill=light)
            draw.ellipse((x + 40, y - 42, x + 80, y - 2), fill=light)


def _forum(draw, light, dark) -> None:
    draw.ellipse((420, 220, 780, 460), fill=dark)
    for index in range(12):
        angle = index * math.tau / 12
        x, y = 600 + 290 * math.cos(angle), 340 + 200 * math.sin(angle)
        draw.ellipse((x - 30, y - 30, x + 30, y + 30), fill=light)


def _documents(draw, light, dark) -> None:
    for offset in range(3):
        x, y = 380 + offset * 60, 110 + offset * 40
        draw.rectangle((x, y, x + 380, y + 460), fill=light, outline=dark, width=6)
    for line in range(8):
        y = 230 + line * 40
        draw.line((540, y, 840, y), fill=dark, width=8)


def _village(draw, light, dark) -> None:
    draw.rectangle((0, 520, SIZE[0], SIZE[1]), fill=dark)
    for index in range(5):
        x = 110 + index * 210
        draw.rectangle((x, 380, x + 150, 520), fill=light)
        draw.polygon([(x - 20, 380), (x + 75, 290), (x + 170, 380)], fill=dark)
        draw.rectangle((x + 55, 440, x + 95, 520), fill=dark)


def _handshake(draw, light, dark) -> None:
    draw.ellipse((330, 170, 670, 510), fill=light)
    draw.ellipse((530, 170, 870, 510), fill=dark)


def _laptop(draw, light, dark) -> None:
    draw.rounded_rectangle((360, 150, 840, 450), radius=16, fill=dark)
    draw.rectangle((390, 180, 810, 420), fill=light)
    draw.polygon([(300, 470), (900, 470), (960, 530), (240, 530)], fill=dark)


def _chart(draw, light, dark) -> None:
    draw.line((220, 560, 980, 560), fill=dark, width=10)
    for index, height in enumerate((140, 220, 180, 300, 380)):
        x = 280 + index * 140
        draw.rectangle((x, 560 - height, x + 90, 560), fill=light)


def _map(draw, light, dark) -> None:
    outline = [
        (180, 330),
        (300, 200),
        (520, 170),
        (700, 230),
        (900, 190),
        (1040, 300),
        (980, 430),
        (760, 500),
        (520, 470),
        (330, 520),
        (220, 440),
    ]
    draw.polygon(outline, fill=light, outline=dark, width=8)
    for x, y in ((420, 330), (640, 300), (820, 380)):
        draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=dark)


MOTIFS = {
    "classroom": _classroom,
    "forum": _forum,
    "documents": _documents,
    "village": _village,
    "handshake": _handshake,
    "laptop": _laptop,
    "chart": _chart,
    "map": _map,
}


def cover_png(*, motif: str, colour: str) -> bytes:
    """A 1200×675 illustration: the motif in two shades over a plain background."""
    image = Image.new("RGB", SIZE, _shade(colour, 1.0))
    draw = ImageDraw.Draw(image)
    MOTIFS[motif](draw, _shade(colour, 1.75), _shade(colour, 0.55))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
