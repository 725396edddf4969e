"""Turn table data (general tables, Kennzahlen) into printed table figures through one table model.

- `columns`: column types (Anzahl, Betrag, Prozent, Text, Spanne, computed columns), cell parsing
  and German formatting of one value;
- `compute`: the engine — group subtotals, totals (top or bottom), computed columns, text cells
  left out of sums with a visible notice, footnote marks;
- `figures`: the printed form a template receives (header rows incl. two-level heads, merged cells);
- `schema`: the pydantic models of `art: tabelle` and `art: kennzahlen` (the Kennzahlen model is
  built from the file's own value columns);
- `general` and `kennzahlen`: the two instances of the model;
- `references`: `=datei.zeile.spalte` values taken from another data file.
"""
