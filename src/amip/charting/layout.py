"""Turn measured text extents into label positions that neither collide nor leave the chart.

Everything here works on a drawn matplotlib figure: sizes are measured with the figure's renderer
(`get_window_extent`), never guessed from character counts alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from matplotlib.ticker import Formatter

from ..charts import decimals_of, display

HEADROOM_PT = 4.0      # free space between the tallest value label and the end of the plot area
LABEL_GAP_PT = 3.0     # least distance between two neighbouring axis labels


@dataclass(frozen=True)
class Medium:
    """Size and type of one output: the print PDF or the web edition (read on phones)."""

    width: float          # figure width in inches
    height: float         # default figure height in inches
    font: float           # tick labels, legend, pie labels (pt)
    label: float          # value labels (pt)
    text_as_paths: bool   # web: glyphs as outlines, so the SVG shows Open Sans inside <img> everywhere


# The web figure is 4.6 in = 441.6 CSS px wide; a 390 px phone shows it at about 352 px (factor 0.8),
# so 10.5 pt text (14 CSS px) appears at about 11.2 CSS px.
MEDIA = {"druck": Medium(6.3, 3.2, 8.0, 7.0, False), "web": Medium(4.6, 3.4, 10.5, 10.5, True)}


class TickFormatter(Formatter):
    """German tick labels with one precision for the whole axis (0 | 2,5 | 5,0, never 0 | 2,5 | 5)."""

    def __init__(self, unit: str):
        self.unit = unit
        self.decimals = 0

    def format_ticks(self, values):
        self.decimals = decimals_of(Decimal(str(round(v, 6))) for v in values)
        return [self(v) for v in values]

    def __call__(self, value, pos=None):
        return display(Decimal(str(round(value, 6))), self.unit, self.decimals)


def spread(wanted: list[float], heights: list[float], low: float, high: float, gap: float) -> list[float] | None:
    """Centres for labels stacked in one column, each as near as possible to its wanted centre,
    in the wanted order, none overlapping, all inside [low, high]. None if they cannot fit."""
    if sum(heights) + gap * (len(heights) - 1) > high - low:
        return None
    order = sorted(range(len(wanted)), key=lambda i: -wanted[i])
    placed = list(wanted)
    ceiling = high
    for i in order:                       # from the top: push down what would overlap
        placed[i] = min(wanted[i], ceiling - heights[i] / 2)
        ceiling = placed[i] - heights[i] / 2 - gap
    floor = low
    for i in reversed(order):             # from the bottom: lift what was pushed out
        placed[i] = max(placed[i], floor + heights[i] / 2)
        floor = placed[i] + heights[i] / 2 + gap
    return placed


def wrap(text: str, width: int) -> str:
    """Lines of at most `width` characters where the words allow; a word longer than a line is broken
    after "-" or "/" or at a German hyphenation point (with "-"), starting on the current line."""
    width = max(width, 4)
    lines: list[str] = [""]
    for word in _glued(text.split()):
        while word:
            room = width - len(lines[-1]) - (1 if lines[-1] else 0)
            if len(word) <= room:
                lines[-1] += (" " if lines[-1] else "") + word
                break
            head, tail = _split(word, room) if len(word) > width or not lines[-1] else ("", word)
            if head:
                lines[-1] += (" " if lines[-1] else "") + head
                lines.append("")
                word = tail
            elif lines[-1]:
                lines.append("")
            else:  # unbreakable and too long: it stands alone; the text check reports it if it overflows
                lines[-1] = word
                lines.append("")
                break
    return "\n".join(line for line in lines if line).replace("\u00a0", " ")


def _glued(words: list[str]) -> list[str]:
    """"§ 16 f" stays on one line: "§" keeps its number, a lone letter its predecessor (joined by a
    no-break space while wrapping, written as a plain space)."""
    out: list[str] = []
    for word in words:
        if out and (out[-1].endswith("§") or (len(word) == 1 and word.isalpha())):
            out[-1] += "\u00a0" + word
        else:
            out.append(word)
    return out


def _split(word: str, room: int) -> tuple[str, str]:
    """The longest start of `word` that fits in `room` characters, broken at a sensible point."""
    import pyphen

    points = [(i + 1, "") for i, c in enumerate(word[:-1]) if c in "-/" and i + 1 <= room and word[i + 1].isalnum()]
    points += [(p, "-") for p in pyphen.Pyphen(lang="de_DE").positions(word)
               if p + 1 <= room and word[p - 1].isalpha() and word[p].isalpha()]
    if not points:
        return "", word
    cut, mark = max(points)
    return word[:cut] + mark, word[cut:]


def _boxes(fig, texts):
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]


def _crowded(fig, axis) -> bool:
    """Do two neighbouring category labels of this axis come closer than LABEL_GAP_PT?"""
    boxes = sorted(_boxes(fig, _shown_ticklabels(axis)), key=lambda b: b.x0)
    gap = LABEL_GAP_PT * fig.dpi / 72
    return any(a.x1 + gap > b.x0 for a, b in zip(boxes, boxes[1:]))


def _shown_ticklabels(axis):
    low, high = sorted(axis.get_view_interval())
    return [label for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels())
            if low - 1e-9 <= loc <= high + 1e-9]


def fit_categories(fig, ax, categories: list[str], font: float, ordered: bool) -> None:
    """Category labels on the x axis that never collide.

    Named categories (bars) are all shown: wrapped into the width of their slot, else turned upright.
    Ordered categories (months, years of a line) are thinned to every k-th label instead.
    """
    axis = ax.xaxis
    positions = list(range(len(categories)))
    ax.set_xticks(positions, categories, fontsize=font)
    if not _crowded(fig, axis):
        return
    if ordered:
        for step in range(2, len(categories) + 1):
            ax.set_xticks(positions[::step], categories[::step], fontsize=font)
            if not _crowded(fig, axis):
                return
        return
    slot_pt = ax.get_window_extent().width / len(categories) * 72 / fig.dpi
    chars = int((slot_pt - LABEL_GAP_PT) / (0.55 * font))
    ax.set_xticks(positions, [wrap(c, chars) for c in categories], fontsize=font)
    if not _crowded(fig, axis):
        return
    ax.set_xticks(positions, [wrap(c, 28) for c in categories], fontsize=font, rotation=90)


def fit_value_ticks(fig, ax) -> None:
    """Fewer ticks on a horizontal value axis until its labels keep their distance."""
    locator = ax.xaxis.get_major_locator()
    for bins in (4, 3, 2):
        if not _crowded(fig, ax.xaxis):
            return
        locator.set_params(nbins=bins)


def fit_legend(fig, ax, make) -> None:
    """The legend in as many columns as fit into the figure's width (`make(ncol)` draws it)."""
    for columns in range(make(None), 0, -1):
        legend = make(columns)
        fig.tight_layout()
        fig.draw_without_rendering()
        if legend.get_window_extent(fig.canvas.get_renderer()).x1 <= fig.bbox.x1 - 2:
            return


def make_headroom(fig, ax, labels, vertical: bool = True) -> None:
    """Widen the value axis until every value label ends HEADROOM_PT inside the plot area.

    `labels` are annotations anchored at a data value (bar ends, points); the distance from anchor
    to the label's far edge is fixed in points, so the needed limit follows from one measurement.
    """
    labels = [label for label in labels if label.get_visible()]
    if not labels:
        return
    for _ in range(4):
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        low, high = ax.get_ylim() if vertical else ax.get_xlim()
        start, end = (box.y0, box.y1) if vertical else (box.x0, box.x1)
        length = end - start
        pad = HEADROOM_PT * fig.dpi / 72
        new_low, new_high = low, high
        for label in labels:
            extent = label.get_window_extent(renderer)
            value = label.xy[1] if vertical else label.xy[0]
            anchor = ax.transData.transform((0, value) if vertical else (value, 0))[1 if vertical else 0]
            far_end = extent.y1 if vertical else extent.x1
            near_end = extent.y0 if vertical else extent.x0
            above = far_end - anchor          # label beyond the anchor towards larger values
            below = anchor - near_end         # label beyond the anchor towards smaller values
            if far_end > end - pad and length - pad - above > 0:
                new_high = max(new_high, low + (value - low) * length / (length - pad - above))
            if near_end < start + pad and value < 0 and length - pad - below > 0:
                new_low = min(new_low, high - (high - value) * length / (length - pad - below))
        if (new_low, new_high) == (low, high):
            return
        (ax.set_ylim if vertical else ax.set_xlim)(new_low, new_high)
        fig.tight_layout()
