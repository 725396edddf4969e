"""make bench: amip against plain WeasyPrint on the same HTML, cold and warm; the 2018 edition's cost.

Each measurement is a fresh process (as an author runs it), timed with wall clock; peak memory is
the child's ru_maxrss. Prints medians and the ratio amip ÷ plain WeasyPrint. Not a test: numbers
depend on the machine; BENCHMARKS.md records them for the reference machine.
`bench.py vorschau` measures only save → reloaded preview page (amip preview).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RUNS = int(os.environ.get("AMIP_BENCH_RUNS", "5"))


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"Befehl fehlgeschlagen: {' '.join(cmd)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def clear_caches(edition: str) -> None:
    shutil.rmtree(ROOT / "build" / ".cache", ignore_errors=True)
    out = ROOT / "build" / "duesseldorf" / edition
    (out / ".amip-randnotizen.json").unlink(missing_ok=True)


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


def bench(edition: str) -> dict:
    folder = f"content/duesseldorf/{edition}"
    amip = [PY, "-m", "amip.cli", "build", folder]
    cold = []
    for _ in range(RUNS):
        clear_caches(edition)
        cold.append(run(amip))
    warm = [run(amip) for _ in range(RUNS)]
    html = ROOT / "build" / "duesseldorf" / edition / "druck.html"
    plain_pdf = ROOT / "build" / "bench-plain.pdf"
    # same HTML, same base URL (the stylesheets and fonts live in templates/), default options; charts
    # and images are named amip://diagramme/… and amip://inhalt/… in druck.html (no local paths)
    plain_cmd = [PY, "-c", PLAIN, str(html), str(plain_pdf), (ROOT / "templates").as_uri() + "/",
                 (ROOT / "build" / ".cache" / "diagramme").as_uri() + "/", (ROOT / "content" / "duesseldorf").as_uri() + "/"]
    plain = [run(plain_cmd) for _ in range(RUNS)]
    pdf = ROOT / "build" / "duesseldorf" / edition / f"amip-duesseldorf-{edition}.pdf"
    result = {"cold": median(cold), "warm": median(warm), "plain": median(plain), "pages": pages(pdf),
              "check": check_cost(folder)}
    plain_pdf.unlink(missing_ok=True)
    return result


def preview(edition: str, saves: int = 9) -> tuple[float, float, float]:
    """Save → reload event of `amip preview` on a copy of the edition: (median, slowest) seconds over
    `saves` saves of a chapter, each a new sentence, from the write to the server-sent event; and the
    median until the new page has been fetched as the browser does after the event."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from previewclient import Preview

    with tempfile.TemporaryDirectory(prefix="amip-bench-vorschau-") as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "content" / "duesseldorf", project / "content" / "duesseldorf")
        running = Preview(project, f"content/duesseldorf/{edition}")
        try:
            events = running.events()
            chapter = sorted((project / "content" / "duesseldorf" / edition / "kapitel").glob("*.md"))[1]
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


def main() -> None:
    if sys.argv[1:] == ["vorschau"]:
        return print_preview()
    print(f"amip-Benchmark ({RUNS} Läufe je Messung, Median; Speicher = Spitzenwert RSS)")
    if os.environ.get("AMIP_BENCH_NUR") == "diff":   # only the Änderungsübersicht
        print_diff()
        return
    seconds, cpu, memory = bench_new_edition()
    print(f"\nNeues Jahr: amip new-edition 2018 → 2019: {seconds:6.2f} s (CPU {cpu:.2f} s)   {memory:5d} MiB   "
          "(Ziel < 2 s)")
    for edition in ("2026", "2018"):
        r = bench(edition)
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
    print_diff()
    print_preview()


def print_preview() -> None:
    print("\nVorschau (amip preview): Speichern → Neulade-Ereignis (Median / langsamster) → neue Seite geladen"
          " (Median), 9 Speichervorgänge")
    for edition in ("2026", "2018"):
        middle, slowest, page = preview(edition)
        print(f"  Ausgabe {edition}: {middle:5.2f} s / {slowest:5.2f} s → {page:5.2f} s"
              + ("   (Ziel ≤ 0,5 s)" if edition == "2018" else ""))


if __name__ == "__main__":
    main()
