"""Turn chart declarations and figures into SVG files (matplotlib), alt texts and data tables.

Charts are drawn from the same figures as the tables, so a chart cannot disagree with its table.
Each chart is cached under build/.cache/diagramme/<hash>.svg, the hash covering data, kind, style
and this module's drawing version: an unchanged chart is never redrawn. Stale charts are drawn in
two processes. matplotlib is imported only inside `_draw`, i.e. only when a chart is really drawn.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from . import formatting as fmt

def _code_version() -> str:
    """The drawing code is part of every chart's cache key: editing it invalidates the cache by itself."""
    here = Path(__file__).resolve()
    digest = hashlib.sha256()
    for module in (here, here.with_name("formatting.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:12]


DRAWING_VERSION = _code_version()
KINDS = {"balken": "Balkendiagramm", "gruppiert": "Gruppiertes Balkendiagramm", "linie": "Liniendiagramm",
         "torte": "Kreisdiagramm", "wasserfall": "Wasserfalldiagramm"}
HOUSE = {"farben": ["#00528c", "#8fb3d9", "#e07b00", "#5a9e3a", "#b0417a", "#6e6e6e", "#c9a400", "#2f8f8f"],
         "schrift": "Open Sans", "ziel": "#e07b00"}


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart, in plain picklable values (numbers as strings)."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[str, ...]], ...]  # (name, values as Decimal strings)
    unit: str = ""
    highlight: str | None = None                     # a category drawn as target (different colour + hatch)
    style: dict = field(default_factory=lambda: dict(HOUSE))

    def key(self) -> str:
        fields = asdict(self)  # a theme font counts by its bytes ("schrift_hash"), not by where its files lie
        fields["style"] = {k: v for k, v in fields["style"].items() if k != "schrift_dateien"}
        payload = json.dumps({**fields, "v": DRAWING_VERSION}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]

    def values(self, index: int) -> list[Decimal]:
        return [Decimal(v) for v in self.series[index][1]]


def display(value: Decimal, unit: str) -> str:
    decimals = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral_value() else 0
    text = fmt.number(value, min(decimals, 2))
    return f"{text}%" if unit == "%" else text


def alt_text(spec: ChartSpec) -> str:
    """A description a screen reader can read instead of the picture, generated from the data."""
    kind = KINDS[spec.kind]
    unit = "" if spec.unit in ("", "%") else f" {spec.unit}"
    if spec.kind == "torte":
        values = spec.values(0)
        total = sum(values)
        parts = [f"{c}: {display(v, spec.unit)}{unit}" + ("" if spec.unit == "%" else f" ({fmt.percent(v / total, 0).replace('%', ' %')})")
                 for c, v in zip(spec.categories, values)]
        return f"{kind}: {spec.title}. " + "; ".join(parts) + "."
    if len(spec.series) == 1:
        parts = [f"{c}: {display(v, spec.unit)}{unit}" for c, v in zip(spec.categories, spec.values(0))]
        if spec.kind == "wasserfall":
            parts.append(f"Insgesamt: {display(sum(spec.values(0)), spec.unit)}{unit}")
        return f"{kind}: {spec.title}. " + "; ".join(parts) + "."
    parts = []
    for i, category in enumerate(spec.categories):
        values = ", ".join(f"{name} {display(Decimal(vals[i]), spec.unit)}" for name, vals in spec.series)
        parts.append(f"{category}: {values}")
    return f"{kind}: {spec.title}. " + "; ".join(parts) + "."


def data_rows(spec: ChartSpec) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The chart's data as a table (header, rows) for the web edition's expandable view."""
    header = ("", *(name for name, _ in spec.series))
    rows = [(c, *(display(Decimal(vals[i]), spec.unit) for _, vals in spec.series))
            for i, c in enumerate(spec.categories)]
    return header, rows


def ensure(specs: list[ChartSpec], cache: Path) -> dict[str, tuple[Path, bool]]:
    """SVG path per chart key, drawing only the charts whose key has no cached file. → {key: (path, drawn)}"""
    cache.mkdir(parents=True, exist_ok=True)
    result: dict[str, tuple[Path, bool]] = {}
    stale: dict[str, ChartSpec] = {}
    for spec in specs:
        path = cache / f"{spec.key()}.svg"
        if path.is_file():
            result[spec.key()] = (path, False)
        else:
            stale[spec.key()] = spec
    if len(stale) > 1 and os.cpu_count() and os.cpu_count() > 1:
        with ProcessPoolExecutor(max_workers=2) as pool:
            svgs = list(pool.map(_draw, stale.values()))
    else:
        svgs = [_draw(spec) for spec in stale.values()]
    for (key, spec), svg in zip(stale.items(), svgs):
        path = cache / f"{key}.svg"
        tmp = path.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(svg)
        os.replace(tmp, path)
        result[key] = (path, True)
    return result


def _draw(spec: ChartSpec) -> bytes:
    """Draw one chart as SVG bytes; deterministic (fixed hash salt, no date, fonts as text)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from .theme.folder import default_templates

    fonts = spec.style.get("schrift_dateien") or sorted(str(p) for p in (default_templates() / "fonts").glob("*.ttf"))
    for font in fonts:
        font_manager.fontManager.addfont(str(font))
    plt.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "amip", "font.family": spec.style["schrift"], "font.size": 8,
        "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#9bb3c9",
        "axes.titlesize": 9, "axes.titleweight": "bold", "axes.prop_cycle": matplotlib.cycler(color=spec.style["farben"]),
    })
    colours = spec.style["farben"]
    fig, ax = plt.subplots(figsize=(6.3, 3.2 if spec.kind != "balken" else 0.32 * len(spec.categories) + 1.0))
    unit = spec.unit
    fmt_axis = matplotlib.ticker.FuncFormatter(lambda v, _: display(Decimal(str(round(v, 6))), unit))
    if spec.kind == "torte":
        values = [float(v) for v in spec.values(0)]
        total = sum(values)
        labels = [f"{c}\n{display(v, unit)}" + ("" if unit == "%" else f" · {fmt.percent(v / sum(spec.values(0)), 0)}")
                  for c, v in zip(spec.categories, spec.values(0))]
        ax.pie(values, labels=labels, colors=colours[: len(values)], startangle=90, counterclock=False,
               wedgeprops={"width": 0.45, "edgecolor": "white"}, textprops={"fontsize": 7})
        ax.set_aspect("equal")
        assert total > 0
    elif spec.kind in ("balken", "gruppiert"):
        n = len(spec.series)
        width = 0.8 / n
        positions = range(len(spec.categories))
        horizontal = spec.kind == "balken"
        for i, (name, _) in enumerate(spec.series):
            values = [float(v) for v in spec.values(i)]
            offsets = [p + (i - (n - 1) / 2) * width for p in positions]
            colour = [spec.style["ziel"] if c == spec.highlight else colours[i] for c in spec.categories]
            hatch = ["//" if c == spec.highlight else "" for c in spec.categories]
            bars = (ax.barh if horizontal else ax.bar)(offsets, values, width, label=name, color=colour)
            for bar, h in zip(bars, hatch):
                bar.set_hatch(h)
            ax.bar_label(bars, labels=[display(v, unit) for v in spec.values(i)], fontsize=6.5, padding=2)
        if horizontal:
            ax.set_yticks(list(positions), spec.categories)
            ax.invert_yaxis()
            ax.xaxis.set_major_formatter(fmt_axis)
        else:
            ax.set_xticks(list(positions), spec.categories)
            ax.yaxis.set_major_formatter(fmt_axis)
        if n > 1:
            ax.legend(frameon=False, fontsize=7)
        if spec.highlight:
            from matplotlib.patches import Patch

            handles = ax.get_legend_handles_labels()[0] if n > 1 else []
            ax.legend(handles=[*handles, Patch(facecolor=spec.style["ziel"], hatch="//", label=f"{spec.highlight}: Ziel")],
                      frameon=False, fontsize=7)
    elif spec.kind == "linie":
        for i, (name, _) in enumerate(spec.series):
            values = [float(v) for v in spec.values(i)]
            ax.plot(spec.categories, values, marker="o", label=name)
            for x, v, raw in zip(spec.categories, values, spec.values(i)):
                ax.annotate(display(raw, unit), (x, v), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=6.5)
        ax.yaxis.set_major_formatter(fmt_axis)
        ax.legend(frameon=False, fontsize=7)
    elif spec.kind == "wasserfall":
        # each component starts where the previous one ended; the last bar is the computed total
        values = spec.values(0)
        running = Decimal(0)
        for i, (category, value) in enumerate(zip(spec.categories, values)):
            bottom = running if value >= 0 else running + value
            ax.bar(i, float(abs(value)), bottom=float(bottom), color=colours[1] if value >= 0 else colours[2])
            ax.annotate(display(value, unit), (i, float(bottom + abs(value))), textcoords="offset points",
                        xytext=(0, 3), ha="center", fontsize=6.5)
            running += value
        ax.bar(len(values), float(running), color=colours[0])
        ax.annotate(display(running, unit), (len(values), float(running)), textcoords="offset points",
                    xytext=(0, 3), ha="center", fontsize=6.5)
        ax.set_xticks(range(len(values) + 1), [*spec.categories, "Insgesamt"])
        ax.yaxis.set_major_formatter(fmt_axis)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()
