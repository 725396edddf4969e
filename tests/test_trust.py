"""Trust: PDF and web edition switched together (also under SIGKILL), nothing from outside the
project, no script in the web edition, no local path in druck.html, no lost text – plus Hypothesis
properties for the loader, the renderer and interrupted builds."""

from __future__ import annotations

import errno
import hashlib
import html.parser
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from amip import output
from amip.errors import Collector, ContentError
from amip.load import load_yaml

sys.path.insert(0, str(Path(__file__).parent / "bad_inputs"))
from edition import EDITION, OUT, built_edition, copy_of  # noqa: E402


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return built_edition(tmp_path_factory.mktemp("klein"))


@pytest.fixture()
def project(small, tmp_path) -> Path:
    return copy_of(small, tmp_path / "projekt")


def outputs(root: Path) -> dict[str, str]:
    out = root / OUT
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".amip.lock"}


# ---------------------------------------------------------------- one result: PDF and web together

KILL_AT = {
    # SIGKILL with the new web edition half written into the staging folder
    "web-staging": ("amip.build", "_write_web", "real(*args); (args[0] / 'index.html').write_text('halb'); "
                    "os.kill(os.getpid(), signal.SIGKILL)"),
    # SIGKILL right after the folders were exchanged, before the old one is removed
    "nach-dem-tausch": ("amip.output", "switch", "real(*args); os.kill(os.getpid(), signal.SIGKILL)"),
}


@pytest.mark.parametrize("point", list(KILL_AT))
def test_a_killed_build_leaves_pdf_and_web_of_the_same_build(project, point):
    module, name, body = KILL_AT[point]
    old = outputs(project)
    chapter = project / EDITION / "kapitel/02-ziele.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Ein Schlussabsatz.", "Ein neuer Schlussabsatz."),
                       encoding="utf-8")
    script = (f"import os, signal, sys\nimport {module} as m\nreal = m.{name}\n"
              f"def hooked(*args):\n    {body}\nm.{name} = hooked\n"
              "from pathlib import Path\nfrom amip.build import build\nbuild(Path(sys.argv[1]))\n")
    killed = subprocess.run([sys.executable, "-c", script, EDITION], cwd=project, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    after = outputs(project)
    web = (project / OUT / "web/index.html").read_text(encoding="utf-8")
    druck = (project / OUT / "druck.html").read_text(encoding="utf-8")
    if point == "web-staging":
        assert after == old                      # the previous pair, untouched
        assert "neuer Schlussabsatz" not in web
    else:
        assert after != old                      # the new pair, complete
        assert "neuer Schlussabsatz" in web and "neuer Schlussabsatz" in druck
    assert ("neuer Schlussabsatz" in web) == ("neuer Schlussabsatz" in druck)
    # the next build cleans up what the killed one left behind
    from amip.build import build

    build(project / EDITION, project / OUT)
    assert not list((project / OUT).parent.glob(".2026.*")) and not list((project / OUT).glob(".*.part"))
    assert "neuer Schlussabsatz" in (project / OUT / "web/index.html").read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=st.integers(min_value=0, max_value=7),
       error=st.sampled_from([OSError(errno.ENOSPC, "voll"), KeyboardInterrupt(), PermissionError(errno.EACCES, "nein")]))
def test_any_interrupted_switch_leaves_the_old_or_the_new_pair(tmp_path, step, error):
    """Whatever step fails – while writing, carrying the lock over or exchanging – `out` holds one generation."""
    out = tmp_path / f"lauf-{step}-{type(error).__name__}" / "2026"

    def generation(tag: str, fail_at: int | None) -> None:
        counter = [0]

        def tick():
            if counter[0] == fail_at:
                raise error
            counter[0] += 1

        real_carry, real_switch = output._carry_over, output.switch
        try:
            output._carry_over = lambda *a: (tick(), real_carry(*a))
            output.switch = lambda *a: (tick(), real_switch(*a), tick())
            with output.locked(out), output.staged(out) as stage:
                for name in ("amip.pdf", "druck.html"):
                    tick()
                    output.atomic_write(stage / name, f"{tag} {name}".encode())
                tick()
                (stage / "web").mkdir()
                tick()
                (stage / "web/index.html").write_text(f"{tag} web")
        finally:
            output._carry_over, output.switch = real_carry, real_switch

    generation("alt", None)
    try:
        generation("neu", step)
    except (OSError, KeyboardInterrupt):
        pass
    tags = {(out / name).read_text().split()[0] for name in ("amip.pdf", "druck.html", "web/index.html")}
    assert tags in ({"alt"}, {"neu"})
    assert output.lock_path(out).exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".2026.neu-")] or tags == {"neu"}


def test_the_lock_survives_the_folder_switch(project):
    """The lock file lies beside the output folder and keeps its inode: a build waiting on it stays locked out."""
    from amip.build import build

    before = output.lock_path(project / OUT).stat().st_ino
    build(project / EDITION, project / OUT)
    assert output.lock_path(project / OUT).stat().st_ino == before
    assert not (project / OUT / output.LOCK).exists()


# ---------------------------------------------------------------- what goes into the outputs

def test_druck_html_holds_no_local_paths(small):
    druck = (small / OUT / "druck.html").read_text(encoding="utf-8")
    assert "file:" not in druck and str(small) not in druck and "/work/" not in druck
    assert 'src="amip://diagramme/' in druck and 'src="amip://inhalt/2026/bilder/organigramm.svg"' in druck


def test_svg_in_the_web_edition_has_no_script_handlers_or_foreign_objects(project):
    from amip.build import build, load_edition

    svg = project / EDITION / "bilder/organigramm.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace(
        "</svg>", '<script>alert(1)</script><rect onload="alert(2)" width="1" height="1"/>'
                  '<foreignObject><p>x</p></foreignObject></svg>').replace("<svg ", '<svg onclick="alert(3)" '),
        encoding="utf-8")
    warnings = [w.format() for w in load_edition(project / EDITION).warnings]
    assert any("<script>-Element – amip entfernt das in der Web-Ausgabe" in w for w in warnings), warnings
    assert any("Ereignis-Attribut „onload“" in w for w in warnings)
    result = build(project / EDITION, project / OUT)
    copied = [p.read_text(encoding="utf-8") for p in (result.web.parent / "assets/abbildungen").glob("*.svg")]
    sanitised = next(text for text in copied if "#e07b00" in text and "<rect" in text and "width=\"80\"" in text)
    for forbidden in ("<script", "onload", "onclick", "foreignObject", "alert"):
        assert forbidden not in sanitised
    assert sanitised.count("<rect") == 4  # the three boxes and the (now harmless) rect are still drawn


def test_a_corrupt_chart_cache_entry_is_drawn_again(project):
    from amip.build import build

    cache = project / "build/.cache/diagramme"
    entry = sorted(cache.glob("*.svg"))[0]  # one chart, drawn for print and for the web
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 3])  # as a full disk or a crash might leave it
    result = build(project / EDITION, project / OUT)
    assert result.charts_drawn == 1
    assert entry.read_bytes() == good


def test_an_image_blocked_inside_an_svg_fails_while_writing_the_pdf(tmp_path):
    """WeasyPrint fetches images inside SVGs while writing, after layout: that must fail too, not vanish."""
    from amip import pdf, render
    from amip.errors import BuildError

    (tmp_path / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
                                    "width='50' height='50'><image xlink:href='file:///etc/hostname' width='50' "
                                    "height='50'/></svg>")
    html = (f'<html lang="de"><head><link rel="stylesheet" href="print.css"></head><body><p>x</p>'
            f'<img src="{(tmp_path / "a.svg").as_uri()}" alt="x"></body></html>')
    lay = pdf.layout(html, render.TEMPLATES.as_uri() + "/", [render.TEMPLATES, tmp_path], 0)
    with pytest.raises(BuildError, match="beim Schreiben des PDF"):
        pdf.write(lay, "Test")


def test_text_lost_after_rendering_is_an_error(project, monkeypatch):
    """The source-id check catches text that any stage drops, here a renderer that forgets a paragraph."""
    from amip import build as build_module, render

    real = render.render_chapters

    def forgetful(chapters, resolver, *args):
        rendered = list(real(chapters, resolver, *args))
        first = rendered[1]
        text = re.sub(r"<p[^>]*><!--q1-->Ein Schlussabsatz.</p>", "", str(first.html))
        assert text != str(first.html)
        rendered[1] = render.RenderedChapter(first.id, first.number, first.title, first.kind, render.Markup(text))
        return tuple(rendered)

    monkeypatch.setattr(render, "render_chapters", forgetful)
    edition = build_module.load_edition(project / EDITION)
    with pytest.raises(ContentError) as caught:
        build_module.render_chapters(edition)
    assert "02-ziele.md:9: Fehler: Dieser Text fehlt in der fertigen Ausgabe." in caught.value.render()


def test_composed_pyyaml_nodes_carry_no_anchor_so_the_check_runs_on_events():
    """Why the old check could never fire: PyYAML's nodes have no `anchor`; events do."""
    import yaml

    node = yaml.compose("a: &x 1\nb: *x\n", Loader=yaml.SafeLoader)
    assert not any(hasattr(n, "anchor") for pair in node.value for n in pair)
    events = list(yaml.parse("a: &x 1\nb: *x\n", Loader=yaml.SafeLoader))
    assert [e.anchor for e in events if isinstance(e, (yaml.ScalarEvent, yaml.AliasEvent)) and e.anchor] == ["x", "x"]


def test_a_ten_level_alias_bomb_is_refused_at_once():
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 11))
    problems = Collector()
    started = time.monotonic()
    assert load_yaml(Path("bombe.yaml"), problems, text=bomb) is None
    assert time.monotonic() - started < 1
    assert problems.problems[0].format().startswith("bombe.yaml:1:5: Fehler: Anker (&) und Verweise (*)")


def test_a_five_megabyte_paragraph_is_refused_quickly(project):
    from amip.build import load_edition

    chapter = project / EDITION / "kapitel/02-ziele.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + "Wort " * 1_000_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ContentError, match="Die Datei ist zu groß"):
        load_edition(project / EDITION)
    assert time.monotonic() - started < 10


# ---------------------------------------------------------------- properties

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_loader_raises_only_amip_errors_for_any_text(text):
    from amip.model import Ausgabe, validate

    problems = Collector()
    doc = load_yaml(Path("x.yaml"), problems, text=text)
    if doc is not None:
        validate(Ausgabe, doc, problems)
    assert doc is not None or problems.has_errors


_FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))", "[b](file:///etc/passwd)",
    "![c](file:///etc/passwd)", "![d](bild.png)", '<a href="file:///x" onclick="y">z</a>', "::: rand\n", "::: kasten <script>\n",
    ":::\n", "[^1]", "\n[^1]: Fußnote <b onmouseover=x>\n", "[[kapitel: x]]", "[[tabelle: y]]", "<https://example.org>",
    "[e](https://example.org \"t onload=1\")", "## Titel {#id}\n", "\n\n", "\n", "- ", "> ", "`code`", "**fett**", "|a|b|\n|-|-|\n",
    "Text ", "&lt;script&gt;", "<!--q7-->", "javascript:", "data:text/html,<script>",
])


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=25))
def test_rendering_never_emits_script_handlers_or_local_urls(parts):
    from amip import render
    from amip.markdown import Heading, parse_chapter
    from amip.errors import Location

    problems = Collector()
    heading = Heading("k", 1, "1", "T", True, Location(Path("k.md"), 2), kind="kapitel", label="1.")
    chapter = parse_chapter("".join(parts), path=Path("k.md"), body_line=4, heading=heading, annex=False,
                            trailing_dot=True, problems=problems)
    for target in ("print", "web"):
        resolver = render.Resolver(target, {"k": heading}, {}, Collector())
        [rendered] = render.render_chapters([chapter], resolver)
        text = str(rendered.html)
        assert "<script" not in text.lower()
        parser = _Tags()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert tag not in ("script", "iframe", "object", "embed", "img")
            for name, value in attrs:
                assert not name.lower().startswith("on"), (tag, name)
                assert not (value or "").strip().lower().startswith(("file:", "javascript:", "data:")), (tag, name, value)
