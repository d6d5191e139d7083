"""Server-rendered SVG charts: no JavaScript, no CDN, readable by screen readers.

Each chart is an ``<svg>`` with a ``<title>`` and ``<desc>``, a visible text
label and value per bar, and (when given) a link per bar to the list of cases
behind it. Colours come from presentation attributes and CSS classes, never
inline ``style``, so a strict CSP does not break them.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_ids = count(1)


@dataclass
class Bar:
    label: str
    value: float
    href: str = ""
    display: str | None = None  # text shown for the value (defaults to the number)
    css: str = ""  # extra class on the bar, e.g. "state-escalated"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(bars: list[Bar], *, title: str, desc: str = "", label_width: int = 190, bar_width: int = 330,
              bar_height: int = 22, gap: int = 8, empty_text: str = "") -> SafeString:
    """A horizontal bar chart. Bars are scaled to the largest value; zero values keep their label and 0."""
    uid = f"chart{next(_ids)}"
    if not bars:
        return format_html('<p class="empty">{}</p>', empty_text or title)
    top = max((b.value for b in bars), default=0) or 1
    value_space = 60
    width = label_width + bar_width + value_space
    height = len(bars) * (bar_height + gap) + gap
    rows = []
    for i, bar in enumerate(bars):
        y = gap + i * (bar_height + gap)
        length = max(0.0, bar.value) / top * bar_width
        text = bar.display if bar.display is not None else _fmt(bar.value)
        inner = format_html(
            '<title>{label}: {text}</title>'
            '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
            '<rect class="chart-bar {css}" x="{bx}" y="{y}" width="{w}" height="{h}" rx="2"></rect>'
            '<text class="chart-value" x="{vx}" y="{ty}">{text}</text>',
            label=bar.label, text=text, lx=label_width - 8, ty=f"{y + bar_height * 0.72:.1f}", css=bar.css,
            bx=label_width, y=y, w=f"{length:.1f}", h=bar_height, vx=f"{label_width + length + 6:.1f}",
        )
        if bar.href:
            rows.append(format_html('<a href="{}" class="chart-link">{}</a>', bar.href, inner))
        else:
            rows.append(format_html("<g>{}</g>", inner))
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="group" aria-labelledby="{uid}-t {uid}-d" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        '<title id="{uid}-t">{title}</title><desc id="{uid}-d">{desc}</desc>'
        '<line class="chart-axis" x1="{ax}" y1="0" x2="{ax}" y2="{h}"></line>{rows}</svg>',
        w=width, h=height, uid=uid, title=title, desc=desc or title, ax=label_width,
        rows=mark_safe("".join(rows)),  # noqa: S308 - each row was built with format_html (escaped)
    )


def legend(items: list[tuple[str, str]]) -> SafeString:
    """A small legend: (css class, label) pairs."""
    return format_html('<ul class="chart-legend">{}</ul>', format_html_join(
        "", '<li><svg width="12" height="12" aria-hidden="true"><rect class="chart-bar {}" width="12" height="12">'
            "</rect></svg> {}</li>", items))
