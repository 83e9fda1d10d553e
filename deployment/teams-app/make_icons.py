"""Draw the two Teams app icons (color.png 192x192, outline.png 32x32).

Standard library only (zlib + struct), so that building the app package never needs
Pillow. Run it again only when the design changes; the PNGs are committed.

    python deployment/teams-app/make_icons.py
"""
from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

Pixel = tuple[int, int, int, int]  # RGBA

ACCENT: Pixel = (0x1F, 0x5F, 0xA8, 255)  # the manifest's accentColor
WHITE: Pixel = (255, 255, 255, 255)
CLEAR: Pixel = (0, 0, 0, 0)


def encode_png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGBA PNG whose pixel (x, y) is pixel(x, y)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type "None" for every scanline
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _near_segment(px: float, py: float, a: tuple[float, float], b: tuple[float, float], r: float) -> bool:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r


def _on_check(px: float, py: float, size: int, thickness: float) -> bool:
    # A check mark drawn in the unit square, scaled to the icon.
    s = size
    short = ((0.30 * s, 0.52 * s), (0.44 * s, 0.66 * s))
    long = ((0.44 * s, 0.66 * s), (0.71 * s, 0.36 * s))
    return _near_segment(px, py, *short, thickness) or _near_segment(px, py, *long, thickness)


def color_pixel(x: int, y: int) -> Pixel:
    """192x192, full colour: a white answer sheet with a check mark on the accent colour."""
    cx, cy = x + 0.5, y + 0.5
    if _on_check(cx, cy, 192, 9.0):
        return ACCENT
    if 44 <= cx <= 148 and 30 <= cy <= 162:
        return WHITE
    return ACCENT


def outline_pixel(x: int, y: int) -> Pixel:
    """32x32, white on transparent (Teams tints it): the sheet's border and the check mark."""
    cx, cy = x + 0.5, y + 0.5
    inside_outer = 6 <= x <= 25 and 3 <= y <= 28
    inside_inner = 8 <= x <= 23 and 5 <= y <= 26
    if (inside_outer and not inside_inner) or _on_check(cx, cy, 32, 1.6):
        return WHITE
    return CLEAR


def main() -> None:
    here = Path(__file__).resolve().parent
    (here / "color.png").write_bytes(encode_png(192, 192, color_pixel))
    (here / "outline.png").write_bytes(encode_png(32, 32, outline_pixel))


if __name__ == "__main__":
    main()
