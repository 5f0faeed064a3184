"""Moving data between laptops: the ``.mms`` bundle, its round trip, merging, and hostile files.

Real SQLite stores in tmp_path, real zip files. Every refused bundle must be
refused whole, in words, with the target folder byte-for-byte as it was and
no temporary folder left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import struct
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from store_support import table_contents

from mms_desktop import i18n
from mms_desktop.domain import canonical
from mms_desktop.domain.application import ApplicationStatus
from mms_desktop.domain.ids import new_id
from mms_desktop.services import bundles, demo, reports
from mms_desktop.services.errors import UserError
from mms_desktop.services.workspace import DemoIds, Workspace
from mms_desktop.storage.folder_lock import LOCK_FILE
from mms_desktop.storage.migrations import LATEST_VERSION
from mms_desktop.storage.store import OperatorAnswer

STORE = "mms-desktop.sqlite3"
TOKEN = "tajny-token-operatora-123"

# --- helpers ---------------------------------------------------------------------


def folder_hashes(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with the SHA-256 of its bytes.

    Not the program's own log and lock file: they say what was tried, not what is kept.
    """
    found: dict[str, str] = {}
    if not root.exists():
        return found
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if name == "logs" or name.startswith("logs/") or name == LOCK_FILE:
            continue
        if path.is_symlink():
            found[name] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def attachment_hashes(root: Path) -> dict[str, str]:
    folder = root / "attachments"
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def say(error: UserError) -> str:
    return i18n.tr(error.key, **error.params)


def members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def manifest_of(bundle: Path) -> dict[str, Any]:
    return json.loads(members(bundle)["manifest.json"])


def write_zip(out: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of duplicate names; we mean them
        with zipfile.ZipFile(out, "w") as archive:
            for given, data in entries:
                info = given
                if isinstance(given, str):
                    info = zipfile.ZipInfo(given, date_time=(2027, 5, 20, 10, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    return out


def repack(
    valid: Path,
    out: Path,
    *,
    change: dict[str, bytes] | None = None,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]] = (),  # type: ignore[assignment]
    drop: tuple[str, ...] = (),
    edit_manifest: Callable[[dict[str, Any]], None] | None = None,
    list_extra: bool = True,
) -> Path:
    """A copy of a valid bundle with members changed, added or dropped, the manifest rehashed."""
    content = members(valid)
    manifest = json.loads(content.pop("manifest.json"))
    for name, data in (change or {}).items():
        content[name] = data
    for name in drop:
        content.pop(name)
    files = {entry["path"]: entry for entry in manifest["files"]}
    for name, data in content.items():
        files[name] = {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    for name in drop:
        files.pop(name)
    for info, data in extra:
        name = info if isinstance(info, str) else info.filename
        if list_extra:
            files[name] = {
                "path": name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
    manifest["files"] = list(files.values())
    if edit_manifest:
        edit_manifest(manifest)
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        *content.items(),
        *extra,
        ("manifest.json", json.dumps(manifest).encode()),
    ]
    return write_zip(out, entries)


def patch_sizes(bundle: Path, name: str, size: int, crc: int) -> None:
    """Make a member's headers lie about its uncompressed size (and CRC)."""
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        offset = archive.getinfo(name).header_offset
    struct.pack_into("<I", data, offset + 14, crc)
    struct.pack_into("<I", data, offset + 22, size)
    encoded = name.encode()
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + length]) == encoded:
            struct.pack_into("<I", data, position + 16, crc)
            struct.pack_into("<I", data, position + 24, size)
        position += 4
    bundle.write_bytes(bytes(data))


def with_store(valid: Path, tmp_path: Path, alter: Callable[[sqlite3.Connection], None]) -> bytes:
    """The bundle's store, changed by ``alter``."""
    path = tmp_path / "altered.sqlite3"
    path.write_bytes(members(valid)[STORE])
    connection = sqlite3.connect(path)
    try:
        alter(connection)
        connection.commit()
    finally:
        connection.close()
    return path.read_bytes()


# --- fixtures ---------------------------------------------------------------------


def enrich(workspace: Workspace, ids: DemoIds, tmp_path: Path) -> dict[str, str]:
    """The demo plus: a 1 MB attachment, a submitted application, a frozen report, settings."""
    scan = tmp_path / "skan-listy-obecnosci.pdf"
    scan.write_bytes(os.urandom(1024 * 1024))
    big = workspace.attach(ids.application_id, scan)
    version = workspace.submit(ids.application_id)
    workspace.store.record_operator_status(
        OperatorAnswer(version.id, "in_review", "Wniosek w ocenie", "2027-05-21T09:00:00+02:00")
    )
    data = canonical.encode(reports.document(workspace, ids.report_id))
    store = workspace.store
    with store.transaction():
        frozen = store.freeze_report_version(
            ids.report_id, data.decode(), canonical.sha256_hex(data), ApplicationStatus.QUEUED
        )
        store.enqueue_report(frozen.id, ids.report_id)
    store.set_setting("operator_url", "https://operator.example.pl")
    store.set_setting("operator_token", TOKEN)
    store.set_setting("text_scale", "1.25")
    return {"big": big.sha256, "version": version.id, "report_version": frozen.id}


@pytest.fixture
def source(tmp_path: Path, clock: str) -> Iterator[tuple[Workspace, DemoIds, dict[str, str]]]:
    with Workspace.open(tmp_path / "laptop-a") as workspace:
        ids = workspace.create_demo()
        extra = enrich(workspace, ids, tmp_path)
        yield workspace, ids, extra


@pytest.fixture
def valid_bundle(tmp_path: Path, clock: str) -> Path:
    with Workspace.open(tmp_path / "zrodlo") as workspace:
        workspace.create_demo()
        bundles.export_bundle(workspace, tmp_path / "dobry.mms")
    return tmp_path / "dobry.mms"


@pytest.fixture
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temporary folder, watched: nothing may be left in it."""
    folder = tmp_path / "systemowy-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# --- the round trip ---------------------------------------------------------------


def test_round_trip_into_a_new_folder_is_exact(source, tmp_path: Path, own_temp: Path):
    workspace, ids, extra = source
    seen: list[tuple[int, int]] = []
    summary = bundles.export_bundle(
        workspace, tmp_path / "przeprowadzka.mms", progress=lambda *a: seen.append(a)
    )
    assert summary.counts == {"organizations": 1, "applications": 2, "reports": 1}
    assert summary.attachments == len(attachment_hashes(workspace.data_dir.root)) >= 5
    assert summary.missing_attachments == summary.damaged_attachments == ()
    assert seen and seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    manifest = manifest_of(summary.path)
    assert manifest["format"] == "mms-bundle"
    assert manifest["format_version"] == 1
    assert manifest["schema_version"] == LATEST_VERSION
    assert manifest["app_version"]
    assert manifest["counts"] == summary.counts
    inside = members(summary.path)
    assert {entry["path"] for entry in manifest["files"]} == set(inside) - {"manifest.json"}
    for entry in manifest["files"]:
        assert entry["sha256"] == hashlib.sha256(inside[entry["path"]]).hexdigest()
        assert entry["size"] == len(inside[entry["path"]])
    assert f"attachments/{extra['big'][:2]}/{extra['big']}" in inside
    # The secret is nowhere in the bundle, not even in the store's free pages.
    assert TOKEN.encode() not in inside[STORE]
    assert b"text_scale" not in inside[STORE]

    target = tmp_path / "laptop-b"
    imported = bundles.import_bundle(target, summary.path)
    assert imported.merged is False
    assert imported.conflicts == ()
    assert imported.added == {"organizations": 1, "applications": 2, "reports": 1}
    assert "Pakiet stał się folderem danych" in imported.messages()[0]
    assert sorted(p.name for p in target.iterdir()) == ["attachments", "backups", "logs", STORE]

    before = table_contents(workspace.store.path)
    after = table_contents(target / STORE)
    assert after.keys() == before.keys()
    for table in before:
        if table == "settings":
            continue
        assert after[table] == before[table], table
    assert after["settings"] == [("operator_url", "https://operator.example.pl")]
    assert len(after["submitted_versions"]) == 2 and len(after["report_versions"]) == 1
    assert len(after["outbox"]) == 2 and len(after["operator_status"]) == 1
    assert attachment_hashes(target) == attachment_hashes(workspace.data_dir.root)
    assert all(name == digest for name, digest in attachment_hashes(target).items())
    assert list(own_temp.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    with Workspace.open(target) as moved:
        assert moved.listing() == workspace.listing()
        assert moved.store.versions(ids.application_id)[0].id == extra["version"]


def test_per_organisation_bundle_carries_only_that_organisation(source, tmp_path: Path):
    workspace, ids, extra = source
    other = replace(demo.demo_organization(), id=new_id(), name="OSP w Zawoi Przysłopiu")
    workspace.add_organization(other)
    call = workspace.application(ids.application_id).call_id
    theirs = workspace.new_application(other.id, call)
    secret_file = tmp_path / "protokol-osp.pdf"
    secret_file.write_bytes(b"%PDF-1.4 protokol zebrania OSP " + os.urandom(2000))
    kept_back = workspace.attach(theirs.id, secret_file)
    workspace.store.update_application(theirs.id, title="Remont remizy w Przysłopiu")

    summary = bundles.export_bundle(
        workspace, tmp_path / "kgw.mms", organization_id=ids.organization_id
    )
    assert summary.counts == {"organizations": 1, "applications": 2, "reports": 1}
    inside = members(summary.path)
    assert manifest_of(summary.path)["organization_id"] == ids.organization_id
    assert not any(kept_back.sha256 in name for name in inside)
    assert f"attachments/{extra['big'][:2]}/{extra['big']}" in inside
    assert "Przysłop".encode() not in inside[STORE]
    assert b"Remont remizy" not in inside[STORE]

    target = tmp_path / "laptop-kgw"
    bundles.import_bundle(target, summary.path)
    with Workspace.open(target) as moved:
        assert [org.id for org in moved.store.list_organizations()] == [ids.organization_id]
        assert {app.id for app in moved.store.list_applications()} == {
            ids.application_id,
            ids.settled_application_id,
        }
        assert moved.store.versions(ids.application_id)[0].id == extra["version"]
        assert [r.id for r in moved.store.list_reports()] == [ids.report_id]
    assert kept_back.sha256 not in attachment_hashes(target)
    assert extra["big"] in attachment_hashes(target)


def test_unknown_organisation_is_told_in_words(source, tmp_path: Path):
    workspace, _, _ = source
    with pytest.raises(UserError) as refused:
        bundles.export_bundle(workspace, tmp_path / "x.mms", organization_id="nie-ma-takiej")
    assert "Nie ma organizacji" in say(refused.value)
    assert not (tmp_path / "x.mms").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".x.mms")]


# --- merging ------------------------------------------------------------------------


def test_merge_keeps_both_versions_of_an_application_edited_on_both_sides(
    workspace: Workspace, demo_ids: DemoIds, tmp_path: Path, clock: str
):
    ids = demo_ids
    call_id = workspace.application(ids.application_id).call_id
    harvest = workspace.new_application(ids.organization_id, call_id)
    workspace.store.update_application(harvest.id, title="Dożynki 2027")
    first = bundles.export_bundle(workspace, tmp_path / "poniedzialek.mms")
    laptop_b = tmp_path / "laptop-b"
    bundles.import_bundle(laptop_b, first.path)

    # Both laptops edit the same draft; laptop A also writes the report and starts another.
    with Workspace.open(laptop_b) as other:
        other.store.update_application(harvest.id, title="Dożynki 2027 – wersja B")
        other.store.update_organization(ids.organization_id, phone="+48 33 111 11 11")
    workspace.store.update_organization(ids.organization_id, phone="+48 33 222 22 22")
    workspace.store.update_application(harvest.id, title="Dożynki 2027 – wersja A")
    workspace.store.update_report(ids.report_id, summary="Podsumowanie pisane na laptopie A")
    fair = workspace.new_application(ids.organization_id, call_id)
    second = bundles.export_bundle(workspace, tmp_path / "wtorek.mms")

    before = table_contents(laptop_b / STORE)
    summary = bundles.import_bundle(laptop_b, second.path, merge=True)
    assert summary.merged is True
    assert summary.added.get("applications") == 1  # the new one, by id
    by_kind = {conflict.kind: conflict for conflict in summary.conflicts}
    assert sorted(by_kind) == ["application", "organization", "report"]
    assert len(summary.conflicts) == 3
    assert by_kind["application"].local_id == harvest.id
    assert by_kind["application"].name == "Dożynki 2027 – wersja B"
    text = "\n".join(summary.messages())
    assert "Dołączono pakiet" in text
    assert "Wniosek „Dożynki 2027 – wersja B” jest i w pakiecie, i na tym komputerze" in text
    assert "zachowano oba" in text

    with Workspace.open(laptop_b) as other:
        mine = other.application(harvest.id)
        assert mine.title == "Dożynki 2027 – wersja B"  # never overwritten
        copy = other.application(by_kind["application"].copy_id)
        assert copy.title == "Dożynki 2027 – wersja A (z pakietu wtorek.mms, 20.05.2027)"
        assert [a.name for a in copy.actions] == [a.name for a in mine.actions]
        assert {a.id for a in copy.actions}.isdisjoint({a.id for a in mine.actions})
        other.application(fair.id)  # added
        assert other.organization(ids.organization_id).phone == "+48 33 111 11 11"
        their_profile = other.organization(by_kind["organization"].copy_id)
        assert their_profile.phone == "+48 33 222 22 22"
        assert their_profile.name.endswith("(z pakietu wtorek.mms, 20.05.2027)")
        assert copy.organization_id == ids.organization_id  # the work stays with the local one
        report_copy = other.store.load_report(by_kind["report"].copy_id)
        assert report_copy.summary == "Podsumowanie pisane na laptopie A"
        assert other.store.load_report(ids.report_id).summary != report_copy.summary
    after = table_contents(laptop_b / STORE)
    for table in before:  # only additions: every row that was there is still there
        assert set(before[table]) <= set(after[table]), table


def test_merging_the_same_bundle_again_changes_nothing(source, tmp_path: Path):
    workspace, _, _ = source
    bundle = bundles.export_bundle(workspace, tmp_path / "kopia.mms").path
    target = tmp_path / "laptop-b"
    bundles.import_bundle(target, bundle)
    before = table_contents(target / STORE)
    files = attachment_hashes(target)

    summary = bundles.import_bundle(target, bundle, merge=True)
    assert summary.conflicts == ()
    assert sum(summary.added.values()) == 0
    assert summary.attachments_added == 0
    assert summary.skipped == {"organizations": 1, "applications": 2, "reports": 1}
    assert table_contents(target / STORE) == before
    assert attachment_hashes(target) == files


def test_a_folder_with_data_is_not_merged_without_asking(source, tmp_path: Path):
    workspace, _, _ = source
    bundle = bundles.export_bundle(workspace, tmp_path / "kopia.mms").path
    target = tmp_path / "laptop-b"
    bundles.import_bundle(target, bundle)
    before = folder_hashes(target)
    with pytest.raises(UserError) as refused:
        bundles.import_bundle(target, bundle)
    assert refused.value.key == "bundle.target_has_data"
    assert "--merge" in say(refused.value)
    assert folder_hashes(target) == before


def test_an_empty_data_folder_takes_the_bundle_without_merge(source, tmp_path: Path):
    workspace, _, _ = source
    bundle = bundles.export_bundle(workspace, tmp_path / "kopia.mms").path
    target = tmp_path / "swiezy"
    Workspace.open(target).close()  # the program was started once: an empty store
    summary = bundles.import_bundle(target, bundle)
    assert summary.added["applications"] == 2
    assert attachment_hashes(target) == attachment_hashes(workspace.data_dir.root)
    with Workspace.open(target) as moved:
        assert moved.listing() == workspace.listing()
        assert moved.store.setting("operator_url") == "https://operator.example.pl"
        assert moved.store.setting("operator_token") is None


# --- hostile and broken bundles ------------------------------------------------------


def case_traversal(valid: Path, out: Path, tmp: Path) -> Path:
    return repack(valid, out, extra=[("attachments/../../poza-folderem.txt", b"zly plik")])


def case_absolute(valid: Path, out: Path, tmp: Path) -> Path:
    return repack(valid, out, extra=[("/tmp/mms-poza-folderem.txt", b"zly plik")])


def case_symlink(valid: Path, out: Path, tmp: Path) -> Path:
    link = zipfile.ZipInfo("attachments/ab/" + "ab" * 32, date_time=(2027, 5, 20, 10, 0, 0))
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return repack(valid, out, extra=[(link, b"../../../../etc/passwd")])


def case_bomb_lying_size(valid: Path, out: Path, tmp: Path) -> Path:
    # Declares 1,000 bytes (with the matching CRC and SHA-256), inflates to 50 MB.
    huge = bytes(50 * 1024 * 1024)
    small = huge[:1000]
    sha = hashlib.sha256(small).hexdigest()
    name = f"attachments/{sha[:2]}/{sha}"
    info = zipfile.ZipInfo(name, date_time=(2027, 5, 20, 10, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle = repack(
        valid,
        out,
        extra=[(info, huge)],
        list_extra=False,
        edit_manifest=lambda m: m["files"].append({"path": name, "size": 1000, "sha256": sha}),
    )
    patch_sizes(bundle, name, 1000, zlib.crc32(small))
    return bundle


def case_bomb_ratio(valid: Path, out: Path, tmp: Path) -> Path:
    zeros = bytes(20 * 1024 * 1024)
    sha = hashlib.sha256(zeros).hexdigest()
    return repack(valid, out, extra=[(f"attachments/{sha[:2]}/{sha}", zeros)])


def case_duplicate(valid: Path, out: Path, tmp: Path) -> Path:
    content = members(valid)
    name = next(n for n in content if n.startswith("attachments/"))
    bundle = repack(valid, out, extra=[(name, b"inna zawartosc")], list_extra=False)
    return bundle


def case_wrong_hash(valid: Path, out: Path, tmp: Path) -> Path:
    content = members(valid)
    name = next(n for n in content if n.startswith("attachments/"))
    forged = bytes(reversed(content[name]))
    bundle = repack(valid, out, change={name: forged})
    # The manifest keeps the hash the name promises; the bytes are others.
    sha = name.rsplit("/", 1)[1]

    def keep_promise(manifest: dict[str, Any]) -> None:
        for entry in manifest["files"]:
            if entry["path"] == name:
                entry["sha256"] = sha

    return repack(bundle, out.with_suffix(".2.mms"), edit_manifest=keep_promise)


def case_newer_format(valid: Path, out: Path, tmp: Path) -> Path:
    return repack(valid, out, edit_manifest=lambda m: m.update(format_version=2))


def case_other_format(valid: Path, out: Path, tmp: Path) -> Path:
    return repack(valid, out, edit_manifest=lambda m: m.update(format="anki-package"))


def case_truncated(valid: Path, out: Path, tmp: Path) -> Path:
    data = valid.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def case_not_a_zip(valid: Path, out: Path, tmp: Path) -> Path:
    out.write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
    return out


def case_newer_store(valid: Path, out: Path, tmp: Path) -> Path:
    store = with_store(
        valid, tmp, lambda c: c.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    )
    return repack(valid, out, change={STORE: store})


def case_store_not_sqlite(valid: Path, out: Path, tmp: Path) -> Path:
    return repack(valid, out, change={STORE: b"To nie jest baza danych, tylko tekst.\n" * 100})


def case_store_damaged(valid: Path, out: Path, tmp: Path) -> Path:
    store = bytearray(members(valid)[STORE])
    page = 4096
    store[page * 2 : page * 2 + 200] = os.urandom(200)  # a b-tree page scribbled over
    return repack(valid, out, change={STORE: bytes(store)})


def case_store_unknown_schema(valid: Path, out: Path, tmp: Path) -> Path:
    store = with_store(valid, tmp, lambda c: c.execute("CREATE TABLE obce (x)"))
    return repack(valid, out, change={STORE: store})


def case_unlisted(valid: Path, out: Path, tmp: Path) -> Path:
    return repack(valid, out, extra=[("czytaj-mnie.txt", b"hej")], list_extra=False)


def case_missing(valid: Path, out: Path, tmp: Path) -> Path:
    content = members(valid)
    name = next(n for n in content if n.startswith("attachments/"))
    manifest = json.loads(content.pop("manifest.json"))
    content.pop(name)
    return write_zip(out, [*content.items(), ("manifest.json", json.dumps(manifest).encode())])


def case_no_manifest(valid: Path, out: Path, tmp: Path) -> Path:
    content = members(valid)
    content.pop("manifest.json")
    return write_zip(out, list(content.items()))


def case_crc(valid: Path, out: Path, tmp: Path) -> Path:
    content = members(valid)
    name = next(n for n in content if n.startswith("attachments/"))
    bundle = write_zip(out, list(content.items()))
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo(name)
    patch_sizes(bundle, name, info.file_size, info.CRC ^ 1)
    return bundle


def case_size_lie_in_manifest(valid: Path, out: Path, tmp: Path) -> Path:
    def lie(manifest: dict[str, Any]) -> None:
        manifest["files"][0]["size"] += 1

    return repack(valid, out, edit_manifest=lie)


HOSTILE = {
    "path with ../": (case_traversal, "bundle.unsafe_name", "niebezpiecznej nazwie"),
    "absolute path": (case_absolute, "bundle.unsafe_name", "/tmp/mms-poza-folderem.txt"),
    "symlink member": (case_symlink, "bundle.not_a_file", "dowiązanie"),
    "zip bomb: size lies": (
        case_bomb_lying_size,
        "bundle.grows",
        "większego rozmiaru, niż deklaruje",
    ),
    "zip bomb: ratio": (case_bomb_ratio, "bundle.ratio", "bomba ZIP"),
    "duplicate names": (case_duplicate, "bundle.duplicate_name", "dwa pliki o tej samej nazwie"),
    "wrong hash": (case_wrong_hash, "bundle.hash_mismatch", "inną sumę SHA-256"),
    "newer format version": (
        case_newer_format,
        "bundle.newer_format",
        "nowsza wersja programu (format 2",
    ),
    "other format": (case_other_format, "bundle.unknown_format", "anki-package"),
    "truncated": (case_truncated, "bundle.truncated", "jest niepełny"),
    "not a zip": (case_not_a_zip, "bundle.not_a_bundle", "nie jest pakietem danych"),
    "store from a newer schema": (
        case_newer_store,
        "bundle.store_too_new",
        f"schemat {LATEST_VERSION + 1}",
    ),
    "store not SQLite": (case_store_not_sqlite, "bundle.store_not_sqlite", "zamiast bazy danych"),
    "store damaged": (case_store_damaged, "bundle.store_damaged", "sprawdzenia spójności"),
    "store of an unknown schema": (
        case_store_unknown_schema,
        "bundle.store_unknown_schema",
        "układ tabel",
    ),
    "member not in the manifest": (case_unlisted, "bundle.unlisted_member", "czytaj-mnie.txt"),
    "listed member missing": (case_missing, "bundle.missing_member", "brakuje pliku"),
    "no manifest": (case_no_manifest, "bundle.no_manifest", "manifest.json"),
    "CRC does not match": (case_crc, "bundle.damaged", "uszkodzony"),
    "manifest size differs": (case_size_lie_in_manifest, "bundle.size_mismatch", "inny rozmiar"),
}


@pytest.fixture
def laptop_with_data(tmp_path: Path, clock: str) -> Path:
    root = tmp_path / "moje-dane"
    with Workspace.open(root) as workspace:
        workspace.create_demo()
    return root


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
@pytest.mark.parametrize("merge", [True, False], ids=["merge", "new-folder"])
def test_a_hostile_or_broken_bundle_is_refused_whole_and_changes_nothing(
    case: str,
    merge: bool,
    valid_bundle: Path,
    laptop_with_data: Path,
    tmp_path: Path,
    own_temp: Path,
):
    make, key, words = HOSTILE[case]
    work = tmp_path / "robocze"
    work.mkdir()
    bundle = make(valid_bundle, work / "zly.mms", work)
    target = laptop_with_data if merge else tmp_path / "nowy-folder"
    before = folder_hashes(target)
    around = sorted(p.name for p in target.parent.iterdir())

    with pytest.raises(UserError) as refused:
        bundles.import_bundle(target, bundle, merge=merge)

    assert refused.value.key == key
    message = say(refused.value)
    assert words in message
    assert "Nic nie zostało zaimportowane" in message
    assert folder_hashes(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == around  # no temp folder left
    assert list(own_temp.iterdir()) == []
    assert not Path("/tmp/mms-poza-folderem.txt").exists()
    assert not (tmp_path / "poza-folderem.txt").exists()


def test_each_kind_of_refusal_has_its_own_words():
    messages = {key for _, key, _ in HOSTILE.values()}
    texts = {i18n._load("pl")[key] for key in messages}
    assert len(texts) == len(messages)


def test_an_oversized_bundle_is_refused_before_unpacking(valid_bundle: Path, tmp_path: Path):
    tight = bundles.BundleLimits(max_total_bytes=10_000)
    with pytest.raises(UserError) as refused:
        bundles.check_bundle(valid_bundle, tmp_path, limits=tight)
    assert refused.value.key == "bundle.too_large"
    assert "najwyżej" in say(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dobry.mms", "zrodlo"]


def test_overlapping_members_are_refused(valid_bundle: Path, tmp_path: Path):
    """Two directory entries pointing at the same bytes (how the worst zip bombs multiply)."""
    content = members(valid_bundle)
    name = next(n for n in content if n.startswith("attachments/"))
    bundle = write_zip(tmp_path / "zakladka.mms", list(content.items()))
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        store_offset = archive.getinfo(STORE).header_offset
        target_offset = archive.getinfo(name).header_offset
    # Point the attachment's directory entry at the store's local header.
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + length]) == name.encode():
            assert struct.unpack_from("<I", data, position + 42)[0] == target_offset
            struct.pack_into("<I", data, position + 42, store_offset)
        position += 4
    bundle.write_bytes(bytes(data))
    with pytest.raises(UserError) as refused:
        bundles.check_bundle(bundle, tmp_path)
    assert refused.value.key in {"bundle.overlap", "bundle.damaged"}
    assert "Nic nie zostało zaimportowane" in say(refused.value)


def test_a_checked_bundle_is_extracted_and_its_folder_removed(valid_bundle: Path, tmp_path: Path):
    work = tmp_path / "robocze"
    work.mkdir()
    with bundles.check_bundle(valid_bundle, work) as checked:
        assert checked.manifest.counts["applications"] == 2
        assert checked.store.is_file()
        for sha, path in checked.attachments.items():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    assert list(work.iterdir()) == []


def test_the_bundle_catalogs_agree():
    catalogs = {
        language: json.loads(
            (
                Path(__file__).parents[1] / "resources" / "i18n" / language / "bundles.json"
            ).read_text(encoding="utf-8")
        )
        for language in i18n.LANGUAGES
    }
    assert catalogs["pl"].keys() == catalogs["en"].keys()
    assert all(key.startswith("bundle.") for key in catalogs["pl"])
    for key, text in catalogs["pl"].items():
        assert i18n._fields(text) == i18n._fields(catalogs["en"][key]), key
    source = (Path(__file__).parents[1] / "mms_desktop" / "services" / "bundles.py").read_text()
    import re

    used = set(re.findall(r'"(bundle\.[a-z_.]+)"', source)) - {"bundle.zip"}
    assert used - catalogs["pl"].keys() == set()


def test_an_export_is_written_whole_or_not_at_all(source, tmp_path: Path, monkeypatch):
    workspace, _, _ = source
    out = tmp_path / "przerwany.mms"
    out.write_bytes(b"poprzedni pakiet")
    calls = 0

    def fail_midway(done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(28, "No space left on device")

    with pytest.raises(UserError) as refused:
        bundles.export_bundle(workspace, out, progress=fail_midway)
    assert refused.value.key == "bundle.disk_full"
    assert out.read_bytes() == b"poprzedni pakiet"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".przerwany")]


def test_a_bundle_from_an_older_version_is_migrated_on_import(tmp_path: Path):
    from mms_desktop.storage.migrations import MIGRATIONS

    store = tmp_path / STORE
    connection = sqlite3.connect(store)
    for script in MIGRATIONS[:3]:
        connection.executescript(script)
    connection.execute("PRAGMA user_version = 3")
    connection.execute(
        "INSERT INTO organizations (id, name, legal_form, register_type, created_at, updated_at)"
        " VALUES ('o1', 'KGW w Starej Wsi', 'kgw', 'arimr_kgw', 't', 't')"
    )
    connection.execute(
        "INSERT INTO applications (id, organization_id, call_id, title, created_at, updated_at)"
        " VALUES ('a1', 'o1', 'mms-2026', 'Zeszłoroczny wniosek', 't', 't')"
    )
    connection.commit()
    connection.close()
    data = store.read_bytes()
    manifest = {
        "format": "mms-bundle",
        "format_version": 1,
        "schema_version": 3,
        "organization_id": None,
        "counts": {"organizations": 1, "applications": 1, "reports": 0},
        "files": [{"path": STORE, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}],
    }
    bundle = write_zip(
        tmp_path / "stary.mms", [(STORE, data), ("manifest.json", json.dumps(manifest).encode())]
    )
    summary = bundles.import_bundle(tmp_path / "nowy", bundle)
    assert summary.added == {"organizations": 1, "applications": 1}
    rows = table_contents(tmp_path / "nowy" / STORE)
    assert [row[:4] for row in rows["applications"]] == [
        ("a1", "o1", "mms-2026", "Zeszłoroczny wniosek")
    ]
    assert "reports" in rows  # the latest schema


# --- the command line -------------------------------------------------------------------


def test_export_and_import_bundle_on_the_command_line(run_cli, data_dir: Path, tmp_path, clock):
    from mms_desktop.cli import main

    assert run_cli("demo")[0] == 0
    bundle = tmp_path / "na-pendrive.mms"
    code, out, err = run_cli("export-bundle", "--out", str(bundle))
    assert (code, err) == (0, "")
    assert "organizacje: 1, wnioski: 2, sprawozdania: 1" in out
    other = tmp_path / "drugi-laptop"
    assert main(["--data-dir", str(other), "import-bundle", str(bundle)]) == 0
    assert table_contents(other / "mms-desktop.sqlite3") == table_contents(
        data_dir / "mms-desktop.sqlite3"
    )
    # Into a folder with data: only with --merge, and a backup is made first.
    assert main(["--data-dir", str(other), "import-bundle", str(bundle)]) == 2
    assert main(["--data-dir", str(other), "import-bundle", str(bundle), "--merge"]) == 0
    assert [path.name for path in (other / "backups").iterdir()] == [
        "kopia-20270520-080000-before-import.sqlite3"
    ]
    # A damaged bundle: exit 2, the words on stderr, the folder untouched.
    before = folder_hashes(other)
    broken = tmp_path / "urwany.mms"
    broken.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    code, _, err = run_cli("--data-dir", str(other), "import-bundle", str(broken))
    assert code == 2 and err.startswith("Błąd: ")
    assert folder_hashes(other) == before
