"""Moving a data folder between laptops: the ``.mms`` bundle.

A bundle is a zip holding ``manifest.json`` (format name and version, the
program and schema versions, counts, and the path, size and SHA-256 of every
other member), a consistent snapshot of the store (``mms-desktop.sqlite3``)
and the attachment files it names, laid out as in a data folder
(``attachments/<sha[:2]>/<sha>``). Secrets never travel: the keyring token is
not in the store, and of the settings only ``TRAVELLING_SETTINGS`` go.

Public use cases (the command line and the GUI call these):

- ``export_bundle(workspace, out, organization_id=None, progress=None)``:
  write the bundle whole or not at all (temp file beside ``out``, then a
  rename). ``organization_id`` exports one organisation and what hangs off it.
- ``check_bundle(path, work_dir=None)``: verify a bundle completely and
  extract it into a new temporary folder; refuses the WHOLE bundle with a
  ``UserError`` naming the problem. Use as a context manager: the folder goes.
- ``import_bundle(target_root, bundle, merge=False, progress=None)``: check
  first (nothing is written outside a temporary folder until everything is
  verified), then make the bundle a new data folder, or — with ``merge`` —
  add it to one that has data. A record present on both sides with other
  content is never overwritten: both are kept and the pair listed in
  ``ImportSummary.conflicts`` for the user to choose.

``progress(done, total)`` is called with bytes as the work goes.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import logging
import os
import re
import shutil
import stat
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from types import TracebackType
from typing import IO

import mms_desktop
from mms_desktop import i18n
from mms_desktop.fsync import sync_file, sync_folder
from mms_desktop.paths import STORE_FILE, DataDir
from mms_desktop.services.attachments import attachment_path
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import cannot_read
from mms_desktop.services.workspace import Workspace
from mms_desktop.storage import bundle_rows
from mms_desktop.storage.bundle_rows import MergeConflict
from mms_desktop.storage.migrations import LATEST_VERSION
from mms_desktop.storage.store import Store

log = logging.getLogger(__name__)

FORMAT = "mms-bundle"
FORMAT_VERSION = 1
SUFFIX = ".mms"
MANIFEST = "manifest.json"
STORE_MEMBER = STORE_FILE
_ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED = 0x1
_UTF8_NAME = 0x800
_DOS_DIRECTORY = 0x10
CHUNK = 1024 * 1024
MIB = 1024 * 1024
GIB = 1024 * MIB

# Settings that go with the data: the operator's address and the language.
# Anything else (tokens, window sizes, the last pull time) belongs to one machine.
TRAVELLING_SETTINGS = frozenset({"operator_url", "language"})
_SECRET_WORDS = ("token", "secret", "password", "credential")

Progress = Callable[[int, int], None]


def setting_travels(key: str) -> bool:
    lowered = key.lower()
    return key in TRAVELLING_SETTINGS and not any(word in lowered for word in _SECRET_WORDS)


@dataclass(frozen=True)
class BundleLimits:
    """What an import accepts; declared sizes are checked first, then enforced while reading."""

    max_members: int = 200_000
    max_total_bytes: int = 64 * GIB
    max_member_bytes: int = 16 * GIB
    max_manifest_bytes: int = 64 * MIB
    # Deflate can shrink a file about 1,000 times; real attachments and stores
    # shrink far less. Members smaller than the floor cannot make a bomb.
    max_ratio: int = 100
    ratio_floor_bytes: int = MIB
    free_space_margin: int = 64 * MIB


DEFAULT_LIMITS = BundleLimits()


# --- results -------------------------------------------------------------------


@dataclass(frozen=True)
class BundleSummary:
    """What ``export_bundle`` wrote."""

    path: Path
    organization_id: str | None
    counts: dict[str, int]  # organizations, applications, reports
    attachments: int
    attachment_bytes: int
    size: int  # of the bundle file
    missing_attachments: tuple[str, ...] = ()  # named by a record, not in the data folder
    damaged_attachments: tuple[str, ...] = ()  # in the folder, but not matching their hash

    def messages(self) -> list[str]:
        from mms_desktop import i18n

        lines = [
            i18n.tr(
                "bundle.exported",
                path=str(self.path),
                attachments=self.attachments,
                size_mb=_mb(self.size),
                **self.counts,
            )
        ]
        if self.missing_attachments:
            lines.append(i18n.tr("bundle.exported_missing", count=len(self.missing_attachments)))
        if self.damaged_attachments:
            lines.append(i18n.tr("bundle.exported_damaged", count=len(self.damaged_attachments)))
        return lines


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    format_version: int
    created_at: str
    app_version: str
    schema_version: int
    organization_id: str | None
    counts: dict[str, int]
    files: tuple[ManifestEntry, ...]


@dataclass
class CheckedBundle:
    """A bundle verified whole and extracted into ``folder`` (temporary: ``close`` removes it)."""

    source: Path
    folder: Path
    manifest: Manifest
    store: Path
    attachments: dict[str, Path]  # SHA-256 → extracted file

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> CheckedBundle:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True)
class ImportSummary:
    """What ``import_bundle`` did.

    ``merged`` is False when the bundle became a new data folder. ``added`` and
    ``skipped`` (identical on both sides) count organizations, applications,
    reports and calls. Each conflict names a local record (``local_id``) and the
    copy of the incoming one kept beside it (``copy_id``): ask which to keep.
    """

    target: Path
    merged: bool
    added: dict[str, int]
    skipped: dict[str, int]
    attachments_added: int
    conflicts: tuple[MergeConflict, ...] = ()

    def messages(self) -> list[str]:
        from mms_desktop import i18n

        counts = {
            kind: self.added.get(kind, 0) for kind in ("organizations", "applications", "reports")
        }
        key = "bundle.merged" if self.merged else "bundle.imported_new"
        lines = [
            i18n.tr(
                key,
                path=str(self.target),
                attachments=self.attachments_added,
                skipped=sum(self.skipped.get(kind, 0) for kind in counts),
                **counts,
            )
        ]
        for conflict in self.conflicts:
            lines.append(
                i18n.tr(
                    f"bundle.conflict.{conflict.kind}", name=conflict.name, copy_id=conflict.copy_id
                )
            )
        return lines


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f}".replace(".", ",")


# --- export ----------------------------------------------------------------------


def export_bundle(
    workspace: Workspace,
    out: Path,
    organization_id: str | None = None,
    progress: Progress | None = None,
) -> BundleSummary:
    """Write the data folder (or one organisation) as a bundle at ``out``, whole or absent.

    Attachments named by a record but
    missing from the folder, or damaged there, are left out and listed in the
    summary; everything else goes.
    """
    out = Path(out)
    if organization_id is not None:
        workspace.organization(organization_id)  # an unknown id is told in words
    data_dir = workspace.data_dir
    folder = _temp_folder(out.parent, f".{out.name}.")
    try:
        snapshot_path = folder / STORE_MEMBER
        snapshot = bundle_rows.snapshot(
            workspace.store.path, snapshot_path, organization_id, setting_travels
        )
        wanted = set(snapshot.attachments)
        if organization_id is None:
            wanted |= set(_stored_attachments(data_dir))
        present = {
            sha: path
            for sha in sorted(wanted)
            if (path := attachment_path(data_dir, sha)).is_file()
        }
        missing = tuple(sorted(wanted - present.keys()))
        zip_path = folder / "bundle.zip"
        damaged: list[str] = []
        while True:
            found = _write_zip(
                zip_path, snapshot_path, snapshot, organization_id, present, progress
            )
            if not found:
                break
            # A file changed on disk since it was stored: it goes in no bundle.
            log.warning("attachments not matching their hash left out: %s", found)
            damaged += found
            for sha in found:
                present.pop(sha)
            zip_path.unlink()
        sync_file(zip_path)
        try:
            os.replace(zip_path, out)
        except OSError as error:
            raise _cannot_write(out, error) from error
        sync_folder(out.parent)
        return BundleSummary(
            path=out,
            organization_id=organization_id,
            counts=snapshot.counts,
            attachments=len(present),
            attachment_bytes=sum(path.stat().st_size for path in present.values()),
            size=out.stat().st_size,
            missing_attachments=missing,
            damaged_attachments=tuple(sorted(damaged)),
        )
    except OSError as error:
        raise _cannot_write(out, error) from error
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stored_attachments(data_dir: DataDir) -> Iterator[str]:
    """Every content-addressed file in the folder (temp files and strays are not)."""
    if not data_dir.attachments.is_dir():
        return
    for prefix in sorted(data_dir.attachments.iterdir()):
        if not prefix.is_dir() or not re.fullmatch(r"[0-9a-f]{2}", prefix.name):
            continue
        for path in sorted(prefix.iterdir()):
            if _SHA256.fullmatch(path.name) and path.name[:2] == prefix.name and path.is_file():
                yield path.name


def _zip_info(name: str, compress_type: int, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = compress_type
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.file_size = size  # decides ZIP64 before the first byte is written
    return info


def _add_member(
    archive: zipfile.ZipFile,
    name: str,
    path: Path,
    compress_type: int,
    tick: Callable[[int], None],
) -> ManifestEntry:
    """Stream one file into the zip, hashing what goes in (never the whole file in memory)."""
    digest = hashlib.sha256()
    size = 0
    info = _zip_info(name, compress_type, path.stat().st_size)
    with path.open("rb") as source, archive.open(info, "w") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
            tick(len(chunk))
    return ManifestEntry(name, size, digest.hexdigest())


def _write_zip(
    zip_path: Path,
    snapshot_path: Path,
    snapshot: bundle_rows.Snapshot,
    organization_id: str | None,
    attachments: dict[str, Path],
    progress: Progress | None,
) -> list[str]:
    """Write the bundle; returns the attachments whose bytes did not match their hash."""
    total = snapshot_path.stat().st_size + sum(p.stat().st_size for p in attachments.values())
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    damaged: list[str] = []
    with zipfile.ZipFile(zip_path, "w", allowZip64=True, compresslevel=6) as archive:
        entries = [_add_member(archive, STORE_MEMBER, snapshot_path, zipfile.ZIP_DEFLATED, tick)]
        for sha, path in attachments.items():
            # Attachments are scans and photos, already compressed: stored as they are.
            name = f"attachments/{sha[:2]}/{sha}"
            entry = _add_member(archive, name, path, zipfile.ZIP_STORED, tick)
            if entry.sha256 != sha:
                damaged.append(sha)
            entries.append(entry)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": mms_desktop.__version__,
            "schema_version": snapshot.schema_version,
            "organization_id": organization_id,
            "counts": snapshot.counts,
            "files": [
                {"path": entry.path, "size": entry.size, "sha256": entry.sha256}
                for entry in entries
            ],
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        archive.writestr(_zip_info(MANIFEST, zipfile.ZIP_DEFLATED, len(data)), data)
    return damaged


# --- checking ----------------------------------------------------------------------


def check_bundle(
    path: Path,
    work_dir: Path | None = None,
    limits: BundleLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> CheckedBundle:
    """Verify a bundle whole and extract it into a new temporary folder under ``work_dir``.

    Refused whole with a ``UserError`` when anything is wrong; then nothing is
    left behind. Otherwise close the result (or use it in ``with``) when done.
    """
    path = Path(path)
    folder = _temp_folder(work_dir, ".mms-import-")
    try:
        return _check_into(path, folder, limits, progress)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _refuse(key: str, path: Path, **params: object) -> UserError:
    return UserError(key, path=str(path), **params)


def _check_into(
    path: Path, folder: Path, limits: BundleLimits, progress: Progress | None
) -> CheckedBundle:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise UserError("file.not_found", path=str(path)) from None
    except IsADirectoryError:
        raise UserError("file.is_a_folder", path=str(path)) from None
    except OSError as error:
        raise cannot_read(path, error) from error
    with handle:
        file_size = os.fstat(handle.fileno()).st_size
        try:
            archive = zipfile.ZipFile(handle)
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError, struct.error, UnicodeDecodeError) as e:
            log.info("not a readable zip: %s", e)
            handle.seek(0)
            starts_like_zip = handle.read(4) == _LOCAL_SIGNATURE
            raise _refuse(
                "bundle.truncated" if starts_like_zip else "bundle.not_a_bundle", path
            ) from None
        with archive:
            members = _check_members(path, infos, limits)
            starts = _check_layout(path, handle, infos, file_size)
            manifest = _read_manifest(path, handle, members, starts, limits)
            entries = _check_against_manifest(path, manifest, members)
            total = sum(entry.size for entry in entries)
            free = shutil.disk_usage(folder).free
            if total + limits.free_space_margin > free:
                raise _refuse(
                    "bundle.no_space",
                    path,
                    needed_mb=_mb(total + limits.free_space_margin),
                    free_mb=_mb(free),
                )
            done = 0

            def tick(count: int) -> None:
                nonlocal done
                done += count
                if progress is not None:
                    progress(done, total)

            attachments: dict[str, Path] = {}
            store = folder / STORE_MEMBER
            for entry in entries:
                target = folder / entry.path
                if not target.resolve().is_relative_to(folder.resolve()):  # the grammar says so
                    raise _refuse("bundle.unsafe_name", path, name=entry.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                info = members[entry.path]
                try:
                    with target.open("xb") as sink:
                        _stream(path, handle, info, starts[entry.path], entry, sink, tick)
                        sink.flush()
                        os.fsync(sink.fileno())
                except OSError as error:
                    raise _cannot_write(target, error) from error
                if entry.path != STORE_MEMBER:
                    attachments[entry.sha256] = target
    _check_store(path, store, manifest)
    return CheckedBundle(path, folder, manifest, store, attachments)


def _unsafe(name: str) -> bool:
    """Absolute, climbing out (``..``), Windows-style or otherwise not a plain relative path."""
    if not name or name.startswith("/") or "\\" in name or ":" in name or "\x00" in name:
        return True
    return any(part in ("", ".", "..") for part in name.rstrip("/").split("/"))


def _check_members(
    path: Path, infos: list[zipfile.ZipInfo], limits: BundleLimits
) -> dict[str, zipfile.ZipInfo]:
    """Names, kinds and declared sizes, from the zip's own directory, before any reading."""
    if len(infos) > limits.max_members:
        raise _refuse("bundle.too_many_members", path, count=len(infos), limit=limits.max_members)
    members: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe(name) or _unsafe(info.orig_filename):
            raise _refuse("bundle.unsafe_name", path, name=name)
        # The Unix file type, where the zip records one (some tools write only permissions).
        kind = stat.S_IFMT(info.external_attr >> 16)
        if info.is_dir() or kind not in (0, stat.S_IFREG) or info.external_attr & _DOS_DIRECTORY:
            raise _refuse("bundle.not_a_file", path, name=name)
        if name in members or name.casefold() in folded:
            raise _refuse("bundle.duplicate_name", path, name=name)
        if info.flag_bits & _ENCRYPTED or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise _refuse("bundle.unsupported_member", path, name=name)
        if info.file_size > limits.max_member_bytes:
            raise _refuse(
                "bundle.too_large",
                path,
                size_mb=_mb(info.file_size),
                limit_mb=_mb(limits.max_member_bytes),
            )
        if info.file_size > limits.ratio_floor_bytes and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise _refuse(
                "bundle.ratio",
                path,
                name=name,
                ratio=info.file_size // max(info.compress_size, 1),
            )
        total += info.file_size
        members[name] = info
        folded.add(name.casefold())
    if total > limits.max_total_bytes:
        raise _refuse(
            "bundle.too_large", path, size_mb=_mb(total), limit_mb=_mb(limits.max_total_bytes)
        )
    return members


def _check_layout(
    path: Path, handle: IO[bytes], infos: list[zipfile.ZipInfo], file_size: int
) -> dict[str, int]:
    """Each member's local header agrees with the directory; no two members share bytes.

    Returns where each member's data starts. Overlapping members are how the
    worst zip bombs multiply one compressed stream many times.
    """
    starts: dict[str, int] = {}
    spans: list[tuple[int, int, str]] = []
    for info in infos:
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size:
            raise _refuse("bundle.truncated", path)
        signature, _, flags, method, _, _, _, _, _, name_length, extra_length = (
            _LOCAL_HEADER.unpack(header)
        )
        raw_name = handle.read(name_length)
        encoding = "utf-8" if flags & _UTF8_NAME else "cp437"
        try:
            local_name = raw_name.decode(encoding)
        except UnicodeDecodeError:
            local_name = None
        if (
            signature != _LOCAL_SIGNATURE
            or local_name != info.orig_filename
            or method != info.compress_type
            or flags & _ENCRYPTED
        ):
            raise _refuse("bundle.damaged", path, name=info.filename)
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        end = start + info.compress_size
        if end > file_size:
            raise _refuse("bundle.truncated", path)
        starts[info.filename] = start
        spans.append((info.header_offset, end, info.filename))
    spans.sort()
    for (_, end, _), (begin, _, name) in pairwise(spans):
        if begin < end:
            raise _refuse("bundle.overlap", path, name=name)
    return starts


def _stream(
    path: Path,
    handle: IO[bytes],
    info: zipfile.ZipInfo,
    start: int,
    entry: ManifestEntry | None,
    sink: IO[bytes],
    tick: Callable[[int], None],
) -> None:
    """Inflate one member into ``sink``, never past its declared size; check CRC and SHA-256.

    The declared size is enforced on the bytes as they come, since a header
    can lie: a member that would grow past it is refused mid-stream.
    """
    declared = info.file_size
    digest = hashlib.sha256()
    crc = 0
    produced = 0

    def emit(data: bytes) -> None:
        nonlocal crc, produced
        if not data:
            return
        produced += len(data)
        if produced > declared:
            raise _refuse("bundle.grows", path, name=info.filename)
        crc = zlib.crc32(data, crc)
        digest.update(data)
        sink.write(data)
        tick(len(data))

    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    handle.seek(start)
    remaining = info.compress_size
    try:
        while remaining:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                raise _refuse("bundle.truncated", path)
            remaining -= len(chunk)
            if inflater is None:
                emit(chunk)
                continue
            if inflater.eof:  # compressed bytes after the end of the stream
                raise _refuse("bundle.damaged", path, name=info.filename)
            emit(inflater.decompress(chunk, CHUNK))
            while inflater.unconsumed_tail and not inflater.eof:
                emit(inflater.decompress(inflater.unconsumed_tail, CHUNK))
        if inflater is not None:
            emit(inflater.flush())
            if not inflater.eof or inflater.unused_data:
                raise _refuse("bundle.damaged", path, name=info.filename)
    except zlib.error:
        raise _refuse("bundle.damaged", path, name=info.filename) from None
    if produced != declared or crc != info.CRC:
        raise _refuse("bundle.damaged", path, name=info.filename)
    if entry is not None and digest.hexdigest() != entry.sha256:
        raise _refuse("bundle.hash_mismatch", path, name=info.filename)


def _read_manifest(
    path: Path,
    handle: IO[bytes],
    members: dict[str, zipfile.ZipInfo],
    starts: dict[str, int],
    limits: BundleLimits,
) -> Manifest:
    info = members.get(MANIFEST)
    if info is None:
        raise _refuse("bundle.no_manifest", path)
    if info.file_size > limits.max_manifest_bytes:
        raise _refuse("bundle.bad_manifest", path)
    buffer = io.BytesIO()  # bounded: the declared size is checked, and enforced while reading
    _stream(path, handle, info, starts[MANIFEST], None, buffer, lambda count: None)
    try:
        raw = json.loads(buffer.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse("bundle.bad_manifest", path) from None
    return _parse_manifest(path, raw)


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_manifest(path: Path, raw: object) -> Manifest:
    if not isinstance(raw, dict):
        raise _refuse("bundle.bad_manifest", path)
    if raw.get("format") != FORMAT:
        raise _refuse("bundle.unknown_format", path, format=str(raw.get("format", "?"))[:40])
    version = raw.get("format_version")
    if not _integer(version) or version < 1:  # type: ignore[operator]
        raise _refuse("bundle.bad_manifest", path)
    if version > FORMAT_VERSION:  # type: ignore[operator]
        raise _refuse("bundle.newer_format", path, found=version, supported=FORMAT_VERSION)
    files = raw.get("files")
    counts = raw.get("counts")
    organization_id = raw.get("organization_id")
    if (
        not isinstance(files, list)
        or not isinstance(counts, dict)
        or not all(_integer(value) and value >= 0 for value in counts.values())
        or not _integer(raw.get("schema_version"))
        or not (organization_id is None or isinstance(organization_id, str))
    ):
        raise _refuse("bundle.bad_manifest", path)
    entries: list[ManifestEntry] = []
    for item in files:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("path"), str)
            or not _integer(item.get("size"))
            or item["size"] < 0
            or not isinstance(item.get("sha256"), str)
            or not _SHA256.fullmatch(item["sha256"])
        ):
            raise _refuse("bundle.bad_manifest", path)
        entries.append(ManifestEntry(item["path"], item["size"], item["sha256"]))
    if len({entry.path for entry in entries}) != len(entries):
        raise _refuse("bundle.bad_manifest", path)
    return Manifest(
        format_version=version,  # type: ignore[arg-type]
        created_at=str(raw.get("created_at", "")),
        app_version=str(raw.get("app_version", "")),
        schema_version=raw["schema_version"],
        organization_id=organization_id,
        counts={str(key): value for key, value in counts.items()},
        files=tuple(entries),
    )


def _check_against_manifest(
    path: Path, manifest: Manifest, members: dict[str, zipfile.ZipInfo]
) -> list[ManifestEntry]:
    """Every member listed, every listed file present, each where it belongs and of its size.

    The store comes first: it is the smaller part and the one most likely wrong.
    """
    listed = {entry.path: entry for entry in manifest.files}
    for name in members:
        if name != MANIFEST and name not in listed:
            raise _refuse("bundle.unlisted_member", path, name=name)
    for entry in manifest.files:
        if entry.path not in members:
            raise _refuse("bundle.missing_member", path, name=entry.path)
        if entry.path == MANIFEST:
            raise _refuse("bundle.bad_manifest", path)
        match = _ATTACHMENT_MEMBER.fullmatch(entry.path)
        if entry.path != STORE_MEMBER and not (
            match and match.group(2) == entry.sha256 and match.group(1) == entry.sha256[:2]
        ):
            raise _refuse("bundle.unexpected_member", path, name=entry.path)
        if members[entry.path].file_size != entry.size:
            raise _refuse("bundle.size_mismatch", path, name=entry.path)
    if STORE_MEMBER not in listed:
        raise _refuse("bundle.missing_member", path, name=STORE_MEMBER)
    return sorted(manifest.files, key=lambda entry: (entry.path != STORE_MEMBER, entry.path))


def _check_store(path: Path, store: Path, manifest: Manifest) -> None:
    found = bundle_rows.inspect(store)
    if found.problem == "too_new":
        raise _refuse("bundle.store_too_new", path, found=found.version, supported=LATEST_VERSION)
    if found.problem is not None:
        raise _refuse(f"bundle.store_{found.problem}", path)
    if found.version != manifest.schema_version or any(
        manifest.counts.get(kind, 0) != count for kind, count in found.counts.items()
    ):
        raise _refuse("bundle.bad_manifest", path)


# --- import --------------------------------------------------------------------------


def import_bundle(
    target_root: Path,
    bundle: Path,
    merge: bool = False,
    progress: Progress | None = None,
    limits: BundleLimits = DEFAULT_LIMITS,
) -> ImportSummary:
    """Bring a bundle into the data folder ``target_root``.

    The bundle is verified whole first, in a temporary folder beside the
    target (same filesystem); a bad one is refused with a ``UserError`` and the
    target is not touched. Then:

    - no store in the target yet: the bundle becomes the data folder (a folder
      that does not exist appears whole, by one rename; in an existing empty
      one the attachments go first and the store last);
    - a store with no organisation, application or report: filled from the bundle;
    - a store with data: refused in words unless ``merge``; with ``merge`` the
      bundle's records are added in one transaction (see ``ImportSummary``).

    Close any ``Workspace`` on ``target_root`` first, or reload it after.
    """
    data_dir = DataDir(Path(target_root))
    if data_dir.root.exists() and not data_dir.root.is_dir():
        raise UserError("file.cannot_write", path=str(data_dir.root), detail="not a folder")
    with check_bundle(bundle, _nearest_folder(data_dir.root.parent), limits, progress) as checked:
        bundle_rows.migrate_copy(checked.store)
        if not _store_files(data_dir):
            return _import_new(data_dir, checked, _marker(bundle))
        return _import_merge(data_dir, checked, merge, _marker(bundle))


def _store_files(data_dir: DataDir) -> list[Path]:
    store = data_dir.store
    return [
        candidate
        for candidate in (store, store.with_name(store.name + "-wal"))
        if candidate.exists()
    ]


def _marker(bundle: Path) -> str:
    """What ends the name of a copy kept beside a local record: where it came from."""
    from mms_desktop import i18n
    from mms_desktop.services.workspace import now

    return i18n.tr("bundle.copy_marker", file=Path(bundle).name, date=now().date())


def _import_new(data_dir: DataDir, checked: CheckedBundle, marker: str) -> ImportSummary:
    assembled = DataDir(checked.folder / "data")
    assembled.create()
    Store.open(assembled.store).close()  # the schema, made here by this program's migrations
    report = bundle_rows.merge(assembled.store, checked.store, marker, setting_travels)
    for sha, source in checked.attachments.items():
        destination = attachment_path(assembled, sha)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, destination)  # within the temporary folder
    if not data_dir.root.exists():
        # The whole folder appears at once, or not at all.
        try:
            data_dir.root.parent.mkdir(parents=True, exist_ok=True)
            os.rename(assembled.root, data_dir.root)
        except OSError as error:
            raise _cannot_write(data_dir.root, error) from error
        sync_folder(data_dir.root.parent)
        added_files = len(checked.attachments)
    else:
        # An existing folder without a store: attachments first (harmless
        # alone: content-addressed), then the store, which makes it whole.
        added_files = _move_attachments(assembled, data_dir, checked.attachments)
        try:
            data_dir.create()
            if data_dir.store.exists():
                raise FileExistsError(
                    errno.EEXIST, "a store appeared meanwhile", str(data_dir.store)
                )
            _move_file(assembled.store, data_dir.store)
        except OSError as error:
            raise _cannot_write(data_dir.store, error) from error
    return ImportSummary(
        target=data_dir.root,
        merged=False,
        added=report.added,
        skipped=report.skipped,
        attachments_added=added_files,
        conflicts=tuple(report.conflicts),
    )


def _import_merge(
    data_dir: DataDir, checked: CheckedBundle, merge: bool, marker: str
) -> ImportSummary:
    with Store.open(data_dir.store) as store:
        counts = store.counts()
    has_data = any(counts.get(kind, 0) for kind in ("organizations", "applications", "reports"))
    if has_data and not merge:
        raise UserError(
            "bundle.target_has_data",
            path=str(data_dir.root),
            organizations=counts.get("organizations", 0),
            applications=counts.get("applications", 0),
        )
    # Files first: an attachment without a record is invisible, a record
    # without its file is not. The records then come in one transaction.
    source = DataDir(checked.folder)
    added_files = _move_attachments(source, data_dir, checked.attachments)
    report = bundle_rows.merge(
        data_dir.store, checked.store, marker, None if has_data else setting_travels
    )
    return ImportSummary(
        target=data_dir.root,
        merged=has_data,
        added=report.added,
        skipped=report.skipped,
        attachments_added=added_files,
        conflicts=tuple(report.conflicts),
    )


def _move_attachments(source: DataDir, target: DataDir, files: dict[str, Path]) -> int:
    added = 0
    folders: set[Path] = set()
    for sha in files:
        origin = attachment_path(source, sha)
        destination = attachment_path(target, sha)
        if destination.exists():  # content-addressed: the same bytes are there already
            continue
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            _move_file(origin, destination)
        except OSError as error:
            raise _cannot_write(destination, error) from error
        folders.add(destination.parent)
        added += 1
    for folder in folders:
        sync_folder(folder)
    return added


# --- files -------------------------------------------------------------------------


def _nearest_folder(path: Path) -> Path:
    path = path.absolute()
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def _temp_folder(parent: Path | None, prefix: str) -> Path:
    try:
        if parent is not None:
            parent = _nearest_folder(Path(parent))
        return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as error:
        raise _cannot_write(parent or Path(tempfile.gettempdir()), error) from error


def _cannot_write(path: Path, error: OSError) -> UserError:
    if error.errno == errno.ENOSPC:
        return UserError("bundle.disk_full", path=str(path))
    return UserError("file.cannot_write", path=str(path), detail=i18n.os_error(error))


def _move_file(source: Path, destination: Path) -> None:
    """Rename; across filesystems, copy to a temp name beside it and rename that."""
    try:
        os.replace(source, destination)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
    handle, temp_name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    try:
        with os.fdopen(handle, "wb") as target, source.open("rb") as origin:
            shutil.copyfileobj(origin, target, CHUNK)
            target.flush()
            os.fsync(target.fileno())
        os.replace(temp_name, destination)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    sync_folder(destination.parent)


__all__ = [
    "DEFAULT_LIMITS",
    "FORMAT",
    "FORMAT_VERSION",
    "SUFFIX",
    "TRAVELLING_SETTINGS",
    "BundleLimits",
    "BundleSummary",
    "CheckedBundle",
    "ImportSummary",
    "Manifest",
    "ManifestEntry",
    "MergeConflict",
    "check_bundle",
    "export_bundle",
    "import_bundle",
    "setting_travels",
]
