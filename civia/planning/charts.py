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


def _wrap(label: str, width: int = 16) -> list[str]:
    """Words on lines of about `width` characters (SVG text does not wrap by itself)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def radar(title: str, axes: Sequence[str], series: Sequence[Series], size: int = 400) -> Markup:
    width = size + 260  # room for the axis labels left and right
    cx, cy, radius = width / 2, size / 2, size / 2 - 50
    n = len(axes)

    def at(index: int, value: float, scale: float = 1.0) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        r = scale * radius * max(0.0, min(100.0, value)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    desc = "; ".join(
        f"{s.name} : " + ", ".join(f"{a} {v:.0f}/100" for a, v in zip(axes, s.values, strict=True))
        for s in series
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {size}" width="{width}" height="{size}" '
        f'role="img" aria-labelledby="radar-t radar-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="radar-t">{escape(title)}</title><desc id="radar-d">{escape(desc)}</desc>',
    ]
    for ring in (25, 50, 75, 100):
        points = " ".join(_pt(*at(i, ring)) for i in range(n))
        parts.append(f'<polygon points="{points}" fill="none" stroke="#929292"/>')
        x, y = at(0, ring)
        parts.append(
            f'<text x="{x + 5:.1f}" y="{y + 12:.1f}" font-size="11" fill="#3a3a3a">{ring}</text>'
        )
    for i, axis in enumerate(axes):
        x, y = at(i, 100)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#929292"/>')
        lx, ly = at(i, 100, scale=1.06)
        if abs(lx - cx) < 10:  # top or bottom: centred, above or below the tip
            anchor, ly = "middle", ly - 6 if ly < cy else ly + 16
        else:
            anchor, ly = ("start" if lx > cx else "end"), ly + 5
        lines = _wrap(axis)
        if anchor != "middle":
            ly -= 8 * (len(lines) - 1)
        elif ly < cy:
            ly -= 16 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if k == 0 else 16}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="13" '
            f'fill="#161616">{spans}</text>'
        )
    for k, s in enumerate(series):
        colour, dash = _style(k, len(series))
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
    return [(s.name, *_style(k, len(series))) for k, s in enumerate(series)]


def _style(k: int, count: int) -> tuple[str, str]:
    """The most recent series (the last) is solid and dark blue; older ones dashed."""
    rank = count - 1 - k
    return COLOURS[rank % len(COLOURS)], DASHES[rank % len(DASHES)]


def swatch(colour: str, dash: str) -> Markup:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return Markup(  # noqa: S704  (numbers and colours from this module only)
        '<svg width="36" height="10" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="0" y1="5" x2="36" y2="5" stroke="{colour}" stroke-width="3"{dash_attr}/></svg>'
    )


@dataclass(frozen=True)
class Point:
    label: str  # short, drawn in the marker (a number)
    name: str  # for the description
    x: float  # ease, 1..5
    y: float  # impact, 1..5
    group: int  # circle 0..3


GROUP_COLOURS = ("#666666", "#000091", "#b34000", "#18753c")


def matrix(title: str, points: Sequence[Point], size: int = 440) -> Markup:
    """Priority matrix: ease (x) × impact (y), quadrant lines at 3."""
    left, top, span = 60, 20, size - 100

    def at(x: float, y: float) -> tuple[float, float]:
        return left + span * (x - 1) / 4, top + span * (5 - y) / 4

    desc = "; ".join(f"{p.label}. {p.name} : facilité {p.x:.1f}, impact {p.y:.1f}" for p in points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-labelledby="matrix-t matrix-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="matrix-t">{escape(title)}</title><desc id="matrix-d">{escape(desc)}</desc>',
        f'<rect x="{left}" y="{top}" width="{span}" height="{span}" fill="none" stroke="#929292"/>',
    ]
    mx, my = at(3, 3)
    parts.append(
        f'<rect x="{mx:.1f}" y="{top}" width="{left + span - mx:.1f}" '
        f'height="{my - top:.1f}" fill="#000091" fill-opacity="0.06"/>'
    )
    parts.append(
        f'<line x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{top + span}" '
        'stroke="#929292" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<line x1="{left}" y1="{my:.1f}" x2="{left + span}" y2="{my:.1f}" '
        'stroke="#929292" stroke-dasharray="4 3"/>'
    )
    for tick in range(1, 6):
        tx, _ = at(tick, 1)
        _, ty = at(1, tick)
        parts.append(
            f'<text x="{tx:.1f}" y="{top + span + 16}" text-anchor="middle" '
            f'font-size="11" fill="#3a3a3a">{tick}</text>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#3a3a3a">{tick}</text>'
        )
    parts.append(
        f'<text x="{left + span / 2}" y="{size - 30}" text-anchor="middle" '
        'font-size="13" fill="#161616">Facilité de mise en œuvre →</text>'
    )
    parts.append(
        f'<text x="16" y="{top + span / 2}" text-anchor="middle" font-size="13" '
        f'fill="#161616" transform="rotate(-90 16 {top + span / 2})">Impact métier →</text>'
    )
    parts.append(
        f'<text x="{left + span - 6}" y="{top + 16}" text-anchor="end" font-size="12" '
        'fill="#000091">Prioritaire</text>'
    )
    seen: dict[tuple[float, float], int] = {}
    for p in points:
        x, y = at(p.x, p.y)
        shift = seen.get((round(x), round(y)), 0)
        seen[(round(x), round(y))] = shift + 1
        x += 14 * shift  # identical marks side by side, not on top of each other
        colour = GROUP_COLOURS[p.group % len(GROUP_COLOURS)]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{colour}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="bold" fill="#ffffff">{escape(p.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text was escaped above)
