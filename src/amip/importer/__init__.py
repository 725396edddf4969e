"""Turn spreadsheets and amip's models into author help: numbers from Excel into data files, schemas for editors.

`amip import` (run.py: sheet.py reads, targets.py finds rows and columns, plan.py matches them, edit.py
replaces the exact characters) and `amip schema` (editor.py, with amip.model.jsonschema).
"""
