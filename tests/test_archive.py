"""Publishing: versions are write-once; a correction is a new version; verify finds any change."""

from __future__ import annotations

import json
import os

import pytest

from amip.archive import publish, verify
from amip.errors import BuildError, ContentError
from conftest import copy_content, run_amip
from test_check import edit


def test_publish_versions_and_verify(tmp_path):
    content = copy_content(tmp_path)
    first = publish(content / "2026")
    assert first.new and first.version == 1 and first.path == tmp_path / "archive/duesseldorf/2026/v1"
    manifest = json.loads((first.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and manifest["vorgaenger"] is None and manifest["seiten"] >= 17
    assert "ausgabe/amip-duesseldorf-2026.pdf" in manifest["dateien"]
    assert "quellen/duesseldorf/2026/daten/kennzahlen.yaml" in manifest["dateien"]
    assert verify(first.path) == []
    pdf_before = (first.path / "ausgabe/amip-duesseldorf-2026.pdf").read_bytes()

    again = publish(content / "2026")                      # same sources: no new version
    assert not again.new and again.version == 1

    edit(content / "2026/daten/kennzahlen.yaml", "plan: 1.994", "plan: 1.995")   # a correction
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 8.510", "erwartet: {plan: 8.511")
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 7.300", "erwartet: {plan: 7.301")
    second = publish(content / "2026")
    assert second.new and second.version == 2
    assert json.loads((second.path / "manifest.json").read_text(encoding="utf-8"))["vorgaenger"] == "v1"
    assert (first.path / "ausgabe/amip-duesseldorf-2026.pdf").read_bytes() == pdf_before   # v1 untouched
    assert verify(first.path) == [] and verify(second.path) == []


def test_verify_reports_changed_missing_and_added_files(tmp_path):
    content = copy_content(tmp_path)
    entry = publish(content / "2026").path
    pdf = entry / "ausgabe/amip-duesseldorf-2026.pdf"
    os.chmod(pdf, 0o644)                  # root ignores 0444; tests must not rely on permissions
    pdf.write_bytes(pdf.read_bytes() + b"%")
    index = entry / "ausgabe/web/index.html"
    os.chmod(index.parent, 0o755)
    index.unlink()
    os.chmod(entry / "quellen", 0o755)
    (entry / "quellen/notiz.txt").write_text("nachträglich")
    problems = verify(entry)
    assert any("amip-duesseldorf-2026.pdf: Inhalt verändert" in p for p in problems)
    assert any("web/index.html: fehlt" in p for p in problems)
    assert any("notiz.txt: nicht im Manifest" in p for p in problems)
    result = run_amip("verify", str(tmp_path / "archive"), cwd=tmp_path)
    assert result.returncode == 1 and "3 Abweichungen" in result.stderr and "Traceback" not in result.stderr


def test_drafts_are_not_published(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "2026/ausgabe.yaml", "status: beschlossen", "status: entwurf")
    with pytest.raises(ContentError) as info:
        publish(content / "2026")
    assert "Nur beschlossene Ausgaben" in info.value.problems[0].message
    assert str(info.value.problems[0].location).endswith("2026/ausgabe.yaml:3:9")
    assert not (tmp_path / "archive/duesseldorf/2026/v1").exists()


def test_an_existing_version_is_never_overwritten(tmp_path, monkeypatch):
    """Even if the version list were wrong, publishing refuses to write into an existing folder."""
    import amip.archive

    content = copy_content(tmp_path)
    publish(content / "2026")
    edit(content / "2026/kapitel/06-besondere-zielgruppen.md", "Job-Turbo", "Job-Turbo (neu)")
    monkeypatch.setattr(amip.archive, "_versions", lambda year_dir: [])   # pretend v1 is not there
    with pytest.raises(BuildError, match="nie überschrieben"):
        publish(content / "2026")
    assert verify(tmp_path / "archive/duesseldorf/2026/v1") == []
    assert not list((tmp_path / "archive/duesseldorf/2026").glob(".neu-*"))
