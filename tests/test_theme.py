"""Themes per organisation and page design options: real builds of a themed organisation in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from amip.build import build, load_edition
from amip.errors import ContentError
from amip.scaffold import scaffold
from conftest import ROOT, copy_content

GREEN = "#2e7d32"
LOGO_BLUE = "#1a4fa0"
SLOGAN = "Gemeinsam in Arbeit"
AZ = "Az. 50.1-2027/04"


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def _close(found, colour: str) -> bool:
    return found is not None and len(found) == 3 and all(abs(a - b) < 0.01 for a, b in zip(found, _rgb(colour)))


def dejavu(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def themed_project(target: Path, variant: str = "standard") -> Path:
    """A scaffolded organisation with its own colour, font, logo, slogan, short title and reference number."""
    scaffold(target, "Jobcenter Grünstadt", 2027)
    org = target / "content" / "gruenstadt"
    fonts = org / "theme" / "schriften"
    fonts.mkdir(parents=True)
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"):
        shutil.copyfile(dejavu(name), fonts / name)
    (org / "theme" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 20" width="60" height="20">'
        f'<rect x="0" y="0" width="60" height="20" fill="{LOGO_BLUE}"/></svg>\n', encoding="utf-8")
    traeger = org / "traeger.yaml"
    text = traeger.read_text(encoding="utf-8")
    text = text[:text.index("gestaltung:")] + "gestaltung:\n" + text[text.index("  titelseite:"):]
    assert '  farbe: "#00528c"' in text and "gestaltung:\n  titelseite:\n    logo: theme/logo.svg" in text
    text = text.replace('  farbe: "#00528c"', f'  farbe: "{GREEN}"').replace("""gestaltung:
  titelseite:
    logo: theme/logo.svg""", f"""  schrift:
    name: DejaVu Serif
    normal: theme/schriften/DejaVuSerif.ttf
    kursiv: theme/schriften/DejaVuSerif-Italic.ttf
    fett: theme/schriften/DejaVuSerif-Bold.ttf
gestaltung:
  kurztitel: AMIP Grünstadt
  kopfzeile: [kurztitel]
  fusszeile: [traeger, aktenzeichen]
  titelseite:
    variante: {variant}
    logo: theme/logo.svg
    slogan: {SLOGAN}
    programmnummer: nein""")
    traeger.write_text(text, encoding="utf-8")
    (org / "theme" / "zusatz-web.css").write_text("h1 { letter-spacing: .02em; }\n", encoding="utf-8")
    ausgabe = org / "2027" / "ausgabe.yaml"
    text = ausgabe.read_text(encoding="utf-8").replace("gestaltung:\n", f"gestaltung:\n  aktenzeichen: {AZ}\n")
    ausgabe.write_text(text, encoding="utf-8")
    return org / "2027"


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("themed")
    edition = themed_project(folder)
    return build(edition)


def test_theme_colour_font_and_logo_reach_the_pdf(themed):
    with pdfplumber.open(themed.pdf) as pdf:
        cover, contents, chapter = pdf.pages[0], pdf.pages[1], pdf.pages[2]
        heading = [c for c in chapter.chars if c["size"] > 13]
        assert heading and all(_close(c["non_stroking_color"], GREEN) for c in heading)
        assert {c["fontname"].split("+")[-1].replace("-", "") for c in chapter.chars} <= {"DejaVuSerif", "DejaVuSerifBold"}
        # the logo: a filled shape in its own colour in the top part of the cover, above the organisation
        org_top = min(c["top"] for c in cover.chars if c["text"] == "J")
        logo = [r for r in cover.rects + cover.curves if _close(r.get("non_stroking_color"), LOGO_BLUE)]
        assert logo and all(r["bottom"] < org_top for r in logo)
        assert not any(_close(r.get("non_stroking_color"), LOGO_BLUE) for r in contents.rects + contents.curves)
        text = cover.extract_text()
    assert SLOGAN in text and "Jobcenter Grünstadt" in text
    assert "Programm" not in text  # programmnummer: nein


def test_header_footer_and_imprint_show_the_configured_fields(themed):
    mm = 72 / 25.4
    with pdfplumber.open(themed.pdf) as pdf:
        for page in pdf.pages[1:]:
            top = page.within_bbox((0, 0, page.width, 25 * mm)).extract_text()
            bottom = page.within_bbox((0, page.height - 22 * mm, page.width, page.height)).extract_text()
            assert top.strip() == "AMIP Grünstadt"
            assert f"Jobcenter Grünstadt · {AZ}" in bottom
        imprint = pdf.pages[1].extract_text()
        cover = pdf.pages[0].extract_text()
    assert f"Aktenzeichen: {AZ}" in imprint and "Musterstraße 1" in imprint
    assert AZ not in cover and "Musterstraße" not in cover  # only where configured


def test_web_edition_carries_theme_assets(themed):
    web = themed.web.parent
    html = themed.web.read_text(encoding="utf-8")
    assert (web / "assets/bilder/logo.svg").is_file() and 'src="assets/bilder/logo.svg"' in html
    assert (web / "assets/schriften/DejaVuSerif.ttf").is_file() and "assets/schriften/DejaVuSerif.ttf" in html
    assert f"--farbe: {GREEN}" in html and SLOGAN in html
    assert (web / "assets/zusatz-web.css").is_file() and 'href="assets/zusatz-web.css"' in html
    printed = (themed.pdf.parent / "druck.html").read_text(encoding="utf-8")
    assert "theme/zusatz-druck.css" in printed and "zusatz-web.css" not in printed


def test_coloured_cover_variant(tmp_path):
    result = build(themed_project(tmp_path, "farbflaeche"))
    with pdfplumber.open(result.pdf) as pdf:
        cover = pdf.pages[0]
        fills = [r for r in cover.rects if _close(r.get("non_stroking_color"), GREEN)]
        assert any(r["width"] > cover.width * 0.99 and r["height"] > cover.height * 0.99 for r in fills)
        assert all(c["non_stroking_color"] in ((1, 1, 1), (1.0, 1.0, 1.0), [1, 1, 1]) or c["text"] == " "
                   for c in cover.chars), {c["non_stroking_color"] for c in cover.chars}
        assert result.pages == len(pdf.pages) and "Einleitung" in pdf.pages[2].extract_text()


def test_theme_template_overrides_the_default_by_name(tmp_path):
    from amip.build import render_html

    edition = themed_project(tmp_path)
    default = (ROOT / "templates" / "titelseite.html.j2").read_text(encoding="utf-8")
    (edition.parent / "theme" / "titelseite.html.j2").write_text(
        default.replace('<p class="titel-org">', '<p class="eigenes-deckblatt">Eigenes Deckblatt</p>\n  <p class="titel-org">'),
        encoding="utf-8")
    html = render_html(load_edition(edition), "print")
    assert '<p class="eigenes-deckblatt">Eigenes Deckblatt</p>' in html
    assert '<section class="impressum"' in html  # everything else still from the default theme


def _problems(edition: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_edition(edition)
    return caught.value.render()


def test_unknown_template_override_is_a_located_german_error(tmp_path):
    edition = themed_project(tmp_path)
    (edition.parent / "theme" / "ausgabe.htm.j2").write_text("{{ ctx }}", encoding="utf-8")
    message = _problems(edition)
    assert "content/gruenstadt/theme/ausgabe.htm.j2:1: Fehler: Die Vorlage „ausgabe.htm.j2“ ersetzt keine " \
           "mitgelieferte Vorlage." in message
    assert "Meinten Sie „ausgabe.html.j2“?" in message


def test_missing_theme_font_file_is_a_located_german_error(tmp_path):
    edition = themed_project(tmp_path)
    traeger = edition.parent / "traeger.yaml"
    lines = traeger.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "DejaVuSerif-Bold.ttf" in text)
    (edition.parent / "theme" / "schriften" / "DejaVuSerif-Bold.ttf").unlink()
    message = _problems(edition)
    assert f"content/gruenstadt/traeger.yaml:{line}:" in message
    assert "Schriftdatei „theme/schriften/DejaVuSerif-Bold.ttf“ nicht gefunden." in message


def test_font_name_must_match_the_files(tmp_path):
    edition = themed_project(tmp_path)
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8").replace("name: DejaVu Serif", "name: Hausschrift"),
                       encoding="utf-8")
    message = _problems(edition)
    assert "traeger.yaml:" in message and "gehören zur Familie „DejaVu Serif“, nicht zu „Hausschrift“" in message


@pytest.mark.parametrize("logo, expected", [
    ("../../geheim.svg", "geheim.svg“ liegt außerhalb des Inhaltsordners gruenstadt/."),
    ("theme/logo.svgz", "Logo „theme/logo.svgz“ hat keine passende Endung."),
    ("theme/lgo.svg", "Logo „theme/lgo.svg“ nicht gefunden."),
])
def test_design_files_are_checked_where_they_are_named(tmp_path, logo, expected):
    edition = themed_project(tmp_path)
    (tmp_path / "geheim.svg").write_text("<svg/>", encoding="utf-8")
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8").replace("logo: theme/logo.svg", f"logo: {logo}"),
                       encoding="utf-8")
    message = _problems(edition)
    assert "content/gruenstadt/traeger.yaml:" in message and expected in message


def test_footer_field_without_value_is_an_error(tmp_path):
    edition = themed_project(tmp_path)
    ausgabe = edition / "ausgabe.yaml"
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8").replace(f"  aktenzeichen: {AZ}\n", ""), encoding="utf-8")
    message = _problems(edition)
    assert "traeger.yaml:" in message and "Die Fußzeile soll „aktenzeichen“ zeigen" in message


def test_edition_design_overrides_the_organisation(tmp_path):
    edition = themed_project(tmp_path)
    ausgabe = edition / "ausgabe.yaml"
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8").replace(
        "  titelseite:\n    untertitel: Planung für 2027\n",
        "  kurztitel: AMIP 27\n  titelseite:\n    untertitel: Planung für 2027\n    slogan: Neu in 2027\n"
        "    programmnummer: ja\n"), encoding="utf-8")
    design = load_edition(edition).theme.design
    assert (design.kurztitel, design.slogan, design.programmnummer) == ("AMIP 27", "Neu in 2027", True)
    assert design.untertitel == "Planung für 2027" and design.logo.name == "logo.svg"  # kept from both files


def test_theme_changes_reach_the_cache_keys(tmp_path):
    """The note-placement cache and the chart cache are keyed on everything the theme contributes."""
    from amip.build import chart_declarations
    from amip.errors import Collector

    edition = themed_project(tmp_path)
    first = load_edition(edition)
    css = edition.parent / "theme" / "zusatz-druck.css"
    css.write_text(css.read_text(encoding="utf-8") + "h1 { letter-spacing: 1pt; }\n", encoding="utf-8")
    second = load_edition(edition)
    assert first.theme.fingerprint != second.theme.fingerprint
    font = edition.parent / "theme" / "schriften" / "DejaVuSerif.ttf"
    keys = [spec.key() for _, _, spec in chart_declarations(second, Collector())]
    shutil.copyfile(dejavu("DejaVuSerif-Bold.ttf"), font)  # same name, other bytes
    font.rename(font)
    third = load_edition(edition)
    assert third.theme.fingerprint != second.theme.fingerprint
    assert [spec.key() for _, _, spec in chart_declarations(third, Collector())] != keys


def test_another_organisations_theme_changes_nothing_in_duesseldorf(tmp_path, built_2026):
    """A theme folder, own templates and colours for one organisation leave another's PDF byte-identical."""
    content = copy_content(tmp_path)
    before = build(content / "2026", tmp_path / "vorher").pdf.read_bytes()
    assert before == built_2026.pdf.read_bytes()
    themed_project(tmp_path)
    theme = tmp_path / "content" / "gruenstadt" / "theme"
    (theme / "print.css").write_text((ROOT / "templates/print.css").read_text(encoding="utf-8")
                                     + "h1 { color: red; }\n", encoding="utf-8")
    (theme / "zusatz-druck.css").write_text("body { font-size: 14pt; }\n", encoding="utf-8")
    after = build(content / "2026", tmp_path / "nachher").pdf.read_bytes()
    assert after == before


def test_an_overfull_cover_stops_the_build_instead_of_spilling_over(tmp_path):
    from amip.errors import BuildError

    edition = themed_project(tmp_path)
    ausgabe = edition / "ausgabe.yaml"
    long = " ".join(["Ein sehr langer Untertitel, der viele Zeilen füllt"] * 12)
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8").replace("untertitel: Planung für 2027",
                                                                 f"untertitel: {long}\n    titelbild: ../theme/logo.svg"),
                       encoding="utf-8")
    with pytest.raises(BuildError, match="Die Titelseite ist zu voll"):
        build(edition)


def test_a_theme_print_css_replaces_the_default_and_still_finds_the_default_fonts(tmp_path):
    """theme/print.css (a copy with one change) replaces the default; its @import of fonts.css and the
    font files it names fall through to the default theme."""
    edition = themed_project(tmp_path)
    traeger = edition.parent / "traeger.yaml"
    text = traeger.read_text(encoding="utf-8")
    traeger.write_text(text[:text.index("  schrift:")] + text[text.index("gestaltung:"):], encoding="utf-8")
    default = (ROOT / "templates" / "print.css").read_text(encoding="utf-8")
    (edition.parent / "theme" / "print.css").write_text(default + "h1 { color: #b00020; }\n", encoding="utf-8")
    result = build(edition)
    with pdfplumber.open(result.pdf) as pdf:
        chapter = pdf.pages[2]
        heading = [c for c in chapter.chars if c["size"] > 13]
        assert heading and all(_close(c["non_stroking_color"], "#b00020") for c in heading)
        assert {c["fontname"].split("+")[-1].replace("-", "") for c in chapter.chars} <= {"OpenSans", "OpenSansBold",
                                                                                       "OpenSansSemiBold"}


@pytest.mark.parametrize("template, expected", [
    ('{% include "kopf.html.j2" %}\n', "titelseite.html.j2:1: Fehler: Die Vorlage bindet „kopf.html.j2“ ein"),
    ("<header>\n\n{{ ctx.year }\n</header>\n", "titelseite.html.j2:3: Fehler: Syntaxfehler in der Vorlage"),
    ("<header>\n\n{{ ctx.slogan }}\n</header>\n", "titelseite.html.j2:3: Fehler: Fehler in der Vorlage"),
])
def test_errors_in_a_theme_template_are_located(tmp_path, template, expected):
    from amip.build import render_html

    edition = themed_project(tmp_path)
    (edition.parent / "theme" / "titelseite.html.j2").write_text(template, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        render_html(load_edition(edition), "print")
    assert expected in caught.value.render()


def test_licence_texts_and_nested_stylesheets_are_not_mistaken_for_templates(tmp_path):
    edition = themed_project(tmp_path)
    theme = edition.parent / "theme"
    (theme / "schriften" / "OFL.txt").write_text("SIL Open Font License\n", encoding="utf-8")
    (theme / "LIZENZ.txt").write_text("Logo: eigene Gestaltung\n", encoding="utf-8")
    (theme / "css").mkdir()
    (theme / "css" / "tabellen-extra.css").write_text("td { color: black; }\n", encoding="utf-8")
    load_edition(edition)
    (theme / "silbentrenung.txt").write_text("Be-darfs-ge-mein-schaft\n", encoding="utf-8")
    assert "Meinten Sie „silbentrennung.txt“?" in _problems(edition)


def test_design_typos_are_located_german_errors(tmp_path):
    edition = themed_project(tmp_path)
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8")
                       .replace("    variante: standard", "    variante: bunt").replace("    slogan:", "    slogn:")
                       .replace("  kopfzeile: [kurztitel]", "  kopfzeile: [kurztitel, datum]")
                       .replace(f'  farbe: "{GREEN}"', '  farbe: "#2e7d3"\n  schriftgroesse: 20'), encoding="utf-8")
    message = _problems(edition)
    for expected in ("Unbekannter Schlüssel „slogn“.\n    Hinweis: Meinten Sie „slogan“?",
                     "Wert „datum“ ist hier nicht erlaubt.\n    Hinweis: Erlaubt: titel, kurztitel, traeger, aktenzeichen oder stand.",
                     "„#2e7d3“ hat nicht die erwartete Form.", "Schriftgröße 20 pt liegt außerhalb von 7 bis 14 pt."):
        assert expected in message
    assert message.count("content/gruenstadt/traeger.yaml:") == 5  # "variante: bunt" as well
