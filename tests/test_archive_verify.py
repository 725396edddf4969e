"""Verify: every way of altering a published archive is found, exits with code 4 and names the version.

Each test works on a copy of a real archive with three versions of the 2026 edition. The forger is
careful: after changing a version they recompute every checksum amip and BagIt keep inside it, so
only the chain, the index, the manifest's own sums or the folder names can give them away.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from amip.archive import bag, check, index, snapshot
from conftest import copy_project, run_amip

YEAR = "archive/duesseldorf/2026"


def amip_verify(project, *options: str) -> tuple[int, list[str]]:
    result = run_amip("verify", *options, str(project / "archive"), cwd=project)
    assert "Traceback" not in result.stderr
    return result.returncode, [line for line in result.stderr.splitlines() if not line.startswith("Hinweis:")]


def reseal(version, change=lambda manifest: None, sums: bool = False) -> None:
    """What a careful forger does after touching a version: edit manifest.json, re-hash the payload into
    it and rewrite the BagIt files; with `sums` also quellen_sha256 and eingaben_sha256."""
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    manifest["dateien"] = bag.payload(version)
    if sums:
        sources = {k: v for k, v in manifest["dateien"].items() if k.startswith("data/quellen/")}
        manifest["quellen_sha256"] = bag.tree_digest(sources)
        manifest["eingaben_sha256"] = snapshot.fingerprint(manifest["quellen_sha256"], manifest["eingaben"])
    bag.seal(version, manifest)


def reindex(project) -> None:
    """The forger also rewrites the archive index to the manifests as they are now."""
    archive = project / "archive"
    entries = index.read(archive)
    for entry in entries:
        entry["manifest_sha256"] = bag.manifest_digest(archive / entry["pfad"])
    index.write(archive, entries)


def test_an_untouched_archive_passes(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    result = run_amip("verify", str(project / "archive"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "3 Archiveinträge geprüft" in result.stdout


def test_a_tampered_pdf_rehashed_into_the_manifest_is_found(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    v1 = project / YEAR / "v1"
    pdf = v1 / "data/ausgabe/amip-duesseldorf-2026.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% manipuliert\n")
    reseal(v1)
    code, lines = amip_verify(project)
    assert code == 4
    assert [line.split(": ", 1)[1].split(" – ")[0] for line in lines[:-1]] == [   # the version itself looks intact
        "manifest.json von v1 ist nicht das, auf das v2 verweist",
        "manifest.json von v1 weicht vom Archivindex ab"]
    assert all("archive/duesseldorf/2026/v1" in line for line in lines[:-1])


def test_emptied_file_list_with_deleted_folders_is_found(archived, tmp_path):
    """The latest version has no successor: the index and the manifest's content checks catch it."""
    project = copy_project(archived, tmp_path)
    v3 = project / YEAR / "v3"
    shutil.rmtree(v3 / "data/ausgabe")
    shutil.rmtree(v3 / "data/quellen")
    reseal(v3, sums=True)
    assert json.loads((v3 / "manifest.json").read_text(encoding="utf-8"))["dateien"] == {}
    code, lines = amip_verify(project)
    assert code == 4
    assert any("2026/v3: manifest.json von v3 weicht vom Archivindex ab" in line for line in lines)
    assert any("2026/v3: Das Manifest verzeichnet kein PDF" in line for line in lines)
    assert any("2026/v3: Das Manifest verzeichnet keine Quellen" in line for line in lines)


def test_a_deleted_manifest_is_found(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    (project / YEAR / "v1/manifest.json").unlink()
    code, lines = amip_verify(project)
    assert code == 4
    assert any("2026/v1: manifest.json fehlt – die Version v1 lässt sich nicht prüfen" in line for line in lines)


def test_a_deleted_version_is_found(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    shutil.rmtree(project / YEAR / "v2")
    code, lines = amip_verify(project)
    assert code == 4
    assert any("2026/v2: Version v2 fehlt (sie steht im Archivindex)" in line for line in lines)


def test_a_deleted_latest_version_is_found(archived, tmp_path):
    """No successor names the latest version; the index still does."""
    project = copy_project(archived, tmp_path)
    shutil.rmtree(project / YEAR / "v3")
    code, lines = amip_verify(project)
    assert code == 4 and any("2026/v3: Version v3 fehlt (sie steht im Archivindex)" in line for line in lines)


def test_swapped_versions_are_found(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    year = project / YEAR
    (year / "v1").rename(year / "tausch")
    (year / "v3").rename(year / "v1")
    (year / "tausch").rename(year / "v3")
    code, lines = amip_verify(project)
    assert code == 4
    assert any("2026/v1: Der Ordner v1 enthält laut Manifest Version 3" in line for line in lines)
    assert any("2026/v3: Der Ordner v3 enthält laut Manifest Version 1" in line for line in lines)


@pytest.mark.parametrize("new_name", ["v2-alt", "v7"])
def test_a_renamed_version_folder_is_found(archived, tmp_path, new_name):
    project = copy_project(archived, tmp_path)
    (project / YEAR / "v2").rename(project / YEAR / new_name)
    code, lines = amip_verify(project)
    assert code == 4
    assert any("2026/v2: Version v2 fehlt" in line for line in lines)
    if new_name == "v7":
        assert any("2026/v7: Der Ordner v7 enthält laut Manifest Version 2" in line for line in lines)
        assert any("2026/v7: v7 steht nicht im Archivindex" in line for line in lines)
    else:
        assert any("2026/v2-alt: „v2-alt“ ist kein Versionsordner" in line for line in lines)


def test_quellen_sha256_is_checked_again(archived, tmp_path):
    """A source re-hashed into the file list (index rewritten too) still disagrees with quellen_sha256."""
    project = copy_project(archived, tmp_path)
    v3 = project / YEAR / "v3"
    chapter = v3 / "data/quellen/content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Job-Turbo", "Job-Tarbo"), encoding="utf-8")
    reseal(v3)
    reindex(project)
    code, lines = amip_verify(project)
    assert code == 4
    assert [line.split(": ", 1)[1] for line in lines[:-1]] == [
        "quellen_sha256 passt nicht zu den verzeichneten Quellen – das Manifest wurde verändert."]
    assert "archive/duesseldorf/2026/v3" in lines[0]


def test_a_deleted_index_is_found(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    (project / "archive/index.json").unlink()
    code, lines = amip_verify(project)
    assert code == 4 and any("index.json: Der Archivindex index.json fehlt" in line for line in lines)


def test_a_forged_version_chained_to_the_latest_is_found(archived, tmp_path):
    """A well-made v4 (correct chain link, all sums right) is still not in the index."""
    project = copy_project(archived, tmp_path)
    year = project / YEAR
    shutil.copytree(year / "v3", year / "v4")

    def successor(manifest):
        manifest.update(version=4, vorgaenger="v3", vorgaenger_manifest_sha256=bag.manifest_digest(year / "v3"))

    reseal(year / "v4", successor)
    code, lines = amip_verify(project)
    assert code == 4
    assert [line.split(": ", 1) for line in lines[:-1]] == [
        ["archive/duesseldorf/2026/v4", "v4 steht nicht im Archivindex – nachträglich hinzugefügt oder umbenannt."]]


def test_an_unreadable_index_is_found(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    (project / "archive/index.json").write_text("[1, 2", encoding="utf-8")
    code, lines = amip_verify(project)
    assert code == 4 and any("index.json: Der Archivindex ist unlesbar" in line for line in lines)


def test_verify_of_one_version_reports_only_that_version(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    pdf = project / YEAR / "v2/data/ausgabe/amip-duesseldorf-2026.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert check(project / YEAR / "v1").findings == []
    [finding] = check(project / YEAR / "v2").findings
    assert finding.where == "duesseldorf/2026/v2" and "Inhalt verändert" in finding.message


def test_publishing_onto_a_damaged_archive_is_refused(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    shutil.rmtree(project / YEAR / "v2")
    chapter = project / "content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDritte Korrektur.\n", encoding="utf-8")
    result = run_amip("publish", "content/duesseldorf/2026", cwd=project)
    assert result.returncode == 4 and "nicht unversehrt" in result.stderr and "v2 fehlt" in result.stderr
    assert not (project / YEAR / "v4").exists()


# ---------------------------------------------------------------- signed index

needs_ssh = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) fehlt")


def _key(folder):
    key = folder / "archivschluessel"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "archiv", "-f", str(key)], check=True)
    signers = folder / "erlaubte-unterzeichner"
    signers.write_text("archiv@jobcenter.example " + key.with_suffix(".pub").read_text(encoding="utf-8"), encoding="utf-8")
    return key, signers


@needs_ssh
def test_a_signed_index_catches_a_forger_who_rewrites_the_index(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    key, signers = _key(tmp_path)
    index.sign(project / "archive", key)
    code, lines = amip_verify(project, "--unterzeichner", str(signers))
    assert code == 0, lines
    v3 = project / YEAR / "v3"
    pdf = v3 / "data/ausgabe/amip-duesseldorf-2026.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% manipuliert\n")
    reseal(v3)
    reindex(project)
    assert amip_verify(project)[0] == 0          # without the key nothing is left to see ...
    code, lines = amip_verify(project, "--unterzeichner", str(signers))
    assert code == 4                             # ... with it, the rewritten index is found
    assert any("index.json.sig: Die Signatur passt nicht zum Archivindex" in line for line in lines)
    (tmp_path / "fremd").mkdir()
    forged_key, _ = _key(tmp_path / "fremd")               # the forger signs with a key of their own
    index.sign(project / "archive", forged_key)
    code, lines = amip_verify(project, "--unterzeichner", str(signers))
    assert code == 4 and any("stammt von keinem der erlaubten Unterzeichner" in line for line in lines)
    (project / "archive/index.json.sig").unlink()
    code, lines = amip_verify(project, "--unterzeichner", str(signers))
    assert code == 4 and any("Signatur index.json.sig fehlt" in line for line in lines)


@needs_ssh
def test_publishing_into_a_signed_archive_needs_the_key_and_signs_again(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    key, signers = _key(tmp_path)
    index.sign(project / "archive", key)
    chapter = project / "content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDritte Korrektur.\n", encoding="utf-8")
    refused = run_amip("publish", "content/duesseldorf/2026", cwd=project)
    assert refused.returncode == 4 and "--signieren" in refused.stderr
    published = run_amip("publish", "--signieren", str(key), "content/duesseldorf/2026", cwd=project)
    assert published.returncode == 0, published.stderr
    assert "Version 4" in published.stdout
    code, lines = amip_verify(project, "--unterzeichner", str(signers))
    assert code == 0, lines


def test_verify_outside_an_archive_says_so(tmp_path):
    (tmp_path / "content/duesseldorf/2026").mkdir(parents=True)
    result = run_amip("verify", "content", cwd=tmp_path)
    assert result.returncode == 1 and "liegt in keinem amip-Archiv" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_signing_key_stops_publish_before_anything_is_built(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    chapter = project / "content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDritte Korrektur.\n", encoding="utf-8")
    result = run_amip("publish", "--signieren", "gibt-es-nicht", "content/duesseldorf/2026", cwd=project)
    assert result.returncode == 3 and "Signaturschlüssel gibt-es-nicht gibt es nicht" in result.stderr
    assert not (project / YEAR / "v4").exists() and not list((project / YEAR).glob(".neu-*"))


@needs_ssh
def test_a_file_that_is_no_key_stops_publish_before_anything_is_built(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    chapter = project / "content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDritte Korrektur.\n", encoding="utf-8")
    (tmp_path / "kein-schluessel").write_text("das ist kein SSH-Schlüssel\n", encoding="utf-8")
    result = run_amip("publish", "--signieren", str(tmp_path / "kein-schluessel"), "content/duesseldorf/2026", cwd=project)
    assert result.returncode == 3 and "ist kein SSH-Schlüssel" in result.stderr and "Traceback" not in result.stderr
    assert not (project / YEAR / "v4").exists() and not list((project / YEAR).glob(".neu-*"))


@needs_ssh
def test_a_failed_signature_leaves_index_and_versions_as_they_were(archived, tmp_path, monkeypatch):
    """Signing fails after the build (e.g. a wrong passphrase): the index is restored, no version appears."""
    from amip.archive import publish
    from amip.errors import BuildError

    project = copy_project(archived, tmp_path)
    key, _ = _key(tmp_path)
    before = (project / "archive/index.json").read_bytes()
    chapter = project / "content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDritte Korrektur.\n", encoding="utf-8")

    def wrong_passphrase(archive, key):
        assert b"duesseldorf/2026/v4" in (archive / "index.json").read_bytes()    # the new entry was written ...
        raise BuildError("Der Archivindex ließ sich nicht signieren: incorrect passphrase", exit_code=3)

    monkeypatch.setattr(index, "sign", wrong_passphrase)
    with pytest.raises(BuildError, match="nicht signieren"):
        publish(project / "content/duesseldorf/2026", key)
    assert (project / "archive/index.json").read_bytes() == before                 # ... and taken back
    assert not (project / YEAR / "v4").exists() and not list((project / YEAR).glob(".neu-*"))
    assert not (project / "archive/index.json.sig").exists()
    assert amip_verify(project)[0] == 0


def test_rebuilding_an_untouched_version_gives_the_same_pdf(archived, tmp_path):
    project = copy_project(archived, tmp_path)
    result = run_amip("verify", "--neu-bauen", str(project / YEAR / "v2"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "duesseldorf/2026/v2: neu gebaut – das PDF ist Byte für Byte gleich (20 Seiten)." in result.stdout
    assert "v1" not in result.stdout and "v3" not in result.stdout      # only the version asked for


def test_rebuilding_catches_a_pdf_swapped_with_manifest_and_index_rewritten(archived, tmp_path):
    """The forger replaces v3's PDF by v1's (a real, valid PDF) and rewrites every sum: integrity checks pass
    without a signed index, but the sources no longer give that PDF."""
    project = copy_project(archived, tmp_path)
    name = "data/ausgabe/amip-duesseldorf-2026.pdf"
    v3 = project / YEAR / "v3"
    (v3 / name).write_bytes((project / YEAR / "v1" / name).read_bytes())
    reseal(v3)
    reindex(project)
    assert amip_verify(project)[0] == 0
    result = run_amip("verify", "--neu-bauen", str(v3), cwd=project)
    assert result.returncode == 4
    assert "duesseldorf/2026/v3: das neu gebaute PDF weicht vom archivierten ab, obwohl amip, Pakete und Vorlagen " \
           "dieselben sind" in result.stderr
    assert "1 von 1 Versionen lassen sich nicht byte-gleich neu bauen." in result.stderr
    assert "Traceback" not in result.stderr


def test_a_difference_after_a_software_change_is_explained_not_alarmed(archived, tmp_path):
    """v3 as if published with another WeasyPrint (recorded in its manifest): a different PDF is then
    expected, so it is reported as a note naming the change, and the archive stays intact (exit 0)."""
    project = copy_project(archived, tmp_path)
    v3 = project / YEAR / "v3"
    name = "data/ausgabe/amip-duesseldorf-2026.pdf"
    (v3 / name).write_bytes((project / YEAR / "v2" / name).read_bytes())

    def older_weasyprint(manifest):
        manifest["eingaben"]["pakete"]["weasyprint"] = "69.0"
    reseal(v3, older_weasyprint, sums=True)
    reindex(project)
    result = run_amip("verify", "--neu-bauen", str(v3), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Hinweis: duesseldorf/2026/v3: das neu gebaute PDF weicht ab; seit der Veröffentlichung hat sich die " \
           "Software geändert: weasyprint 69.0 → 70.0." in result.stderr
