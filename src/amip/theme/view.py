"""Turn a ThemeSetup and an edition's design into the values the page template shows, and copy web assets.

Colours an organisation does not set are tints of its house colour; with the default house colour
they are exactly the default theme's values, so an organisation without a theme looks as before.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .folder import ThemeSetup
from .model import Theme

DEFAULT = Theme()
# the default theme's tints of #00528c, kept exactly (light area, strong area, line, table rule)
_DEFAULT_TINTS = {"flaeche": "#eef3f8", "flaeche_stark": "#dde7f1", "linie": "#9bb3c9", "linie_tabelle": "#c8d4e0"}
_TINT_SHARE = {"flaeche": 0.07, "flaeche_stark": 0.14, "linie": 0.4, "linie_tabelle": 0.22}


def tint(colour: str, share: float) -> str:
    """`share` of `colour` over white: tint("#00528c", 0.07) is a pale blue."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * share + 255 * (1 - share)):02x}" for c in channels)


@dataclass(frozen=True)
class ThemeView:
    farbe: str
    akzent: str
    flaeche: str
    flaeche_stark: str
    linie: str
    linie_tabelle: str
    font_name: str | None                          # None: the default Open Sans
    faces: tuple[tuple[str, int, str], ...]        # (url, weight, style) of the theme font
    font_size: float | None                        # body text in pt; None: the default 10 pt
    stylesheet: str                                # href of print.css / screen.css (default or theme)
    addition: str | None                           # href of zusatz-druck.css / zusatz-web.css

    @property
    def colour_hex(self) -> str:
        return self.farbe[1:]


@dataclass(frozen=True)
class PageDesign:
    variante: str
    logo: str | None                               # URL of the logo (file URI in print, assets/… on the web)
    titelbild: str | None
    slogan: str | None
    untertitel: str | None
    kurztitel: str | None
    kurztitel_auf_titelseite: bool
    programmnummer: bool
    aktenzeichen: str | None
    kopfzeile: str                                 # header text (print)
    fusszeile: str                                 # footer text left of the page number (print)
    anschrift: tuple[str, ...]                     # name, street, postcode and town
    anschrift_titelseite: bool
    anschrift_impressum: bool


def _url(path: Path, target: str, folder: str, name: str | None = None, org: Path | None = None) -> str:
    """Web: the copy in assets/. Print: a file of the organisation folder as amip://inhalt/… (the name
    pdf's fetcher knows), so druck.html – kept with the build and archived – holds no local path."""
    if target == "web":
        return f"assets/{folder}/{name or path.name}"
    if org is not None and org.resolve() in path.resolve().parents:
        from urllib.parse import quote

        return "amip://inhalt/" + quote(path.resolve().relative_to(org.resolve()).as_posix())
    return path.as_uri()


def theme_view(setup: ThemeSetup, target: str, org: Path | None = None) -> ThemeView:
    theme = setup.theme
    tints = dict(_DEFAULT_TINTS) if theme.farbe.lower() == DEFAULT.farbe else \
        {key: tint(theme.farbe, share) for key, share in _TINT_SHARE.items()}
    tints.update({key: value for key, value in (("flaeche", theme.flaeche), ("linie", theme.linie)) if value})
    faces = tuple((_url(path, target, "schriften", org=org), weight, style) for weight, style, path in setup.font.faces) \
        if setup.font else ()
    main = "print.css" if target == "print" else "screen.css"
    found = setup.find(main)
    if target == "web":
        stylesheet = f"assets/{main}"
    else:
        stylesheet = main if found.parent == setup.defaults else found.as_uri()
    addition = setup.addition(target)
    return ThemeView(theme.farbe, theme.akzent, tints["flaeche"], tints["flaeche_stark"], tints["linie"],
                     tints["linie_tabelle"], setup.font.name if setup.font else None, faces,
                     theme.schriftgroesse if theme.schriftgroesse != DEFAULT.schriftgroesse else None, stylesheet,
                     (f"assets/{addition.name}" if target == "web" else addition.as_uri()) if addition else None)


def page_design(edition, target: str) -> PageDesign:
    """Header, footer and cover of one edition, in the words they are printed with."""
    from ..cycle import status

    design, a, t = edition.theme.design, edition.ausgabe, edition.traeger
    parts = {"titel": f"{a.titel} {a.jahr}", "kurztitel": design.kurztitel or "", "traeger": t.name,
             "aktenzeichen": design.aktenzeichen or "", "stand": f"Stand {status.stand_text(a)}"}
    org = edition.folder.resolve().parent
    logo = _url(design.logo, target, "bilder", "logo" + design.logo.suffix.lower(), org) if design.logo else None
    cover = _url(design.titelbild, target, "bilder", "titelbild" + design.titelbild.suffix.lower(), org) \
        if design.titelbild else None
    return PageDesign(
        design.variante, logo, cover, design.slogan, design.untertitel, design.kurztitel,
        design.kurztitel_auf_titelseite, design.programmnummer, design.aktenzeichen,
        " · ".join(parts[p] for p in design.kopfzeile if parts[p]),
        " · ".join(parts[p] for p in design.fusszeile if parts[p]),
        (t.name, t.anschrift.strasse, f"{t.anschrift.plz} {t.anschrift.ort}"),
        "titelseite" in design.anschrift, "impressum" in design.anschrift)


def copy_web_assets(setup: ThemeSetup, assets: Path) -> None:
    """Stylesheets, fonts and design pictures of the web edition into `assets/` (theme files over defaults)."""
    (assets / "fonts").mkdir(parents=True)
    for name in ("screen.css", "fonts.css"):
        shutil.copyfile(setup.find(name), assets / name)
    for font in sorted((setup.defaults / "fonts").glob("*.ttf")):
        shutil.copyfile(font, assets / "fonts" / font.name)
    addition = setup.addition("web")
    if addition:
        shutil.copyfile(addition, assets / addition.name)
    if setup.font:
        (assets / "schriften").mkdir()
        for _, _, path in setup.font.faces:
            shutil.copyfile(path, assets / "schriften" / path.name)
    pictures = [("logo", setup.design.logo), ("titelbild", setup.design.titelbild)]
    if any(path for _, path in pictures):
        (assets / "bilder").mkdir()
        for stem, path in pictures:
            if path:
                shutil.copyfile(path, assets / "bilder" / (stem + path.suffix.lower()))
