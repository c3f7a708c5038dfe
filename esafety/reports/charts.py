"""Bar charts drawn as SVG on the server, to read in black and white: this period solid black,
last period white with a black outline, a hidden count a dashed box of one fixed height (never
drawn to scale, which would tell its size) marked with what the table says."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 220
TOP = 16
BOTTOM = 56  # room for the labels
LEFT = 36
HIDDEN_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden
    hidden_text: str = ""


def bar_chart(
    *, title: str, bars: list[Bar], last: list[Bar] | None = None, axis_label: str = ""
) -> SafeString:
    shown = [b.value for b in (*bars, *(last or ())) if b.value is not None]
    top = max([*shown, 1])
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(bars), 1)
    pair = 2 if last is not None else 1
    bar_w = max(min(slot * 0.8 / pair, 40), 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="report-chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#000" stroke-width="1"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="10" text-anchor="end">{top}</text>',
        f'<text x="{LEFT - 4}" y="{HEIGHT - BOTTOM}" font-size="10" text-anchor="end">0</text>',
    ]
    for i, bar in enumerate(bars):
        x0 = LEFT + i * slot + (slot - bar_w * pair) / 2
        series = [(bar, "#000", "#000")]
        if last is not None:
            series.append((last[i], "#fff", "#000"))
        for j, (b, fill, stroke) in enumerate(series):
            x = x0 + j * bar_w
            if b.value is None:
                y = HEIGHT - BOTTOM - HIDDEN_HEIGHT
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{bar_w - 2:.1f}" height="{HIDDEN_HEIGHT}" '
                    'fill="#fff" stroke="#000" stroke-dasharray="3 2"/>'
                )
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 3}" font-size="8" '
                    f'text-anchor="middle">{escape(b.hidden_text)}</text>'
                )
                continue
            h = plot_h * b.value / top
            y = HEIGHT - BOTTOM - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{fill}" stroke="{stroke}"/>'
            )
        cx = LEFT + i * slot + slot / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" '
            f'text-anchor="middle">{escape(bar.label)}</text>'
        )
    if last is not None:
        y = HEIGHT - 14
        parts.append(f'<rect x="{LEFT}" y="{y - 9}" width="10" height="10" fill="#000"/>')
        parts.append(f'<text x="{LEFT + 14}" y="{y}" font-size="10">This period</text>')
        parts.append(
            f'<rect x="{LEFT + 100}" y="{y - 9}" width="10" height="10" fill="#fff" stroke="#000"/>'
        )
        parts.append(f'<text x="{LEFT + 114}" y="{y}" font-size="10">Last period</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped
