"""Charts drawn on the server as inline SVG (no JavaScript, no style attribute: the CSP forbids
inline styles). Every chart has a title and a description for screen readers, and the pages
show the same figures in a table. Series differ by colour and by line pattern."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Contrast ≥ 3:1 on white for graphical objects (WCAG 1.4.11).
COLOURS = ("#000091", "#b34000", "#18753c", "#6e445a")
DASHES = ("", "6 4", "2 3", "10 3 2 3")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]  # 0..100, one per axis


def _pt(x: float, y: float) -> str:
    return f"{x:.1f},{y:.1f}"


def radar(title: str, axes: Sequence[str], series: Sequence[Series], size: int = 420) -> Markup:
    centre, radius = size / 2, size / 2 - 90
    n = len(axes)

    def at(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        r = radius * max(0.0, min(100.0, value)) / 100
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    desc = "; ".join(
        f"{s.name} : " + ", ".join(f"{a} {v:.0f}/100" for a, v in zip(axes, s.values, strict=True))
        for s in series
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-labelledby="radar-t radar-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="radar-t">{escape(title)}</title><desc id="radar-d">{escape(desc)}</desc>',
    ]
    for ring in (25, 50, 75, 100):
        points = " ".join(_pt(*at(i, ring)) for i in range(n))
        parts.append(f'<polygon points="{points}" fill="none" stroke="#929292"/>')
        x, y = at(0, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11" fill="#3a3a3a">{ring}</text>'
        )
    for i, axis in enumerate(axes):
        x, y = at(i, 100)
        parts.append(
            f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#929292"/>'
        )
        lx, ly = at(i, 118)
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" font-size="13" '
            f'fill="#161616">{escape(axis)}</text>'
        )
    for k, s in enumerate(series):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        points = " ".join(_pt(*at(i, v)) for i, v in enumerate(s.values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        opacity = "0.15" if k == len(series) - 1 else "0"
        parts.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        for i, v in enumerate(s.values):
            x, y = at(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text was escaped above)


def legend(series: Sequence[Series]) -> list[tuple[str, str, str]]:
    """(name, colour, dash) per series, for the HTML legend beside a chart."""
    return [
        (s.name, COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]) for k, s in enumerate(series)
    ]


def swatch(colour: str, dash: str) -> Markup:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return Markup(  # noqa: S704  (numbers and colours from this module only)
        '<svg width="36" height="10" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="0" y1="5" x2="36" y2="5" stroke="{colour}" stroke-width="3"{dash_attr}/></svg>'
    )
