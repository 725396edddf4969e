"""amip as an installed tool: a built wheel carries its templates and fonts, `amip init` scaffolds a project
outside the repo, and commands find the project root from any folder inside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from pathlib import Path

from conftest import ROOT, run_amip


def _run(cmd: list, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def test_every_package_is_listed_for_the_wheel():
    """pyproject lists its packages (templates/ is mapped in); a subpackage missing there would be lost."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("*.py")
             if "__pycache__" not in p.parts}
    assert found | {"amip.templates"} <= listed


def test_wheel_installed_outside_the_repo_scaffolds_and_builds_a_project(tmp_path):
    timings = {}
    start = time.monotonic()
    source = tmp_path / "quelle"  # a clean copy: building in the checkout would leave build/lib behind
    for name in ("src", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", dist, source],
         tmp_path)
    wheel = next(dist.glob("amip-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("ausgabe.html.j2", "titelseite.html.j2", "tabellen.html.j2", "print.css", "screen.css", "fonts.css",
                 "silbentrennung.txt", "fonts/OpenSans-Regular.ttf", "fonts/OpenSans-Bold.ttf", "fonts/LICENSE"):
        assert f"amip/templates/{data}" in names
    assert {"amip/preview/vorschau.js", "amip/preview/vorschau.css"} <= names  # amip preview's page script
    timings["wheel"] = time.monotonic() - start

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
          "--disable-pip-version-check", wheel], tmp_path)
    # the dependencies come from the test environment (like --system-site-packages), amip itself only from the wheel:
    # a plain path entry does not run the editable install's .pth hook, so the checkout stays invisible
    purelib = Path(sysconfig.get_paths()["purelib"])
    venv_site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path)
                     .stdout.strip())
    (venv_site / "abhaengigkeiten.pth").write_text(f"{purelib}\n", encoding="utf-8")
    where = _run([python, "-c", "import amip.render as r; print(r.__file__); print(r.TEMPLATES)"], tmp_path)
    module, templates = where.stdout.split()
    assert module.startswith(str(venv)) and templates.startswith(str(venv)), where.stdout
    timings["install"] = time.monotonic() - start - timings["wheel"]

    empty = tmp_path / "leer"
    empty.mkdir()
    amip = venv / "bin" / "amip"
    _run([amip, "init", "--name", "Jobcenter Beispielstadt", "--jahr", "2027"], empty)
    assert (empty / "amip-projekt.yaml").is_file() and (empty / "content/beispielstadt/2027/ausgabe.yaml").is_file()
    checked = _run([amip, "check"], empty / "content" / "beispielstadt")  # the project root is found upwards
    assert "Keine Fehler in" in checked.stdout
    built = _run([amip, "build"], empty)
    pdf = empty / "build/beispielstadt/2027/amip-beispielstadt-2027.pdf"
    assert "PDF (4 Seiten)" in built.stdout and pdf.is_file()
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Jobcenter Beispielstadt" in text and "Eintritte in Maßnahmen" in text
    assert (empty / "build/beispielstadt/2027/web/assets/bilder/logo.svg").is_file()
    timings["init+build"] = time.monotonic() - start - timings["wheel"] - timings["install"]
    print("Zeiten (s):", {k: round(v, 1) for k, v in timings.items()})
    assert sum(timings.values()) < 240, timings


def test_init_never_overwrites_existing_files(tmp_path):
    (tmp_path / "README.md").write_text("Unsere eigene Beschreibung\n", encoding="utf-8")
    result = run_amip("init", str(tmp_path), "--name", "Jobcenter Nordhafen", "--jahr", "2028")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "Unsere eigene Beschreibung\n"
    assert "Vorhanden, nicht verändert: " in result.stderr and "README.md" in result.stderr
    traeger = tmp_path / "content/nordhafen/traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8").replace("Musterstraße 1", "Kaistraße 7"), encoding="utf-8")
    again = run_amip("init", str(tmp_path), "--name", "Jobcenter Nordhafen", "--jahr", "2028")
    assert again.returncode == 0 and "0 Dateien angelegt" in again.stdout
    assert "Kaistraße 7" in traeger.read_text(encoding="utf-8")
    assert "build/" in (tmp_path / ".gitignore").read_text(encoding="utf-8")


def test_commands_outside_a_project_say_so_in_german(tmp_path):
    result = run_amip("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "Hier ist kein amip-Projekt (amip-projekt.yaml fehlt" in result.stderr and "amip init" in result.stderr
    assert "Traceback" not in result.stderr


def test_project_marker_names_the_default_edition(tmp_path):
    (tmp_path / "amip-projekt.yaml").write_text("standardausgabe: content/fehlt/2030\nfalsch: ja\n", encoding="utf-8")
    result = run_amip("check", cwd=tmp_path)
    assert result.returncode == 1 and "amip-projekt.yaml:2:1: Fehler:" in result.stderr


def test_the_repo_is_a_project_whose_default_is_the_2026_edition():
    from amip.projekt import default_edition, find_root, project_root

    assert find_root(ROOT / "content" / "duesseldorf") == ROOT
    assert default_edition(ROOT / "src").resolve() == (ROOT / "content/duesseldorf/2026").resolve()
    assert project_root(ROOT / "content/duesseldorf/2018") == ROOT


def test_init_rejects_bad_year_and_short_name_in_german(tmp_path):
    for args, expected in ((["--jahr", "zwanzig"], "„zwanzig“ ist keine Jahreszahl"),
                           (["--kuerzel", "Groß Stadt"], "Das Kürzel „Groß Stadt“ taugt nicht als Ordnername")):
        result = run_amip("init", str(tmp_path / "neu"), *args)
        assert result.returncode == 1 and expected in result.stderr
        assert not (tmp_path / "neu").exists()


def test_short_name_comes_from_the_organisation_name():
    from amip.scaffold import slug

    assert slug("Jobcenter Märkischer Kreis") == "maerkischer-kreis"
    assert slug("Jobcenter Städteregion Aachen") == "staedteregion-aachen"
