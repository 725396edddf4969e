"""Turn an organisation's editions over the years into one series: row keys, basis columns, series chart.

- `keys.rows(figures)`: the rows of one data file by key, {key: (label, {column: value})} — how an
  instrument is followed through renamings (used by the basis columns and by `amip diff`);
- `zeitreihe`: the organisation's series file content/<org>/zeitreihe.yaml (values from paper);
- `source`: a basis column `{art: ansatz|ergebnis|hochrechnung, jahr: J}` → values by row key, from
  edition J (ansatz) or the series file;
- `chart`: the series chart `[[diagramm: kennzahlen | zeitreihe]]` (plans and results per
  Zweckbestimmung over all known years), drawn by amip.charting like every other chart.
"""

from .keys import Zeile, row_key, rows

__all__ = ["Zeile", "row_key", "rows"]
