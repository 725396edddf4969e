"""Turn a ChartSpec into a matplotlib figure laid out for reading: value axes of bars from zero, one
precision per chart, headroom above the tallest label, category labels that never collide.

`figure` returns the laid-out figure; `amip.charts` writes it as SVG after `check.text_findings`.
"""

from __future__ import annotations

from decimal import Decimal

from ..charts import display, precision
from .layout import MEDIA, TickFormatter, fit_categories, fit_legend, fit_value_ticks, make_headroom, wrap

def figure(spec):
    """The chart as a laid-out matplotlib figure (call `plt.close` on it when done)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from ..theme.folder import default_templates

    # a theme's own font files (its bytes are in the cache key as "schrift_hash"), else the bundled Open Sans
    fonts = spec.style.get("schrift_dateien") or sorted(str(p) for p in (default_templates() / "fonts").glob("*.ttf"))
    for font in fonts:
        font_manager.fontManager.addfont(str(font))
    medium = MEDIA[spec.medium]
    plt.rcParams.update({
        "svg.fonttype": "path" if medium.text_as_paths else "none", "svg.hashsalt": "amip",
        "font.family": spec.style["schrift"], "font.size": medium.font,
        "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#9bb3c9",
        "axes.prop_cycle": matplotlib.cycler(color=spec.style["farben"]),
    })
    decimals = precision(spec)
    height = medium.height
    if spec.kind == "balken":
        height = _bar_height(spec, medium)
    fig, ax = plt.subplots(figsize=(medium.width, height))
    if spec.kind == "torte":
        from .pie import draw_pie

        draw_pie(fig, ax, spec, medium, decimals)
        return fig
    {"balken": _bars, "gruppiert": _bars, "linie": _line, "wasserfall": _waterfall}[spec.kind](fig, ax, spec, medium,
                                                                                                decimals)
    return fig


def _category_width(medium) -> int:
    """Characters per line of a horizontal bar chart's category labels: up to 60 % of the print width
    (a Zweckbestimmung stays on one line), 40 % on a phone."""
    return int(medium.width * (0.4 if medium.text_as_paths else 0.6) * 72 / (0.55 * medium.font))


def _bar_height(spec, medium) -> float:
    lines = max(wrap(c, _category_width(medium)).count("\n") + 1 for c in spec.categories)
    per_category = max(0.32 * medium.font / 8 * len(spec.series) ** 0.5,
                       lines * medium.font * 1.3 / 72 + 0.1)
    return per_category * len(spec.categories) + 1.0


def _legend(fig, ax, medium, handles=None) -> None:
    """The legend above the plot area, left-aligned, in as many columns as fit."""
    from matplotlib.transforms import blended_transform_factory

    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    if not handles:
        return

    def make(columns):
        if columns is None:
            return len(handles)
        # x from the figure's left edge, y just above the plot area: later layout steps that move the
        # plot area sideways (long category labels) cannot push the legend out of the figure
        return ax.legend(handles=handles, frameon=False, fontsize=medium.font, loc="lower left",
                         bbox_to_anchor=(0.01, 1.02), bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes),
                         borderaxespad=0, ncol=columns, handlelength=1.2, columnspacing=1.2)

    fit_legend(fig, ax, make)


def _value_axis(ax, spec, horizontal: bool, low: float, high: float) -> None:
    """Bars start at zero: the value axis always contains 0 and never starts above it."""
    from matplotlib.ticker import MaxNLocator

    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_formatter(TickFormatter(spec.unit))
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10],
                                       integer=precision(spec) == 0))
    low, high = min(0.0, low), max(0.0, high)
    if high == low:
        high = low + 1
    (ax.set_xlim if horizontal else ax.set_ylim)(low, high)


def _bars(fig, ax, spec, medium, decimals) -> None:
    from matplotlib.patches import Patch

    n = len(spec.series)
    width = 0.8 / n
    horizontal = spec.kind == "balken"
    colours = spec.style["farben"]
    labels = []
    every = []
    for i, (name, _) in enumerate(spec.series):
        values = spec.values(i)
        every += values
        offsets = [p + (i - (n - 1) / 2) * width for p in range(len(spec.categories))]
        colour = [spec.style["ziel"] if c == spec.highlight else colours[i % len(colours)] for c in spec.categories]
        bars = (ax.barh if horizontal else ax.bar)(offsets, [float(v) for v in values], width, label=name, color=colour)
        for bar, category in zip(bars, spec.categories):
            bar.set_hatch("//" if category == spec.highlight else "")
        labels += ax.bar_label(bars, labels=[display(v, spec.unit, decimals) for v in values], fontsize=medium.label,
                               padding=2)
    _value_axis(ax, spec, horizontal, float(min(every)), float(max(every)))
    handles = ax.get_legend_handles_labels()[0] if n > 1 else []
    if spec.highlight:
        handles.append(Patch(facecolor=spec.style["ziel"], hatch="//", label=f"{spec.highlight}: Ziel"))
    _legend(fig, ax, medium, handles)
    fig.tight_layout()
    if horizontal:
        ax.set_yticks(range(len(spec.categories)), [wrap(c, _category_width(medium)) for c in spec.categories],
                      fontsize=medium.font)
        ax.set_ylim(len(spec.categories) - 0.5, -0.5)   # first category on top
        fig.tight_layout()
    else:
        fit_categories(fig, ax, list(spec.categories), medium.font, ordered=False)
        fig.tight_layout()
        _fit_value_labels(fig, ax, labels)
    make_headroom(fig, ax, labels, vertical=not horizontal)
    if horizontal:
        fit_value_ticks(fig, ax)


def _fit_value_labels(fig, ax, labels) -> None:
    """Value labels wider than their bars stand upright; if even then they collide, light grid lines
    carry the values instead (the web edition's data table and the alt text keep every number)."""
    from .check import TOLERANCE_PX

    def collide() -> bool:
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        boxes = sorted((label.get_window_extent(renderer) for label in labels), key=lambda b: b.x0)
        return any(min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE_PX and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE_PX
                   for i, a in enumerate(boxes) for b in boxes[i + 1:i + 8])

    if not collide():
        return
    for label in labels:
        label.set_rotation(90)
    if not collide():
        return
    for label in labels:
        label.set_visible(False)
    ax.yaxis.grid(True, color="#dde5ee", linewidth=0.6)
    ax.set_axisbelow(True)


def _line(fig, ax, spec, medium, decimals) -> None:
    """One line per series; values at every point while few, else only at each line's last point."""
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(spec.categories)))
    labels = []
    every = []
    few = len(spec.categories) <= 12 and len(spec.series) == 1
    for i, (name, _) in enumerate(spec.series):
        values = spec.values(i)
        every += values
        ax.plot(positions, [float(v) for v in values], marker="o", markersize=3.5, label=name, linewidth=1.6)
        shown = positions if few else positions[-1:]
        for x in shown:
            labels.append(ax.annotate(display(values[x], spec.unit, decimals), (x, float(values[x])),
                                      textcoords="offset points", xytext=(0, 5) if few else (6, 0),
                                      ha="center" if few else "left", va="bottom" if few else "center",
                                      fontsize=medium.label))
    ax.yaxis.set_major_formatter(TickFormatter(spec.unit))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlim(-0.3, len(positions) - 0.7)
    _legend(fig, ax, medium)
    fig.tight_layout()
    fit_categories(fig, ax, list(spec.categories), medium.font, ordered=True)
    fig.tight_layout()
    make_headroom(fig, ax, labels, vertical=few)
    if not few:
        _separate_end_labels(fig, ax, labels)


def _separate_end_labels(fig, ax, labels) -> None:
    """End-of-line values of several series stacked so that close values do not print on each other."""
    from .layout import LABEL_GAP_PT, spread

    if len(labels) < 2:
        return
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    anchors = [ax.transData.transform(label.xy)[1] for label in labels]
    heights = [label.get_window_extent(renderer).height for label in labels]
    box = ax.get_window_extent(renderer)
    placed = spread(anchors, heights, box.y0 - box.height, box.y1 + box.height, LABEL_GAP_PT * fig.dpi / 72)
    for label, anchor, y in zip(labels, anchors, placed or anchors):
        label.xyann = (6, (y - anchor) * 72 / fig.dpi)


def _waterfall(fig, ax, spec, medium, decimals) -> None:
    """Each component starts where the previous one ended; the last bar is the computed total."""
    colours = spec.style["farben"]
    values = spec.values(0)
    running = Decimal(0)
    labels = []
    tops = [0.0]
    for i, (category, value) in enumerate(zip(spec.categories, values)):
        if category in spec.subtotals:  # a subtotal (its value is the running total, computed) stands on zero
            ax.bar(i, float(value), color=colours[0])
            labels.append(ax.annotate(display(value, spec.unit, decimals), (i, float(max(value, Decimal(0)))),
                                      textcoords="offset points", xytext=(0, 3), ha="center", fontsize=medium.label))
            tops += [float(value)]
            continue
        bottom = running if value >= 0 else running + value
        ax.bar(i, float(abs(value)), bottom=float(bottom), color=colours[1] if value >= 0 else colours[2])
        labels.append(ax.annotate(display(value, spec.unit, decimals), (i, float(bottom + abs(value))),
                                  textcoords="offset points", xytext=(0, 3), ha="center", fontsize=medium.label))
        running += value
        tops += [float(running), float(bottom)]
    ax.bar(len(values), float(running), color=colours[0])
    labels.append(ax.annotate(display(running, spec.unit, decimals), (len(values), float(max(running, Decimal(0)))),
                              textcoords="offset points", xytext=(0, 3), ha="center", fontsize=medium.label))
    _value_axis(ax, spec, False, min(tops), max(tops))
    fig.tight_layout()
    fit_categories(fig, ax, [*spec.categories, "Insgesamt"], medium.font, ordered=False)
    fig.tight_layout()
    make_headroom(fig, ax, labels)
