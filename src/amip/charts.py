"""Turn chart declarations and figures into SVG files (matplotlib), alt texts and data tables.

Charts are drawn from the same figures as the tables, so a chart cannot disagree with its table.
Each chart is cached under build/.cache/diagramme/<hash>.svg, the hash covering data, kind, style,
medium (print or web) and the drawing code: an unchanged chart is never redrawn. Stale charts are
drawn in two processes. matplotlib is imported only inside `_draw`, i.e. only when a chart is really
drawn. After drawing, the text boxes are checked (amip.charting.check): a chart whose labels overlap
or leave the figure is reported, not cached.
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
from .images import intact_svg


def _code_version() -> str:
    """The drawing code, the chart font and the matplotlib version are part of every chart's cache
    key: changing any of them invalidates the cache by itself (without importing matplotlib)."""
    from importlib.metadata import version

    from .theme.folder import default_templates

    here = Path(__file__).resolve()
    font = default_templates() / "fonts" / "OpenSans-Regular.ttf"
    digest = hashlib.sha256(f"matplotlib {version('matplotlib')}".encode())
    for module in (here, here.with_name("formatting.py"), *sorted(here.with_name("charting").glob("*.py")), font):
        digest.update(module.name.encode() + b"\0" + (module.read_bytes() if module.is_file() else b""))
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
    subtotals: tuple[str, ...] = ()                  # wasserfall: categories drawn from zero (computed running total)
    style: dict = field(default_factory=lambda: dict(HOUSE))
    medium: str = "druck"                            # "druck" (text, for the PDF) or "web" (glyphs as paths)

    def key(self) -> str:
        fields = asdict(self)  # a theme font counts by its bytes ("schrift_hash"), not by where its files lie
        fields["style"] = {k: v for k, v in fields["style"].items() if k != "schrift_dateien"}
        payload = json.dumps({**fields, "v": DRAWING_VERSION}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]

    def values(self, index: int) -> list[Decimal]:
        return [Decimal(v) for v in self.series[index][1]]


def display(value: Decimal, unit: str, decimals: int | None = None) -> str:
    """A value as shown in charts; `decimals` is the chart's one precision (default: what the value needs)."""
    if decimals is None:
        decimals = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral_value() else 0
    text = fmt.number(value, min(decimals, 2))
    return f"{text}%" if unit == "%" else text


def decimals_of(values) -> int:
    """Decimal places needed to show every one of `values` exactly, at most 2."""
    places = [max(0, -Decimal(v).normalize().as_tuple().exponent) for v in values
              if Decimal(v) != Decimal(v).to_integral_value()]
    return min(max(places, default=0), 2)


def precision(spec: ChartSpec) -> int:
    """One precision for every value label of a chart ("21,0%" beside "24,3%", never "21%")."""
    return decimals_of(v for _, values in spec.series for v in values)


def alt_text(spec: ChartSpec) -> str:
    """A description a screen reader can read instead of the picture, generated from the data."""
    kind = KINDS[spec.kind]
    unit = "" if spec.unit in ("", "%") else f" {spec.unit}"
    places = precision(spec)
    if spec.kind == "torte":
        values = spec.values(0)
        total = sum(values)
        parts = [f"{c}: {display(v, spec.unit, places)}{unit}"
                 + ("" if spec.unit == "%" else f" ({fmt.percent(v / total, 0).replace('%', ' %')})")
                 for c, v in zip(spec.categories, values)]
        return f"{kind}: {spec.title}. " + "; ".join(parts) + "."
    if len(spec.series) == 1:
        parts = [f"{c}: {display(v, spec.unit, places)}{unit}" for c, v in zip(spec.categories, spec.values(0))]
        if spec.kind == "wasserfall":
            parts = [f"Zwischensumme {p}" if c in spec.subtotals else p for c, p in zip(spec.categories, parts)]
            total = sum(v for c, v in zip(spec.categories, spec.values(0)) if c not in spec.subtotals)
            parts.append(f"Insgesamt: {display(total, spec.unit, places)}{unit}")
        return f"{kind}: {spec.title}. " + "; ".join(parts) + "."
    parts = []
    for i, category in enumerate(spec.categories):
        values = ", ".join(f"{name} {display(Decimal(vals[i]), spec.unit, places)}" for name, vals in spec.series)
        parts.append(f"{category}: {values}")
    return f"{kind}: {spec.title}. " + "; ".join(parts) + "."


def data_rows(spec: ChartSpec) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The chart's data as a table (header, rows) for the web edition's expandable view."""
    header = ("", *(name for name, _ in spec.series))
    places = precision(spec)
    rows = [(c, *(display(Decimal(vals[i]), spec.unit, places) for _, vals in spec.series))
            for i, c in enumerate(spec.categories)]
    return header, rows


def ensure(specs: list[ChartSpec], cache: Path, tick=None) -> tuple[dict[str, tuple[Path, bool]], dict[str, list[str]]]:
    """SVG path per chart key, drawing only the charts whose key has no cached file.

    `tick(done, total)` is called as each chart is ready (cached ones first).

    → ({key: (path, drawn)}, {key: findings}); a chart with findings (overlapping or clipped text)
    is neither cached nor returned, so the next build draws and reports it again.
    """
    cache.mkdir(parents=True, exist_ok=True)
    result: dict[str, tuple[Path, bool]] = {}
    stale: dict[str, ChartSpec] = {}
    for spec in specs:
        path = cache / f"{spec.key()}.svg"
        if path.is_file() and intact_svg(path):  # a corrupt entry is drawn again, not used
            result[spec.key()] = (path, False)
        else:
            stale[spec.key()] = spec
    tick = tick or (lambda done, total: None)
    ready = len(result)
    tick(ready, len(specs))
    drawn = []
    if len(stale) > 1 and os.cpu_count() and os.cpu_count() > 1:
        from .chunks.pool import worker_setup   # a killed build leaves no drawing process behind

        with ProcessPoolExecutor(max_workers=2, initializer=worker_setup) as pool:
            for one in pool.map(_draw, stale.values()):
                drawn.append(one)
                tick(ready + len(drawn), len(specs))
    else:
        for spec in stale.values():
            drawn.append(_draw(spec))
            tick(ready + len(drawn), len(specs))
    findings: dict[str, list[str]] = {}
    for (key, spec), (svg, problems) in zip(stale.items(), drawn):
        if problems:
            findings[key] = list(problems)
            continue
        path = cache / f"{key}.svg"
        tmp = path.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(svg)
        os.replace(tmp, path)
        result[key] = (path, True)
    return result, findings


def _draw(spec: ChartSpec) -> tuple[bytes, tuple[str, ...]]:
    """Draw one chart as SVG bytes and check its text boxes; deterministic (fixed hash salt, no date,
    bundled fonts). → (svg, findings in German; empty when every label is readable)"""
    import io

    from matplotlib import pyplot as plt

    from .charting.check import text_findings
    from .charting.draw import figure

    fig = figure(spec)
    try:
        findings = tuple(dict.fromkeys(text_findings(fig)))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    return buffer.getvalue(), findings
