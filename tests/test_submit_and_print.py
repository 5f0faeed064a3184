"""Submitting freezes a version; its printout carries the same control sum.

Through the real command line and real PDFs read back with poppler and zbar.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from demo_support import the_draft
from pdf_readback import decode_qr_of_last_page, pdf_pages

from mms_desktop.domain.canonical import control_sum
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage.errors import ApplicationLockedError

CONTROL_SUM = re.compile(r"^[0-9A-F]{4}(-[0-9A-F]{4}){3}$")


@pytest.fixture
def demo(run_cli, data_dir: Path, clock: str) -> str:
    code, _out, _err = run_cli("demo")
    assert code == 0
    code, out, _err = run_cli("list", "--json")
    return str(the_draft(json.loads(out))["id"])


def test_submit_prints_the_control_sum_of_the_frozen_document(run_cli, data_dir, demo):
    code, out, err = run_cli("submit", demo)
    assert (code, err) == (0, "")
    printed = out.strip()
    assert CONTROL_SUM.match(printed)

    [listed] = [
        item
        for item in json.loads(run_cli("list", "--json")[1])["applications"]
        if item["id"] == demo
    ]
    assert listed["control_sum"] == printed
    assert listed["status"] == "queued"
    with Workspace.open(data_dir) as workspace:
        (version,) = workspace.store.versions(demo)
        stored = version.document.encode("utf-8")
        # The control sum is recomputed from the stored canonical bytes, not trusted.
        assert control_sum(hashlib.sha256(stored).hexdigest()) == printed
        assert json.loads(stored)["application"]["title"].startswith("Smaki Łękawki")
        with pytest.raises(ApplicationLockedError):
            workspace.store.update_application(demo, title="Zmiana po złożeniu")


def test_submitting_twice_or_with_blocking_findings_is_refused(run_cli, data_dir, demo):
    with Workspace.open(data_dir) as workspace:
        workspace.store.update_application(demo, title="")
    code, out, err = run_cli("submit", demo)
    assert code == 1 and out == ""  # findings block it: 1, as validate says
    assert "Wniosku nie można złożyć" in err and "Tytuł zadania" in err
    with Workspace.open(data_dir) as workspace:
        assert workspace.store.versions(demo) == []
        workspace.store.update_application(demo, title="Smaki Łękawki")
    assert run_cli("submit", demo)[0] == 0
    code, _out, err = run_cli("submit", demo)
    assert code == 2 and "już złożony" in err


def test_the_submitted_printout_carries_the_control_sum_on_every_page(
    run_cli, data_dir, demo, tmp_path
):
    printed = run_cli("submit", demo)[1].strip()
    out = tmp_path / "wniosek.pdf"
    code, _out, err = run_cli("export-pdf", demo, "--out", str(out))
    assert (code, err) == (0, "")
    pages = pdf_pages(out)
    assert len(pages) >= 3
    for page in pages:
        assert printed in page
        assert "SZKIC" not in page
    with Workspace.open(data_dir) as workspace:
        (version,) = workspace.store.versions(demo)
    assert (
        decode_qr_of_last_page(out, tmp_path)
        == f"mms-submission:{version.id}:sha256:{version.sha256}"
    )


def test_a_draft_printout_says_so_and_has_no_control_sum(run_cli, demo, tmp_path):
    out = tmp_path / "szkic.pdf"
    assert run_cli("export-pdf", demo, "--out", str(out))[0] == 0
    for page in pdf_pages(out):
        assert "SZKIC" in page
        assert not re.search(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", page)


def test_blank_form_of_a_call(run_cli, tmp_path, clock):
    out = tmp_path / "formularz.pdf"
    code, _out, err = run_cli(
        "export-pdf", "--blank", "--call", "art19a-2027-przyklad", "--out", str(out)
    )
    assert (code, err) == (0, "")
    text = " ".join(" ".join(pdf_pages(out)).split())
    assert "Oświadczenia" in text
    assert "Łękawk" not in text  # nothing of any application


@pytest.mark.parametrize(
    "arguments",
    [
        ("--blank", "--out", "x.pdf"),
        ("--out", "x.pdf"),
        ("APP", "--blank", "--call", "c", "--out", "x.pdf"),
    ],
)
def test_export_pdf_bad_use_is_explained(run_cli, arguments, clock):
    code, out, err = run_cli("export-pdf", *arguments)
    assert code == 2 and out == ""
    assert err.startswith("Błąd: ")
