"""Turn a one-series ChartSpec into a donut whose labels stand outside, joined by leader lines.

Labels are stacked in a column left and right of the ring, each as close as possible to the middle
of its slice and never on top of another (`layout.spread`). If the labels of one side cannot fit
even so, the smallest slices are drawn together as "Sonstige" (the data table lists them all).
"""

from __future__ import annotations

import math
from decimal import Decimal

from .. import formatting as fmt
from ..charts import display
from .layout import LABEL_GAP_PT, spread, wrap

GAP_IN = 0.32        # ring edge to label column (room for the leader line's elbow)
MARGIN_IN = 0.06     # label column to figure edge


def draw_pie(fig, ax, spec, medium, decimals: int) -> None:
    width = medium.width
    renderer = fig.canvas.get_renderer()
    slices = list(zip(spec.categories, spec.values(0)))
    total = sum(v for _, v in slices)
    longest = max(_measure(fig, renderer, word, medium.font)[0]
                  for c, v in slices for word in _label(spec, c, v, total, decimals).split())
    text_width = max(longest, 0.26 * width)
    radius = max(0.45, min(medium.height / 2 - 0.3, width / 2 - GAP_IN - MARGIN_IN - text_width))
    for merged in (0, *range(2, len(slices))):
        shown = _merge_smallest(slices, merged)
        texts = _texts(fig, renderer, spec, medium, decimals, shown, width / 2 - radius - GAP_IN - MARGIN_IN)
        gap = LABEL_GAP_PT / 72
        need = max(sum(h + gap for _, _, r, h in texts if r == side) for side in (True, False)) + 0.1
        height = max(2 * radius + 0.5, need)
        if height <= 1.25 * medium.height:
            break
    fig.set_size_inches(width, height)
    ax.set_position((0, 0, 1, 1))
    ax.axis("off")
    colours = spec.style["farben"]
    values = [float(v) for _, v in shown]
    ax.pie(values, colors=[colours[i % len(colours)] for i in range(len(values))], radius=radius,
           startangle=90, counterclock=False, center=(0, 0), frame=False,
           wedgeprops={"width": radius * 0.42, "edgecolor": "white", "linewidth": 0.8})
    ax.set_xlim(-width / 2, width / 2)      # data units are inches: the ring stays round
    ax.set_ylim(-height / 2, height / 2)
    for text, anchor, elbow, end in _place(texts, radius, height):
        ax.add_artist(text)
        ax.plot([anchor[0], elbow[0], end[0]], [anchor[1], elbow[1], end[1]], color="#7a7a7a", linewidth=0.6,
                solid_capstyle="butt")


def _measure(fig, renderer, words: str, size: float) -> tuple[float, float]:
    """Width and height of a text in inches, in the house font."""
    from matplotlib.text import Text

    text = Text(0, 0, words, fontsize=size, linespacing=1.15)
    text.set_figure(fig)
    box = text.get_window_extent(renderer)
    return box.width / fig.dpi, box.height / fig.dpi


def _merge_smallest(slices, count: int):
    """The `count` smallest slices drawn as one "Sonstige" slice at the end (0: all slices)."""
    if count < 2:
        return slices
    order = sorted(range(len(slices)), key=lambda i: (slices[i][1], -i))[:count]   # ties: the later ones
    kept = [s for i, s in enumerate(slices) if i not in order]
    return [*kept, ("Sonstige", sum(slices[i][1] for i in order))]


def _label(spec, category: str, value: Decimal, total: Decimal, decimals: int) -> str:
    number = display(value, spec.unit, decimals)
    if spec.unit != "%":
        number += f" ({fmt.percent(value / total, 0)})"
    return f"{category} {number}"


def _texts(fig, renderer, spec, medium, decimals, slices, room: float):
    """One wrapped label per slice, fitting into `room` inches: (text, middle angle, right side, height)."""
    from matplotlib.text import Text

    total = sum(v for _, v in slices)
    angle = 90.0
    items = []
    for category, value in slices:
        sweep = float(value / total) * 360 if total else 0
        middle = math.radians(angle - sweep / 2)
        angle -= sweep
        right = math.cos(middle) >= 0
        words = _label(spec, category, value, total, decimals)
        text = Text(0, 0, words, fontsize=medium.font, ha="left" if right else "right", va="center",
                    linespacing=1.15)
        text.set_figure(fig)
        chars = int(room * 72 / (0.55 * medium.font))
        while True:  # wrap until the measured label fits beside the ring
            text.set_text(wrap(words, chars))
            if text.get_window_extent(renderer).width / fig.dpi <= room or chars <= 6:
                break
            chars -= 2
        items.append((text, middle, right, text.get_window_extent(renderer).height / fig.dpi))
    return items


def _place(texts, radius: float, height: float):
    """Positions and leader lines: labels stacked per side, each near the middle of its slice."""
    column = radius + GAP_IN
    gap = LABEL_GAP_PT / 72
    layout = []
    for side in (True, False):
        group = [(t, m, h) for t, m, r, h in texts if r == side]
        if not group:
            continue
        wanted = [(radius + 0.22) * math.sin(m) for _, m, _ in group]
        placed = spread(wanted, [h for _, _, h in group], -height / 2 + 0.04, height / 2 - 0.04, gap) or wanted
        x = column if side else -column
        for (text, middle, _), y in zip(group, placed):
            text.set_position((x, y))
            anchor = (radius * math.cos(middle), radius * math.sin(middle))
            reach = radius + 0.12
            elbow = (reach * math.cos(middle), reach * math.sin(middle))
            end = (x - 0.04 if side else x + 0.04, y)
            layout.append((text, anchor, elbow, end))
    return layout
