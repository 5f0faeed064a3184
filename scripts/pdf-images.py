"""Render the demo's printouts to PNG pages under docs/forms/ (and the README's two).

    .venv/bin/python scripts/pdf-images.py [--out docs/forms] [--dpi 70]

The offer on Dz.U. 2018 poz. 2057 annex 1, the simplified offer on poz. 2055
and the report on poz. 2057 annex 5, each as submitted (a fixed version stamp,
so the pictures are the same every time), page by page with poppler's
pdftoppm. Uses a temporary data folder; no real user data is touched.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MMS_CLOCK", "2027-05-20T10:00:00+02:00")

from mms_desktop.documents.application_pdf import application_pdf  # noqa: E402
from mms_desktop.documents.report_pdf import report_pdf  # noqa: E402
from mms_desktop.domain.application import Arrears, PaidExecution  # noqa: E402
from mms_desktop.domain.submission import SubmissionStamp  # noqa: E402
from mms_desktop.services.calls import bundled_calls  # noqa: E402
from mms_desktop.services.demo import demo_application, demo_organization  # noqa: E402
from mms_desktop.services.workspace import Workspace  # noqa: E402

STAMP = SubmissionStamp(
    submission_id="0b8e6a52-3f1c-4d7e-9a51-2c7d1e9f4b10",
    sha256=hashlib.sha256(b"dokument kanoniczny").hexdigest(),
    submitted_at=datetime(2027, 6, 3, 14, 27, tzinfo=timezone(timedelta(hours=2))),
    version_number=1,
)


def pages(pdf: bytes, folder: Path, name: str, dpi: int) -> list[Path]:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"{name}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(source), str(folder / name)], check=True
        )
    return sorted(folder.glob(f"{name}-*.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "forms")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    calls = {known.definition.id: known.definition for known in bundled_calls()}
    organization = demo_organization()
    documents: dict[str, bytes] = {}
    for name, call_id in (
        ("oferta-2057", "mms-2027-p1-przyklad"),
        ("oferta-2055", "art19a-2027-przyklad"),
    ):
        call = calls[call_id]
        application = replace(
            demo_application(organization.id, call),
            tax_arrears=Arrears.NONE,
            social_insurance_arrears=Arrears.NONE,
            paid_execution=PaidExecution.UNPAID,
            task_sphere="16",  # kultury, sztuki, ochrony dóbr kultury i dziedzictwa narodowego
        )
        documents[name] = application_pdf(application, organization, call, STAMP)
    with tempfile.TemporaryDirectory() as folder, Workspace.open(Path(folder)) as workspace:
        ids = workspace.create_demo()
        report = workspace.store.load_report(ids.report_id)
        report = replace(report, contract_date=date(2027, 5, 25), contract_number="12/2027")
        owner = workspace.organization(report.organization_id)
        documents["sprawozdanie-2057-zal5"] = report_pdf(
            report, owner, calls["mms-2027-p1-przyklad"], STAMP
        )
    for name, pdf in documents.items():
        for path in pages(pdf, args.out, name, args.dpi):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    # The README's two pictures: the offer's first page and its confirmation page.
    first, *_, last = sorted(args.out.glob("oferta-2057-*.png"))
    (ROOT / "docs" / "pdf-application-page1.png").write_bytes(first.read_bytes())
    (ROOT / "docs" / "pdf-confirmation.png").write_bytes(last.read_bytes())


if __name__ == "__main__":
    main()
