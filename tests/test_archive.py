"""Publishing: one snapshot per version, write-once versions, a correction is a new version, verify finds any change."""

from __future__ import annotations

import fcntl
import json
import os
import shutil

import pytest

from amip.archive import publish, verify
from amip.errors import BuildError, ContentError
from conftest import ROOT, copy_content, copy_project, run_amip
from test_check import edit

CHAPTER = "2026/kapitel/06-besondere-zielgruppen.md"
PDF = "data/ausgabe/amip-duesseldorf-2026.pdf"


def test_publish_versions_and_verify(tmp_path):
    content = copy_content(tmp_path)
    first = publish(content / "2026")
    assert first.new and first.version == 1 and first.path == tmp_path / "archive/duesseldorf/2026/v1"
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and manifest["vorgaenger"] is None and manifest["seiten"] >= 17
    assert manifest["vorgaenger_manifest_sha256"] is None
    assert PDF in manifest["dateien"]
    assert "data/quellen/content/duesseldorf/2026/daten/kennzahlen.yaml" in manifest["dateien"]
    assert "data/quellen/content/duesseldorf/traeger.yaml" in manifest["dateien"]
    assert verify(first.path) == []
    pdf_before = (first.path / PDF).read_bytes()

    again = publish(content / "2026")                      # same sources: no new version
    assert not again.new and again.version == 1

    edit(content / "2026/daten/kennzahlen.yaml", "plan: 1.994", "plan: 1.995")   # a correction
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 8.510", "erwartet: {plan: 8.511")
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 7.300", "erwartet: {plan: 7.301")
    second = publish(content / "2026")
    assert second.new and second.version == 2
    chained = json.loads((second.path / "manifest.json").read_text(encoding="utf-8"))
    assert chained["vorgaenger"] == "v1"
    assert chained["vorgaenger_manifest_sha256"] == _sha256((first.path / "manifest.json").read_bytes())
    assert (first.path / PDF).read_bytes() == pdf_before   # v1 untouched
    assert verify(first.path) == [] and verify(second.path) == []
    listed = json.loads((tmp_path / "archive/index.json").read_text(encoding="utf-8"))["versionen"]
    assert [(e["pfad"], e["manifest_sha256"]) for e in listed] == [
        ("duesseldorf/2026/v1", _sha256((first.path / "manifest.json").read_bytes())),
        ("duesseldorf/2026/v2", _sha256((second.path / "manifest.json").read_bytes()))]


def test_version_folders_are_bagit_bags(archived):
    """RFC 8493: bagit.txt, data/, manifest-sha256.txt and tagmanifest-sha256.txt agree with the files."""
    import hashlib

    entry = archived / "archive/duesseldorf/2026/v3"
    assert (entry / "bagit.txt").read_text(encoding="utf-8") == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    payload = {p.relative_to(entry).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in (entry / "data").rglob("*") if p.is_file()}
    listed = dict(reversed(line.split("  ", 1)) for line in (entry / "manifest-sha256.txt").read_text().splitlines())
    assert listed == payload and PDF in listed
    tags = dict(reversed(line.split("  ", 1)) for line in (entry / "tagmanifest-sha256.txt").read_text().splitlines())
    assert tags == {name: hashlib.sha256((entry / name).read_bytes()).hexdigest()
                    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest.json")}
    info = (entry / "bag-info.txt").read_text(encoding="utf-8")
    size = sum((entry / name).stat().st_size for name in payload)
    assert f"Payload-Oxum: {size}.{len(payload)}\n" in info and "External-Identifier: duesseldorf/2026/v3\n" in info


def test_verify_reports_changed_missing_and_added_files(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    entry = project / "archive/duesseldorf/2026/v1"
    pdf = entry / PDF
    os.chmod(pdf, 0o644)                  # root ignores 0444; tests must not rely on permissions
    pdf.write_bytes(pdf.read_bytes() + b"%")
    index = entry / "data/ausgabe/web/index.html"
    os.chmod(index.parent, 0o755)
    index.unlink()
    os.chmod(entry / "data/quellen", 0o755)
    (entry / "data/quellen/notiz.txt").write_text("nachträglich")
    problems = verify(entry)
    assert any("v1: data/ausgabe/amip-duesseldorf-2026.pdf: Inhalt verändert" in p for p in problems)
    assert any("v1: data/ausgabe/web/index.html: fehlt" in p for p in problems)
    assert any("v1: data/quellen/notiz.txt: nicht im Manifest" in p for p in problems)
    result = run_amip("verify", str(project / "archive"), cwd=tmp_path)
    assert result.returncode == 4 and "3 Abweichungen" in result.stderr and "Traceback" not in result.stderr


def test_drafts_are_not_published(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "2026/ausgabe.yaml", "status: beschlossen", "status: entwurf")
    with pytest.raises(ContentError) as info:
        publish(content / "2026")
    assert "Nur beschlossene Ausgaben" in info.value.problems[0].message
    assert str(info.value.problems[0].location).endswith("2026/ausgabe.yaml:3:9")
    assert not (tmp_path / "archive/duesseldorf/2026/v1").exists()


def test_an_existing_version_is_never_overwritten(archived, tmp_path, monkeypatch):
    """Even if the version list were wrong, publishing refuses to write into an existing folder."""
    import amip.archive.publication

    project = copy_project(archived, tmp_path)
    content = project / "content/duesseldorf"
    edit(content / CHAPTER, "Job-Turbo", "Job-Turbo (neu)")
    monkeypatch.setattr(amip.archive.publication, "_versions", lambda year_dir: [])   # pretend v1 is not there
    with pytest.raises(BuildError, match="nie überschrieben"):
        publish(content / "2026")
    assert verify(project / "archive/duesseldorf/2026/v1") == []
    assert not list((project / "archive/duesseldorf/2026").glob(".neu-*"))


def test_a_chapter_edited_during_the_build_cannot_split_sources_and_pdf(archived, tmp_path, monkeypatch):
    """The build reads the snapshot: an edit to the live chapter after the copy reaches neither PDF nor archive."""
    import amip.build

    content = copy_project(archived, tmp_path) / "content/duesseldorf"
    edit(content / "2026/kapitel/01-einfuehrung.md", "dem (Fach-)Kräftemangel", "dem Fachkräftemangel")   # a correction to publish
    real_build = amip.build.build
    edited = []

    def build_while_the_author_types(folder, out=None, **options):
        assert (content / "2026") not in [folder, *folder.parents]     # never the live folder
        edit(content / CHAPTER, "Job-Turbo", "Nachtragsfassung")
        edited.append(True)
        return real_build(folder, out, **options)

    monkeypatch.setattr(amip.build, "build", build_while_the_author_types)
    entry = publish(content / "2026").path
    assert edited
    archived = (entry / "data/quellen/content/duesseldorf" / CHAPTER).read_text(encoding="utf-8")
    assert "Job-Turbo" in archived and "Nachtragsfassung" not in archived
    text = _text(entry / PDF)
    assert "dem Job-Turbo angeknüpft" in text and "Nachtragsfassung" not in text
    assert verify(entry) == []
    monkeypatch.setattr(amip.build, "build", real_build)
    later = publish(content / "2026")          # the edit is a new input set: the next version
    assert later.new and later.version == 5
    assert "dem Nachtragsfassung angeknüpft" in _text(later.path / PDF)


def test_template_change_is_a_new_version(archived, tmp_path, monkeypatch):
    """The "unchanged" decision covers amip's default theme (templates, stylesheets), not only the sources."""
    import amip.theme.folder
    from amip import render

    content = copy_project(archived, tmp_path) / "content/duesseldorf"
    first = publish(content / "2026")
    assert not first.new and first.version == 3
    templates = tmp_path / "vorlagen"
    shutil.copytree(amip.theme.folder.default_templates(), templates, ignore=shutil.ignore_patterns("__pycache__"))
    css = templates / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 0.05em; }\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", templates)
    monkeypatch.setattr(amip.theme.folder, "default_templates", lambda: templates)  # the build's default theme too
    second = publish(content / "2026")
    assert second.new and second.version == 4
    manifests = [json.loads((v.path / "manifest.json").read_text(encoding="utf-8")) for v in (first, second)]
    assert manifests[0]["quellen_sha256"] == manifests[1]["quellen_sha256"]
    assert manifests[0]["eingaben"]["vorlagen"]["print.css"] != manifests[1]["eingaben"]["vorlagen"]["print.css"]
    assert (first.path / PDF).read_bytes() != (second.path / PDF).read_bytes()   # built with the changed theme
    assert not publish(content / "2026").new     # and with the same templates again: unchanged


def test_an_organisation_theme_change_is_a_new_version(archived, tmp_path, monkeypatch):
    """The organisation's theme/ folder lies outside the edition folder; it belongs to the snapshot."""
    import amip.build

    content = copy_project(archived, tmp_path) / "content/duesseldorf"
    (content / "theme").mkdir()
    (content / "theme/zusatz-druck.css").write_text("h1 { letter-spacing: 0.05em; }\n", encoding="utf-8")

    class WouldBuild(Exception):
        pass

    def refuse(folder, out=None, **options):
        assert (folder.parent / "theme/zusatz-druck.css").is_file()       # the copy carries the theme
        raise WouldBuild

    monkeypatch.setattr(amip.build, "build", refuse)
    with pytest.raises(WouldBuild):
        publish(content / "2026")


def test_amip_version_change_is_a_new_version(archived, tmp_path, monkeypatch):
    import amip.archive.snapshot as snapshot

    content = copy_project(archived, tmp_path) / "content/duesseldorf"
    assert not publish(content / "2026").new
    real = snapshot._version
    monkeypatch.setattr(snapshot, "_version", lambda name: "99.0" if name == "amip" else real(name))
    second = publish(content / "2026")
    assert second.new and second.version == 4
    assert json.loads((second.path / "manifest.json").read_text(encoding="utf-8"))["eingaben"]["amip"] == "99.0"


def test_an_organisation_image_is_archived_and_its_change_is_a_new_version(archived, tmp_path, monkeypatch):
    """Files outside the edition folder that it uses (here an image in content/<org>/bilder/) are part of the snapshot."""
    import amip.build

    content = copy_project(archived, tmp_path) / "content/duesseldorf"
    (content / "bilder").mkdir()
    logo = content / "bilder/logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">'
                    '<rect width="400" height="100" fill="#8fb3d9"/></svg>', encoding="utf-8")
    (content / "2026/daten/logo.yaml").write_text("art: bild\ndatei: ../../bilder/logo.svg\ntitel: Unser Logo\n"
                                                  "alt: Ein blaues Rechteck\n", encoding="utf-8")
    chapter = content / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[[abbildung: logo]]\n", encoding="utf-8")
    entry = publish(content / "2026").path
    assert (entry / "data/quellen/content/duesseldorf/bilder/logo.svg").read_bytes() == logo.read_bytes()
    assert not (entry / "data/quellen/content/duesseldorf/2018").exists()     # other editions stay out
    logo.write_text(logo.read_text(encoding="utf-8").replace("#8fb3d9", "#00528c"), encoding="utf-8")

    class WouldBuild(Exception):
        pass

    def refuse(folder, out=None, **options):
        raise WouldBuild

    monkeypatch.setattr(amip.build, "build", refuse)
    with pytest.raises(WouldBuild):            # a changed image is not "unchanged"
        publish(content / "2026")


def test_a_killed_publish_leaves_nothing_the_next_one_keeps(archived, tmp_path):
    """A staging folder left by a killed publish is removed by the next publish (under the lock)."""
    project = copy_project(archived, tmp_path)
    content = project / "content/duesseldorf"
    leftover = project / "archive/duesseldorf/2026/.neu-abgebrochen"
    (leftover / "data/ausgabe").mkdir(parents=True)
    (leftover / "data/ausgabe/halb.pdf").write_bytes(b"%PDF-1.7 halb")
    for path in (leftover / "data/ausgabe/halb.pdf", leftover / "data/ausgabe", leftover / "data", leftover):
        os.chmod(path, 0o444 if path.is_file() else 0o555)
    result = run_amip("verify", str(project / "archive"), cwd=tmp_path)
    assert result.returncode == 0 and ".neu-abgebrochen: unfertige Veröffentlichung" in result.stderr
    again = publish(content / "2026")
    assert not again.new and not leftover.exists()


def test_a_running_publish_blocks_a_second_one(tmp_path):
    content = copy_content(tmp_path)
    (tmp_path / "archive").mkdir()
    with open(tmp_path / "archive/.archiv.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BuildError, match="wird gerade veröffentlicht") as info:
            publish(content / "2026")
    assert info.value.exit_code == 3 and not (tmp_path / "archive/duesseldorf/2026/v1").exists()


def test_archive_and_druck_html_hold_no_absolute_local_paths(archived):
    """Neither the project's tmp path, nor amip's own folder, nor any file: URL is in any archived file."""
    local = [str(archived).encode(), str(archived.resolve()).encode(), str(ROOT).encode(), b"file:"]
    checked = 0
    for path in (archived / "archive").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [p for p in local if p in data], path
            checked += 1
    assert checked > 3 * 30
    druck = (archived / "archive/duesseldorf/2026/v1/data/ausgabe/druck.html").read_text(encoding="utf-8")
    assert druck.count('src="amip://diagramme/') == 3


def _text(pdf) -> str:
    import re
    import subprocess

    return re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_a_publish_killed_between_index_and_rename_is_completed_by_the_next(archived, tmp_path, monkeypatch):
    """The index already names the new version; the next publish moves the sealed staging folder into place."""
    import amip.archive.publication as publication

    project = copy_project(archived, tmp_path)
    content = project / "content/duesseldorf"
    edit(content / CHAPTER, "Job-Turbo", "Job-Turbo (neu)")

    class Killed(BaseException):
        pass

    def killed(staging, final):
        raise Killed

    monkeypatch.setattr(publication, "_move_into_place", killed)
    with pytest.raises(Killed):
        publish(content / "2026")
    year = project / "archive/duesseldorf/2026"
    assert not (year / "v4").exists() and len(list(year.glob(".neu-*"))) == 1
    assert any("v4 fehlt (sie steht im Archivindex)" in p for p in verify(project / "archive"))
    monkeypatch.undo()
    again = publish(content / "2026")
    assert not again.new and again.version == 4 and not list(year.glob(".neu-*"))
    assert verify(project / "archive") == []
    assert "Job-Turbo (neu)" in (year / "v4/data/quellen/content/duesseldorf" / CHAPTER).read_text(encoding="utf-8")


def test_a_full_disk_is_an_environment_error_and_leaves_nothing_behind(archived, tmp_path, monkeypatch):
    import errno

    import amip.archive.snapshot as snapshot

    project = copy_project(archived, tmp_path)
    content = project / "content/duesseldorf"
    edit(content / CHAPTER, "Job-Turbo", "Job-Turbo (neu)")

    def full(edition, root):
        root.mkdir(parents=True)
        (root / "halb.yaml").write_text("halb")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(root / "halb.yaml"))

    monkeypatch.setattr(snapshot, "take", full)
    with pytest.raises(BuildError, match="Veröffentlichen nicht möglich: Der Datenträger ist voll") as info:
        publish(content / "2026")
    assert info.value.exit_code == 3
    year = project / "archive/duesseldorf/2026"
    assert sorted(p.name for p in year.iterdir()) == ["v1", "v2", "v3"]
    assert verify(project / "archive") == []


def test_the_archived_edition_is_the_one_amip_build_makes(archived, tmp_path):
    """Built from the snapshot or from the live folder, the same sources give the same bytes (the archive
    version is part of the PDF's XMP record, so the live build is told it is making v3)."""
    from amip.build import build

    project = copy_project(archived, tmp_path)
    result = build(project / "content/duesseldorf/2026", tmp_path / "out", version=3)
    archived_output = archived / "archive/duesseldorf/2026/v3/data/ausgabe"
    assert result.pdf.read_bytes() == (archived_output / result.pdf.name).read_bytes()
    assert (tmp_path / "out/druck.html").read_bytes() == (archived_output / "druck.html").read_bytes()
    assert result.web.read_bytes() == (archived_output / "web/index.html").read_bytes()


def test_a_file_where_the_archive_belongs_is_an_environment_error(tmp_path):
    content = copy_content(tmp_path)
    (tmp_path / "archive").write_text("keine Ablage")
    with pytest.raises(BuildError, match="lässt sich nicht anlegen oder sperren") as info:
        publish(content / "2026")
    assert info.value.exit_code == 3 and (tmp_path / "archive").read_text() == "keine Ablage"


def test_a_themed_edition_keeps_no_local_paths_in_druck_html(tmp_path):
    """The organisation's logo (theme/logo.svg) is named amip://inhalt/…, not by its path on this machine."""
    from amip.build import build

    copy_content(tmp_path, "musterstadt")
    build(tmp_path / "content/musterstadt/2027", tmp_path / "out")
    druck = (tmp_path / "out/druck.html").read_text(encoding="utf-8")
    assert 'src="amip://inhalt/theme/logo.svg"' in druck
    assert str(tmp_path) not in druck and "file:" not in druck
