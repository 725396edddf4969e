"""make bench: amip against plain WeasyPrint on the same HTML, cold and warm; the 2018 edition's cost.

Each measurement is a fresh process (as an author runs it), timed with wall clock; peak memory is the
summed PSS (proportional set size: shared pages split, not double-counted) of the process and all its descendants (sampled from /proc every 20 ms, at least the child's
ru_maxrss). Prints medians and the ratio amip ÷ plain WeasyPrint. Not a test: numbers depend on the
machine; BENCHMARKS.md records them for the reference machine.
`bench.py vorschau` measures only save → reloaded preview page (amip preview); `AMIP_BENCH_NUR=lang` only
the long editions of issue 13 (2026, 2018 and the synthetic 120/400 pages from bench/synthetic.py).
AMIP_BENCH_RUNS (default 5) runs per measurement, AMIP_BENCH_RUNS_400 (default 1) for the 400-page edition.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treememory import TreeMemory  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RUNS = int(os.environ.get("AMIP_BENCH_RUNS", "5"))
RUNS_400 = int(os.environ.get("AMIP_BENCH_RUNS_400", "1"))


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak PSS (MiB) of one child process and all its descendants."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid)
    _, status, usage = os.wait4(process.pid, 0)   # the zombie keeps its pid until here: no pid reuse
    elapsed = time.perf_counter() - start
    peak = memory.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"Befehl fehlgeschlagen: {' '.join(cmd)}\n{process.stderr.read().decode()}")
    return elapsed, max(peak // 2**20, usage.ru_maxrss // 1024)


def clear_caches(edition: str) -> None:
    clear_project(ROOT, "duesseldorf", edition)


def clear_project(root: Path, org: str, edition: str) -> None:
    """Cold start: no caches of the project (charts, pages, note placement) and no earlier output."""
    shutil.rmtree(root / "build" / ".cache", ignore_errors=True)
    shutil.rmtree(root / "build" / org / edition, ignore_errors=True)


_CHECK_COST = """
import sys, time
from amip import hyphenation, pagelayout, pdf, render
from amip.build import (_epoch, _fetch_roots, chart_refs, fetch_names, hyphenation_patterns, load_edition,
                        locate_source, render_html)
from amip.errors import Collector
edition = load_edition(sys.argv[1])
charts, _ = chart_refs(edition, Collector(), edition.root / "build" / ".cache" / "diagramme")
html = render_html(edition, "print", charts)
patterns = hyphenation_patterns(edition, html)
html = hyphenation.drop_soft_hyphens(html)
start = time.perf_counter()
lay = pdf.layout(html, render.TEMPLATES.as_uri() + "/", _fetch_roots(edition), _epoch(edition), patterns,
                 named=fetch_names(edition))
middle = time.perf_counter()
pages, overflows = pagelayout.place(lay.document)
pagelayout.findings(pages, overflows, [], lambda src, section: locate_source(edition, src, section))
checked = time.perf_counter()
from amip.build import _document_title
from amip.record import pdfa
pdf.write(lay, _document_title(edition), edition.theme.font)
plain = time.perf_counter()
pdf.write(lay, _document_title(edition), edition.theme.font, pdfa.record(edition, _epoch(edition)))
print(middle - start, checked - middle, plain - checked, time.perf_counter() - plain)
"""


def check_cost(folder: str) -> tuple[float, ...]:
    """Seconds (median, one process each) of: WeasyPrint layout, note placement + layout check, writing a
    plain tagged PDF, writing the archival PDF/A-3u with embedded sources and XMP record."""
    samples = []
    for _ in range(RUNS):
        out = subprocess.run([PY, "-c", _CHECK_COST, folder], cwd=ROOT, capture_output=True, text=True, check=True)
        samples.append(tuple(float(v) for v in out.stdout.split()))
    return tuple(statistics.median(s[i] for s in samples) for i in range(4))


def median(samples: list[tuple[float, int]]) -> tuple[float, int]:
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


PLAIN = """
import sys
from weasyprint import HTML
from weasyprint.urls import URLFetcher

class Named(URLFetcher):  # amip://diagramme/… and amip://inhalt/… as amip's own fetcher reads them
    def fetch(self, url, headers=None):
        for name, base in (("diagramme", sys.argv[4]), ("inhalt", sys.argv[5])):
            url = url.replace(f"amip://{name}/", base)
        return super().fetch(url, headers)

HTML(filename=sys.argv[1], base_url=sys.argv[3], url_fetcher=Named()).write_pdf(sys.argv[2])
"""


def edit_line(text: str) -> int:
    """Index of a plain paragraph line (a sentence to change) in the middle of a chapter's Markdown."""
    lines = text.split("\n")
    plain = [i for i, line in enumerate(lines) if len(line) > 80 and line.rstrip().endswith(".")
             and not line.startswith((":::", "#", "[[", "- ", "[^", "titel:", "|")) and not line[0].isdigit()]
    if not plain:
        raise SystemExit("Kein Absatz zum Ändern gefunden.")
    return plain[len(plain) // 2]


def measure(root: Path, org: str, edition: str, runs: int) -> dict:
    """cold, warm, edit-one-chapter and plain WeasyPrint of one edition: (median seconds, peak MiB) each."""
    folder = f"content/{org}/{edition}"
    amip = [PY, "-m", "amip.cli", "build", "--leise", folder]
    cold = []
    for _ in range(runs):
        clear_project(root, org, edition)
        cold.append(run(amip, root))
    warm = [run(amip, root) for _ in range(runs)]
    out = root / "build" / org / edition
    pdf = out / f"amip-{org}-{edition}.pdf"
    result = {"cold": median(cold), "warm": median(warm), "pages": pages(pdf)}
    plain_pdf = ROOT / "build" / "bench-plain.pdf"
    # same HTML, same base URL (the stylesheets and fonts live in templates/), default options; charts
    # and images are named amip://diagramme/… and amip://inhalt/… in druck.html (no local paths)
    plain_cmd = [PY, "-c", PLAIN, str(out / "druck.html"), str(plain_pdf), (ROOT / "templates").as_uri() + "/",
                 (root / "build" / ".cache" / "diagramme").as_uri() + "/", (root / "content" / org).as_uri() + "/"]
    result["plain"] = median([run(plain_cmd) for _ in range(runs)])
    plain_pdf.unlink(missing_ok=True)
    # edit one chapter: one sentence in the middle of the middle chapter changes, then `amip build` until it returns
    chapters = sorted((root / folder / "kapitel").glob("*.md"))
    chapter = chapters[len(chapters) // 2]
    original = chapter.read_bytes()
    edits = []
    try:
        lines = original.decode("utf-8").split("\n")
        at = edit_line("\n".join(lines))
        for i in range(runs):
            changed = list(lines)
            changed[at] = changed[at].rstrip()[:-1] + f" (geänderter Satz, Messung {i + 1})."
            chapter.write_text("\n".join(changed), encoding="utf-8")
            edits.append(run(amip, root))
    finally:
        chapter.write_bytes(original)
    result["edit"] = median(edits)
    result["chapter"] = chapter.name
    return result


def bench(edition: str) -> dict:
    result = measure(ROOT, "duesseldorf", edition, RUNS)
    result["check"] = check_cost(f"content/duesseldorf/{edition}")
    return result


def preview(edition: str, saves: int = 9, org: Path = ROOT / "content" / "duesseldorf") -> tuple[float, float, float]:
    """Save → reload event of `amip preview` on a copy of the edition: (median, slowest) seconds over
    `saves` saves of a chapter, each a new sentence, from the write to the server-sent event; and the
    median until the new page has been fetched as the browser does after the event."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from previewclient import Preview

    with tempfile.TemporaryDirectory(prefix="amip-bench-vorschau-") as tmp:
        project = Path(tmp)
        shutil.copytree(org, project / "content" / org.name)
        running = Preview(project, f"content/{org.name}/{edition}")
        try:
            events = running.events()
            chapter = sorted((project / "content" / org.name / edition / "kapitel").glob("*.md"))[1]
            text = chapter.read_text(encoding="utf-8")
            samples, fetched = [], []
            for i in range(saves):
                time.sleep(0.5)
                sentence = f"Satz Nummer {i} für die Messung."
                text += f"\n{sentence}\n"
                written = time.perf_counter()
                chapter.write_text(text, encoding="utf-8")
                _, arrived = events.next("neu", 30)
                samples.append(arrived - written)
                status, page = running.get("/")
                fetched.append(time.perf_counter() - written)
                if status != 200 or sentence not in page:
                    raise SystemExit(f"Die Vorschau zeigt den neuen Satz nicht: {sentence}")
            events.close()
        finally:
            running.stop()
    return statistics.median(samples), max(samples), statistics.median(fetched)


def bench_new_edition() -> tuple[float, float, int]:
    """`amip new-edition content/duesseldorf/2018 2019` in a temporary copy of the content (a fresh process each
    run). → (wall seconds, CPU seconds of the child, peak MiB); CPU time says more on a busy machine."""
    import tempfile

    samples = []
    with tempfile.TemporaryDirectory(prefix="amip-bench-") as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "content" / "duesseldorf", project / "content" / "duesseldorf")
        for _ in range(RUNS):
            shutil.rmtree(project / "content" / "duesseldorf" / "2019", ignore_errors=True)
            start = time.perf_counter()
            process = subprocess.Popen([PY, "-m", "amip.cli", "new-edition", "content/duesseldorf/2018", "2019"],
                                       cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"amip new-edition fehlgeschlagen:\n{process.stderr.read().decode()}")
            samples.append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024))
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
            max(s[2] for s in samples))


_DIFF_COST = """
import sys, time
start = time.perf_counter()
from amip.diff import compare
compare(sys.argv[1], sys.argv[2])
print(time.perf_counter() - start)
"""


def bench_diff(old: str = "content/duesseldorf/2018", new: str = "content/duesseldorf/2026") -> dict:
    """amip diff as an author runs it (PDF and HTML written), and the comparison alone (load both, compare)."""
    command = run([PY, "-m", "amip.cli", "diff", old, new])   # warms the OS file cache once
    whole = [run([PY, "-m", "amip.cli", "diff", old, new]) for _ in range(RUNS)]
    alone = [float(subprocess.run([PY, "-c", _DIFF_COST, old, new], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout) for _ in range(RUNS)]
    del command
    return {"whole": median(whole), "compare": statistics.median(alone)}


def print_diff() -> None:
    d = bench_diff()
    print("\namip diff content/duesseldorf/2018 content/duesseldorf/2026 (Änderungsübersicht)")
    print(f"  ganzer Befehl (PDF und HTML):  {d['whole'][0]:6.2f} s   {d['whole'][1]:5d} MiB   (Ziel < 2 s)")
    print(f"  davon Laden und Vergleichen:   {d['compare']:6.2f} s")


def de(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def synthetic_module():
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    return synthetic


def long_editions(known: dict[str, dict]) -> dict[str, dict]:
    """2026 and 2018 (measured already or now) and the synthetic 120- and 400-page editions."""
    synthetic = synthetic_module()
    results = dict(known)
    for edition in ("2026", "2018"):
        if edition not in results:
            results[edition] = measure(ROOT, "duesseldorf", edition, RUNS)
            results[edition]["runs"] = RUNS
    for size, runs in (("120", RUNS), ("400", RUNS_400)):
        if runs < 1:
            continue
        folder = synthetic.generate(int(size))
        results[size] = measure(folder.parents[2], synthetic.ORG, str(synthetic.YEAR), runs)
        results[size]["runs"] = runs
    return results


TARGETS = {"edit": {"120": 2.0}, "ratio": {"120": 0.5, "400": 0.5}}


def print_long(results: dict[str, dict]) -> None:
    print("\nLange Ausgaben (Issue 13): kalt = ohne build/.cache und Ausgabeordner; Speicher = Spitze der Summe PSS (geteilte Seiten anteilig) "
          "des Prozesses und aller Unterprozesse")
    rows = []
    for name, r in results.items():
        ratio = r["cold"][0] / r["plain"][0]
        amip_peak = max(r["cold"][1], r["warm"][1], r["edit"][1])
        label = f"Ausgabe {name}" if name in ("2026", "2018") else f"Synthetische Ausgabe {name} S."
        print(f"\n{label} ({r['pages']} Seiten, {r['runs']} Läufe je Messung)")
        print(f"  amip kalt (ohne Caches):        {de(r['cold'][0]):>7} s   {r['cold'][1]:5d} MiB")
        print(f"  amip warm (unverändert):        {de(r['warm'][0]):>7} s   {r['warm'][1]:5d} MiB")
        target = TARGETS["edit"].get(name)
        print(f"  ein Kapitel geändert ({r['chapter']}): {de(r['edit'][0]):>7} s   {r['edit'][1]:5d} MiB"
              + (f"   (Ziel ≤ {de(target, 0)} s)" if target else ""))
        print(f"  WeasyPrint pur, gleiches HTML:  {de(r['plain'][0]):>7} s   {r['plain'][1]:5d} MiB")
        target = TARGETS["ratio"].get(name)
        print(f"  kalt ÷ pur: {de(ratio)}" + (f"   (Ziel ≤ {de(target, 1)})" if target else ""))
        print(f"  Spitze Speicher amip / pur: {amip_peak} / {r['plain'][1]} MiB"
              + ("   (Ziel amip ≤ pur)" if name == "400" else ""))
        rows.append(f"| {name} | {r['pages']} | {de(r['cold'][0])} s | {de(r['warm'][0])} s | {de(r['edit'][0])} s | "
                    f"{de(r['plain'][0])} s | {de(ratio)} | {amip_peak} / {r['plain'][1]} MiB |")
    print("\nZeilen für BENCHMARKS.md:")
    print("| Ausgabe | Seiten | kalt | warm | ein Kapitel geändert | WeasyPrint pur | kalt ÷ pur | Spitze Speicher amip / pur |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


def main() -> None:
    if sys.argv[1:] == ["vorschau"]:
        return print_preview()
    print(f"amip-Benchmark ({RUNS} Läufe je Messung, 400 Seiten: {RUNS_400}; Median; "
          "Speicher = Spitzenwert PSS aller Prozesse)")
    if os.environ.get("AMIP_BENCH_NUR") == "diff":   # only the Änderungsübersicht
        print_diff()
        return
    if os.environ.get("AMIP_BENCH_NUR") == "lang":   # only the long editions (issue 13) and their preview
        print_long(long_editions({}))
        print_preview(("120",))
        return
    seconds, cpu, memory = bench_new_edition()
    print(f"\nNeues Jahr: amip new-edition 2018 → 2019: {seconds:6.2f} s (CPU {cpu:.2f} s)   {memory:5d} MiB   "
          "(Ziel < 2 s)")
    known = {}
    for edition in ("2026", "2018"):
        r = known[edition] = bench(edition)
        r["runs"] = RUNS
        ratio = r["warm"][0] / r["plain"][0]
        print(f"\nAusgabe {edition} ({r['pages']} Seiten)")
        print(f"  amip kalt (ohne Caches):   {r['cold'][0]:6.2f} s   {r['cold'][1]:5d} MiB")
        print(f"  amip warm:                 {r['warm'][0]:6.2f} s   {r['warm'][1]:5d} MiB")
        print(f"  WeasyPrint pur, gleiches HTML: {r['plain'][0]:6.2f} s   {r['plain'][1]:5d} MiB")
        print(f"  Verhältnis amip warm ÷ WeasyPrint pur: {ratio:.2f}" + ("   (Ziel ≤ 1,15)" if edition == "2026" else ""))
        layout, check, plain_write, archival_write = r["check"]
        print(f"  Satz (WeasyPrint-Layout): {layout:6.2f} s;  Randnotizen + Satzprüfung: {check:5.2f} s"
              f" = {check / r['warm'][0]:.1%} des Builds (Ziel ≤ 10 %)")
        print(f"  PDF schreiben: getaggt {plain_write:5.2f} s, als PDF/A-3u mit Quellen und XMP {archival_write:5.2f} s"
              f" ({archival_write - plain_write:+.2f} s)")
    print_long(long_editions(known))
    print_diff()
    print_preview()


def print_preview(editions: tuple[str, ...] = ("2026", "2018", "120")) -> None:
    print("\nVorschau (amip preview): Speichern → Neulade-Ereignis (Median / langsamster) → neue Seite geladen"
          " (Median), 9 Speichervorgänge")
    targets = {"2018": "   (Ziel ≤ 0,5 s)", "120": "   (Ziel ≤ 0,3 s)"}
    for edition in editions:
        if edition in ("2026", "2018"):
            middle, slowest, page = preview(edition)
            label = f"Ausgabe {edition}"
        else:
            synthetic = synthetic_module()
            folder = synthetic.generate(int(edition))
            middle, slowest, page = preview(str(synthetic.YEAR), org=folder.parent)
            label = f"Synthetische Ausgabe {edition} S."
        print(f"  {label}: {middle:5.2f} s / {slowest:5.2f} s → {page:5.2f} s" + targets.get(edition, ""))


if __name__ == "__main__":
    main()
