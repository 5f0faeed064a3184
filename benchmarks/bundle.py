"""Exporting and importing a ``.mms`` bundle of a full data folder.

A store with 1,000 applications (the demo's, copied) and 500 MB of attachments
(random bytes, 1 MB files, each attached to an application) is exported with
the real ``export_bundle`` and imported with the real ``import_bundle`` into a
new folder, then merged again into that folder (everything identical: all
skipped, every file hashed and checked all the same).

Baselines, measured in the same run on the same files:
- export: a plain ``zipfile`` write of the data folder's store file and
  attachments (the same compression: deflate for the store, stored for the
  attachments), without snapshot, hashing, manifest or fsync;
- import: a plain file copy of the data folder (``shutil.copytree``), and a
  plain ``zipfile`` ``extractall`` of the bundle, without any check.
The machines are shared and noisy, so read the ratios.

    .venv/bin/python benchmarks/bundle.py [--applications 1000] [--attachments-mb 500]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mms_desktop.domain.application import AttachmentRef
from mms_desktop.services import bundles
from mms_desktop.services.attachments import store_attachment
from mms_desktop.services.demo import demo_application
from mms_desktop.services.workspace import Workspace

MB = 1024 * 1024


def fill(workspace: Workspace, applications: int, attachments_mb: int, file_mb: int) -> None:
    ids = workspace.create_demo()  # two applications, a report, a few files
    organization_id = ids.organization_id
    call = workspace.calls.get(workspace.application(ids.application_id).call_id)
    files = max(1, attachments_mb // file_mb)
    refs = [
        AttachmentRef(
            store_attachment(workspace.data_dir, os.urandom(file_mb * MB)),
            f"skan-{number}.pdf",
            file_mb * MB,
        )
        for number in range(files)
    ]
    with workspace.store.transaction():
        for number in range(applications - 2):
            mine = tuple(refs[index] for index in range(number, files, applications - 2))
            application = replace(
                demo_application(organization_id, call),
                title=f"Wniosek nr {number}",
                attachments=mine,
            )
            workspace.store.add_application(application)


def plain_zip(root: Path, out: Path) -> float:
    started = time.perf_counter()
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        archive.write(root / "mms-desktop.sqlite3", "mms-desktop.sqlite3", zipfile.ZIP_DEFLATED)
        for path in sorted((root / "attachments").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root).as_posix(), zipfile.ZIP_STORED)
    return time.perf_counter() - started


def plain_copy(root: Path, out: Path) -> float:
    started = time.perf_counter()
    shutil.copytree(root, out)
    return time.perf_counter() - started


def plain_unzip(bundle: Path, out: Path) -> float:
    started = time.perf_counter()
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(out)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--attachments-mb", type=int, default=500)
    parser.add_argument("--file-mb", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(
        prefix="mms-bench-bundle-", dir=Path(__file__).resolve().parent
    ) as folder:
        root = Path(folder)
        started = time.perf_counter()
        with Workspace.open(root / "a") as workspace:
            fill(workspace, args.applications, args.attachments_mb, args.file_mb)
            store_mb = workspace.store.path.stat().st_size / MB
            print(
                f"data folder: {args.applications} applications ({store_mb:.1f} MB store), "
                f"{args.attachments_mb} MB of attachments; made in "
                f"{time.perf_counter() - started:.1f} s"
            )
            base_zip = plain_zip(workspace.data_dir.root, root / "plain.zip")
            started = time.perf_counter()
            summary = bundles.export_bundle(workspace, root / "a.mms")
            export_s = time.perf_counter() - started
        base_copy = plain_copy(root / "a", root / "copy")
        base_unzip = plain_unzip(root / "a.mms", root / "unzipped")
        started = time.perf_counter()
        imported = bundles.import_bundle(root / "b", summary.path)
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        merged = bundles.import_bundle(root / "b", summary.path, merge=True)
        merge_s = time.perf_counter() - started
        if imported.added.get("applications") != args.applications or merged.conflicts:
            print(f"unexpected result: {imported.added} / {merged.conflicts}")
            return 1
    size_mb = summary.size / MB
    print(f"bundle:                     {size_mb:.1f} MB, {summary.attachments} attachments")
    print(f"export_bundle:              {export_s:6.2f} s  ({size_mb / export_s:.0f} MB/s)")
    print(f"  baseline plain zipfile:   {base_zip:6.2f} s  ratio {export_s / base_zip:.2f}")
    print(f"import_bundle (new folder): {import_s:6.2f} s  ({size_mb / import_s:.0f} MB/s)")
    print(f"  baseline copytree:        {base_copy:6.2f} s  ratio {import_s / base_copy:.2f}")
    print(f"  baseline zip extractall:  {base_unzip:6.2f} s  ratio {import_s / base_unzip:.2f}")
    print(
        f"import_bundle --merge (all identical): {merge_s:6.2f} s  "
        f"ratio to copytree {merge_s / base_copy:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
