"""Turn one edition into the next and a draft into a decided edition (issue 10: the yearly cycle).

`status` – entwurf / vorlage / beschlossen, Beschluss, the draft mark; `final` – the open items that
stop `amip check --final`, a build of a decided edition and `amip publish`; `newedition` – the next
year's edition from this one (`amip new-edition`).
"""
