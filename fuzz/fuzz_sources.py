"""Fuzz target (atheris): the YAML loader and the Markdown stage must answer any bytes with
amip's own located problems – never another exception, never a hang.

    pip install -e '.[fuzz]'
    python fuzz/fuzz_sources.py -max_total_time=600 -rss_limit_mb=2048 fuzz/corpus

Not run by `make test`; a crash writes the input to crash-<hash> in the working directory.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["amip", "yaml", "markdown_it", "mdit_py_plugins"]):
    from amip.errors import Collector, Location
    from amip.load import load_yaml
    from amip.markdown import Heading, parse_chapter
    from amip.model import Ausgabe, Kennzahlen, validate
    from amip import render

UNSAFE_URL = re.compile(r'\s(?:href|src)="\s*(?:file|javascript|data):')
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=")
HEADING = Heading("k", 1, "1", "Titel", True, Location(Path("k.md"), 2), kind="kapitel", label="1.")


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    problems = Collector()
    doc = load_yaml(Path("x.yaml"), problems, text=text)
    if doc is not None:
        validate(Ausgabe, doc, problems)
        validate(Kennzahlen, doc, problems)
    chapter = parse_chapter(text, path=Path("k.md"), body_line=4, heading=HEADING, annex=False, trailing_dot=True,
                            problems=problems)
    for target in ("print", "web"):
        rendered = render.render_chapters([chapter], render.Resolver(target, {"k": HEADING}, {}, Collector()))
        html = str(rendered[0].html).lower()
        if "<script" in html or UNSAFE_URL.search(html) or HANDLER.search(html):
            raise AssertionError(f"unsafe HTML for {text!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
