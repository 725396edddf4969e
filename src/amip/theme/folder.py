"""Turn an organisation's theme folder and design options into a checked ThemeSetup for rendering.

The template search path is the organisation's `theme/` folder first, then the default theme
(the package's `templates/`), as MkDocs' `custom_dir` does: a file in `theme/` named like a
default template replaces it, everything else falls through to the default. Paths an author
names (font files, logo, cover picture) must exist and stay inside the organisation folder.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Collector, Location
from ..load import Document, confined
from .model import Gestaltung, Theme

THEME_FOLDER = "theme"
ADDITIONS = {"zusatz-druck.css": "print", "zusatz-web.css": "web"}
TEMPLATE_SUFFIXES = (".j2", ".css", ".txt", ".html")
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
FACES = {"normal": (400, "normal"), "kursiv": (400, "italic"), "halbfett": (600, "normal"),
         "fett": (700, "normal"), "fettkursiv": (700, "italic")}


def default_templates() -> Path:
    """The default theme shipped with amip (package data `amip.templates`, the repo's templates/)."""
    try:
        from importlib.resources import files

        folder = Path(str(files("amip.templates")))
        if (folder / "ausgabe.html.j2").is_file():
            return folder
    except (ImportError, TypeError):  # running from a source tree without an install
        pass
    return Path(__file__).resolve().parents[3] / "templates"


@dataclass(frozen=True)
class Font:
    name: str                                     # CSS family name
    faces: tuple[tuple[int, str, Path], ...]      # (weight, style, file)
    families: frozenset[str]                      # family names inside the files (what the PDF shows)


@dataclass(frozen=True)
class Design:
    """The merged page design of one edition (edition values over organisation values over defaults)."""

    variante: str = "standard"
    logo: Path | None = None
    titelbild: Path | None = None
    slogan: str | None = None
    untertitel: str | None = None
    kurztitel: str | None = None
    kurztitel_auf_titelseite: bool = False
    programmnummer: bool = True
    aktenzeichen: str | None = None
    kopfzeile: tuple[str, ...] = ("titel",)
    fusszeile: tuple[str, ...] = ("traeger",)
    anschrift: tuple[str, ...] = ("impressum",)


@dataclass(frozen=True)
class ThemeSetup:
    defaults: Path
    folder: Path | None                           # the organisation's theme/ folder, if it has one
    theme: Theme
    design: Design
    font: Font | None = None
    fingerprint: str = ""
    files: tuple[Path, ...] = field(default=())   # every theme file the output depends on

    @property
    def search_path(self) -> tuple[Path, ...]:
        return (self.folder, self.defaults) if self.folder else (self.defaults,)

    def find(self, name: str) -> Path:
        """The file `name` from the first folder of the search path that has it."""
        for folder in self.search_path:
            if (folder / name).is_file():
                return folder / name
        return self.defaults / name

    def addition(self, target: str) -> Path | None:
        """theme/zusatz-druck.css or theme/zusatz-web.css: CSS loaded after the default stylesheet."""
        for name, kind in ADDITIONS.items():
            if kind == target and self.folder and (self.folder / name).is_file():
                return self.folder / name
        return None

    def roots(self) -> tuple[Path, ...]:
        """Folders the PDF renderer may read from for the theme."""
        return self.search_path


def default_setup() -> ThemeSetup:
    return ThemeSetup(default_templates(), None, Theme(), Design(), fingerprint=_fingerprint([default_templates()]))


def load_theme(org: Path, edition: Path, traeger, traeger_doc: Document, ausgabe, ausgabe_doc: Document,
               problems: Collector) -> ThemeSetup:
    """Check the theme folder, the font and the design files; every mistake is a located message."""
    defaults = default_templates()
    folder = org / THEME_FOLDER
    folder = folder if folder.is_dir() else None
    if folder is not None:
        _check_overrides(folder, defaults, problems)
    font = _font(org, traeger.theme, traeger_doc, problems)
    design = _design(org, edition, traeger.gestaltung, traeger_doc, ausgabe.gestaltung, ausgabe_doc, problems)
    files = [p for p in (design.logo, design.titelbild) if p] + [p for _, _, p in (font.faces if font else ())]
    return ThemeSetup(defaults, folder, traeger.theme, design, font,
                      _fingerprint([defaults, *([folder] if folder else []), *files]), tuple(files))


def _check_overrides(folder: Path, defaults: Path, problems: Collector) -> None:
    known = sorted(p.name for p in defaults.iterdir() if p.is_file() and p.suffix in TEMPLATE_SUFFIXES
                   and p.name != "__init__.py")
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES:
            continue
        name = path.relative_to(folder).as_posix()
        if name in known or name in ADDITIONS:
            continue
        close = difflib.get_close_matches(name, known + list(ADDITIONS), n=1, cutoff=0.6)
        if path.suffix != ".j2" and (path.parent != folder or (path.suffix == ".txt" and not close)):
            continue  # stylesheets in subfolders, licence texts of fonts: not templates
        problems.error(Location(path, 1), f"Die Vorlage „{name}“ ersetzt keine mitgelieferte Vorlage.",
                       (f"Meinten Sie „{close[0]}“? " if close else "")
                       + "Im Theme-Ordner gelten nur Dateien mit dem Namen einer mitgelieferten Vorlage ("
                       + ", ".join(known) + ") sowie zusatz-druck.css und zusatz-web.css.")


def _font(org: Path, theme: Theme, doc: Document, problems: Collector) -> Font | None:
    if theme.schrift is None:
        return None
    faces, families = [], set()
    for key, (weight, style) in FACES.items():
        given = getattr(theme.schrift, key)
        if given is None:
            continue
        where = doc.where(("theme", "schrift", key))
        path = _author_file(org, org, given, FONT_SUFFIXES, "Schriftdatei", where, problems)
        if path is None:
            continue
        names = _family_names(path)
        if not names:
            problems.error(where, f"„{given}“ ist keine lesbare Schriftdatei.",
                           "Verwenden Sie eine TrueType- oder OpenType-Datei (.ttf, .otf).")
            continue
        families |= names
        faces.append((weight, style, path))
    if not faces:
        return None
    if theme.schrift.name not in families:  # charts (SVG) and the PDF name the family as the files do
        problems.error(doc.where(("theme", "schrift", "name")),
                       f"Die Schriftdateien gehören zur Familie „{' / '.join(sorted(families))}“, nicht zu „{theme.schrift.name}“.",
                       f"Tragen Sie als name den Familiennamen aus der Datei ein: „{sorted(families)[0]}“.")
        return None
    return Font(theme.schrift.name, tuple(faces), frozenset(families))


def _family_names(path: Path) -> set[str]:
    try:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True) as font:
            return {str(record.toUnicode()) for record in font["name"].names if record.nameID in (1, 16)}
    except Exception:  # noqa: BLE001 – any unreadable file is reported as "not a font"
        return set()


def _author_file(base: Path, org: Path, given: str, suffixes: tuple[str, ...], what: str, where: Location,
                 problems: Collector) -> Path | None:
    """A file the author names relative to `base`; it must exist, have a fitting type and stay in `org`."""
    path = base / given
    if confined(path, org, where, problems, what) is None:  # the one path check shared with chapters and images
        return None
    if path.suffix.lower() not in suffixes:
        problems.error(where, f"{what} „{given}“ hat keine passende Endung.", "Erlaubt: " + ", ".join(suffixes) + ".")
        return None
    if not path.is_file():
        near = sorted(p.name for p in path.parent.glob("*")) if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, near, n=1)
        problems.error(where, f"{what} „{given}“ nicht gefunden.",
                       f"Meinten Sie „{close[0]}“?" if close else
                       f"Der Pfad gilt relativ zum Ordner {base.name}/ der Datei, in der er steht.")
        return None
    return path.resolve()


def _design(org: Path, edition: Path, own: Gestaltung, own_doc: Document, over: Gestaltung, over_doc: Document,
            problems: Collector) -> Design:
    """Edition values over organisation values; each value is checked where it was written."""
    values: dict = {}
    where: dict[str, Location] = {}
    for setting, doc, base in ((own, own_doc, org), (over, over_doc, edition)):
        for key in ("kurztitel", "aktenzeichen", "kopfzeile", "fusszeile", "anschrift"):
            if getattr(setting, key) is not None:
                values[key], where[key] = getattr(setting, key), doc.where(("gestaltung", key))
        for key in ("variante", "slogan", "untertitel", "kurztitel", "programmnummer", "logo", "titelbild"):
            value = getattr(setting.titelseite, key)
            if value is None:
                continue
            here = doc.where(("gestaltung", "titelseite", key))
            if key in ("logo", "titelbild"):
                value = _author_file(base, org, value, IMAGE_SUFFIXES, "Logo" if key == "logo" else "Titelbild",
                                     here, problems)
            values["cover_" + key], where["cover_" + key] = value, here
    for key in ("kopfzeile", "fusszeile"):
        for part in values.get(key, ()):
            if part in ("kurztitel", "aktenzeichen") and not values.get(part):
                problems.error(where[key], f"Die {'Kopf' if key == 'kopfzeile' else 'Fuß'}zeile soll „{part}“ zeigen, "
                               f"aber es ist kein {part.capitalize()} angegeben.",
                               f"Tragen Sie unter gestaltung: „{part}: …“ ein oder nehmen Sie „{part}“ aus der Liste.")
    if values.get("cover_kurztitel") and not values.get("kurztitel"):
        problems.error(where["cover_kurztitel"], "Die Titelseite soll den Kurztitel zeigen, aber es ist keiner angegeben.",
                       "Tragen Sie unter gestaltung: „kurztitel: …“ ein.")
    defaults = Design()
    return Design(
        variante=values.get("cover_variante") or defaults.variante,
        logo=values.get("cover_logo"), titelbild=values.get("cover_titelbild"),
        slogan=values.get("cover_slogan"), untertitel=values.get("cover_untertitel"),
        kurztitel=values.get("kurztitel"), kurztitel_auf_titelseite=bool(values.get("cover_kurztitel")),
        programmnummer=values.get("cover_programmnummer", defaults.programmnummer),
        aktenzeichen=values.get("aktenzeichen"),
        kopfzeile=tuple(values.get("kopfzeile", defaults.kopfzeile)),
        fusszeile=tuple(values.get("fusszeile", defaults.fusszeile)),
        anschrift=tuple(values.get("anschrift", defaults.anschrift)))


def _fingerprint(paths: list[Path]) -> str:
    """One hash over every file below `paths` (name and bytes): caches keyed on it notice any theme change."""
    digest = hashlib.sha256()
    for root in paths:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def template_error(exc: Exception) -> Exception:
    """A Jinja error inside an organisation's own template → a located ContentError; others stay as they are."""
    import traceback

    import jinja2

    from ..errors import ContentError, Problem

    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if path is None:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith((".j2", ".html")):
                path, line = frame.f_code.co_filename, lineno
    if path is None or Path(path).resolve().parent == default_templates().resolve():
        return exc  # the default theme's own templates: a bug in amip, reported as such
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"Die Vorlage bindet „{exc.name}“ ein, die es weder im Theme-Ordner noch in der Standardgestaltung gibt."
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        message = f"Syntaxfehler in der Vorlage: {exc.message}"
    else:
        message = f"Fehler in der Vorlage: {exc}"
    return ContentError([Problem(Location(Path(path), line), message,
                                 "Die Vorlage stammt aus dem Theme-Ordner des Trägers; vergleichen Sie sie mit der "
                                 "mitgelieferten Fassung (docs/neuer-traeger.md, Abschnitt 7).")])
