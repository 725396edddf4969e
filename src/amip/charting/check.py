"""Turn a drawn figure into findings: text boxes that overlap each other or leave the figure.

The extents come from matplotlib's own renderer (`get_window_extent`), i.e. the boxes of the text
as it is written into the SVG, in the house font and size.
"""

from __future__ import annotations

import re

TOLERANCE_PX = 0.5   # boxes that merely touch (rounding) are not a collision


def visible_texts(fig) -> list:
    """Every text a reader sees: titles, axis and tick labels inside the view, annotations, legends."""
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            texts += [label for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels())
                      if low - 1e-9 <= loc <= high + 1e-9]
        texts += list(ax.texts)
        legend = ax.get_legend()
        if legend is not None:
            texts += list(legend.get_texts())
            texts.append(legend.get_title())
    for legend in fig.legends:
        texts += list(legend.get_texts())
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def text_findings(fig) -> list[str]:
    """German descriptions of every overlap and every text outside the figure; empty when readable."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    boxes = [(t, t.get_window_extent(renderer)) for t in visible_texts(fig)]
    findings = []
    for text, box in boxes:
        if (box.x0 < page.x0 - TOLERANCE_PX or box.y0 < page.y0 - TOLERANCE_PX
                or box.x1 > page.x1 + TOLERANCE_PX or box.y1 > page.y1 + TOLERANCE_PX):
            findings.append(f"Die Beschriftung „{_short(text)}“ ragt über den Rand des Diagramms.")
    for i, (first, a) in enumerate(boxes):
        for second, b in boxes[i + 1:]:
            if (min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE_PX
                    and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE_PX):
                findings.append(f"Die Beschriftungen „{_short(first)}“ und „{_short(second)}“ überdecken sich.")
    return findings


def _short(text) -> str:
    words = " ".join(re.sub(r"(?<=[^\W\d_])-\n(?=[a-zäöüß])", "", text.get_text()).split())
    return words if len(words) <= 40 else words[:39] + "…"
