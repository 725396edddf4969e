"""`amip check` on broken copies of the real content: one located German message each, exit 1, no traceback."""

from __future__ import annotations

import re


from conftest import run_amip


def edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def check(content) -> tuple[int, str]:
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    return result.returncode, output


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": Fehler: " in line]


def test_real_content_passes(content):
    code, output = check(content)
    assert code == 0, output
    assert "Keine Fehler" in output


def test_yaml_float_instead_of_german_thousands(content):
    """`8.51` (what YAML makes of 8.510) is rejected with a hint; `8.510` itself is read as 8510."""
    data = content / "2026/daten/kennzahlen.yaml"
    edit(data, "plan: 1.994", "plan: 1.99")
    code, output = check(content)
    assert code == 1
    [message] = errors(output)
    line = line_of(data, "plan: 1.99}")
    assert re.match(rf"content/duesseldorf/2026/daten/kennzahlen.yaml:{line}:\d+: Fehler: „1.99“ ist keine ganze Zahl "
                    r"im deutschen Format – gemeint 1.990\?", message), message


def test_misspelled_key(content):
    ausgabe = content / "2026/ausgabe.yaml"
    edit(ausgabe, "impressum:", "impresum:")
    code, output = check(content)
    assert code == 1
    assert len(errors(output)) == 1, output
    line = line_of(ausgabe, "impresum:")
    assert f"content/duesseldorf/2026/ausgabe.yaml:{line}:1: Fehler: Unbekannter Schlüssel „impresum“." in output
    assert "Meinten Sie „impressum“?" in output


def test_duplicate_key(content):
    ausgabe = content / "2026/ausgabe.yaml"
    edit(ausgabe, "status: beschlossen", "status: beschlossen\nstatus: entwurf")
    code, output = check(content)
    assert code == 1
    [message] = errors(output)
    first, second = line_of(ausgabe, "status: beschlossen"), line_of(ausgabe, "status: entwurf")
    assert message == (f"content/duesseldorf/2026/ausgabe.yaml:{second}:1: Fehler: Schlüssel „status“ doppelt "
                       f"(zuerst in Zeile {first}).")


def test_tab_indentation(content):
    data = content / "2026/daten/kennzahlen.yaml"
    edit(data, "  bezeichnung: Zweckbestimmung", "\tbezeichnung: Zweckbestimmung")
    code, output = check(content)
    assert code == 1
    [message] = errors(output)
    line = line_of(data, "\tbezeichnung")
    assert message.startswith(f"content/duesseldorf/2026/daten/kennzahlen.yaml:{line}:1: Fehler: Tabulator")


def test_missing_chapter_file(content):
    (content / "2026/kapitel/04-bildungszielplanung.md").rename(content / "2026/kapitel/04-bildungsziel.md")
    code, output = check(content)
    assert code == 1
    [message] = errors(output)
    line = line_of(content / "2026/ausgabe.yaml", "04-bildungszielplanung.md")
    assert message.startswith(f"content/duesseldorf/2026/ausgabe.yaml:{line}:")
    assert "„kapitel/04-bildungszielplanung.md“ nicht gefunden" in message
    assert "Meinten Sie „04-bildungsziel.md“?" in output


def test_stated_total_disagrees(content):
    data = content / "2026/daten/kennzahlen.yaml"
    edit(data, "erwartet: {plan: 8.510, basis: 7.274}", "erwartet: {plan: 8.501, basis: 7.274}")
    code, output = check(content)
    assert code == 1
    [message] = errors(output)
    line = line_of(data, "plan: 8.501")
    assert re.match(rf"content/duesseldorf/2026/daten/kennzahlen.yaml:{line}:\d+: Fehler: Summe „mit FbW / Reha“ "
                    r"\(plan\): erwartet 8.501, berechnet 8.510\.", message), message


def test_all_problems_are_listed_at_once(content):
    """Several mistakes in several files: check reports every one, then stops."""
    edit(content / "2026/ausgabe.yaml", "impressum:", "impresum:")
    edit(content / "2026/daten/kennzahlen.yaml", "plan: 1.994", "plan: 1.99")
    edit(content / "2026/daten/leistungen-16a.yaml", "15 bis 30", "30 bis 15")
    code, output = check(content)
    assert code == 1
    assert len(errors(output)) == 3, output


def test_unknown_reference_id(content):
    chapter = content / "2026/kapitel/01-einfuehrung.md"
    edit(chapter, "[[kapitel: fallmanagement]]", "[[kapitel: fallmanagment]]")
    code, output = check(content)
    assert code == 1
    [message] = errors(output)
    assert message.startswith("content/duesseldorf/2026/kapitel/01-einfuehrung.md:")
    assert "Verweisziel „fallmanagment“ gibt es nicht." in message


def test_raw_html_in_markdown_is_text_not_markup(content, tmp_path):
    """Authors cannot inject markup: <script> and <img src=file:…> come out escaped."""
    from amip.build import load_edition, render_html

    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n\n<img src=\"file:///etc/passwd\">\n",
                       encoding="utf-8")
    html = render_html(load_edition(content / "2026"), "print")
    assert "<script>" not in html and '<img src="file:///etc/passwd"' not in html
    assert "&lt;script&gt;" in html and '&lt;img src="file:///etc/passwd"&gt;' in html.replace("&quot;", '"')


def test_not_an_edition_folder(tmp_path):
    result = run_amip("check", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ausgabe.yaml fehlt" in result.stderr
