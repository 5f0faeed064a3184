"""``mms-operator backup`` and ``restore``: one archive holding the store and its blobs.

The database is copied consistently while the server runs: SQLite through its
backup API (a file copy of a live WAL database can miss the latest
submissions, or catch half of a write), PostgreSQL by ``pg_dump`` (one
snapshot). The blobs are copied after the database: blob files are named by
their content and never change, and only blobs nobody lists are ever deleted,
so every blob the copied database lists is there.

The archive is a tar file (attachments are mostly compressed already):
``database/…``, ``blobs/<sha[:2]>/<sha>`` and, last, ``manifest.json`` with the
SHA-256 of every other member; ``restore`` checks them all before it writes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mms_desktop.i18n import tr
from mms_operator.blobs import BLOBS_DIR, private_folder
from mms_operator.sqlite_store import DB_FILE, SqliteOperatorStore
from mms_operator.store import StoreError, utc_now

if TYPE_CHECKING:
    from mms_operator.postgres_store import PostgresOperatorStore

FORMAT = "mms-operator-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = f"database/{DB_FILE}"
PG_MEMBER = "database/mms-operator.pgdump"  # pg_dump's custom format, for pg_restore
# What an archive may hold: nothing can be written outside the data folder.
_MEMBER = re.compile(
    rf"{re.escape(SQLITE_MEMBER)}|{re.escape(PG_MEMBER)}|{BLOBS_DIR}/[0-9a-f]{{2}}/[0-9a-f]{{64}}"
)


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    store: str
    blobs: int
    bytes: int


def _sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def postgres_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: the newest installed (Debian keeps them per version)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path is None:
        raise StoreError(tr("operator.backup.no_tool", name=name))
    return on_path


def _libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The connection string without its password, and the password in the environment:
    a command line is visible to every account on the machine (``ps``)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**{key: str(value) for key, value in params.items()}), env


def _run_tool(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise StoreError(
            tr("operator.backup.cannot_run", program=command[0], detail=error.strerror or error)
        ) from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or [tr("operator.backup.no_message")])[-1]
        password = env.get("PGPASSWORD")
        if password:
            first = first.replace(password, "***")
        raise StoreError(tr("operator.backup.tool_failed", what=what, answer=first))


def _dump_database(store: Any, folder: Path) -> tuple[str, str, Path]:
    """(kind, member name, file) of a consistent copy of the store's database."""
    if isinstance(store, SqliteOperatorStore):
        copy = folder / DB_FILE
        source = sqlite3.connect(store.db_path)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        except sqlite3.Error as error:
            raise StoreError(tr("operator.backup.cannot_copy", detail=error)) from None
        finally:
            target.close()
            source.close()
        return "sqlite", SQLITE_MEMBER, copy
    copy = folder / "mms-operator.pgdump"
    conninfo, env = _libpq_target(store.url)
    _run_tool(
        [
            postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={copy}",
            f"--dbname={conninfo}",
        ],
        env,
        tr("operator.backup.dumping"),
    )
    return "postgresql", PG_MEMBER, copy


def _blob_files(data_dir: Path) -> Iterator[Path]:
    for path in sorted((data_dir / BLOBS_DIR).glob("*/*")):
        if not path.name.startswith("."):  # a write in progress
            yield path


def backup(store: SqliteOperatorStore | PostgresOperatorStore, out: Path) -> BackupSummary:
    """Write the archive to ``out`` (whole or absent, readable by this account only)."""
    out = Path(out)
    started = utc_now()
    with tempfile.TemporaryDirectory(prefix="mms-backup-") as scratch:
        kind, member, database = _dump_database(store, Path(scratch))
        files: dict[str, str] = {member: _sha256_of(database)}
        partial = out.with_name(f".{out.name}.part")
        try:
            descriptor = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            blobs, size = 0, 0
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
                tar.add(database, arcname=member)
                for path in _blob_files(store.data_dir):
                    name = f"{BLOBS_DIR}/{path.parent.name}/{path.name}"
                    files[name] = path.name  # content-addressed: its name is its SHA-256
                    tar.add(path, arcname=name)
                    blobs += 1
                    size += path.stat().st_size
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "store": kind,
                    "started_at": started,
                    "finished_at": utc_now(),
                    "sha256": files,
                }
                text = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(text)
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(text))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, out)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise StoreError(
                tr("operator.backup.cannot_save", path=out, detail=error.strerror or error)
            ) from None
    return BackupSummary(out, kind, blobs, size)


def _checked_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    """The manifest, once every member's SHA-256 matches it (and nothing else is inside)."""
    try:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        expected: dict[str, str] = manifest["sha256"]
        known = manifest["format"] == FORMAT and manifest["store"] in ("sqlite", "postgresql")
    except (KeyError, TypeError, ValueError, AttributeError, tarfile.TarError):
        known = False
    if not known:
        raise StoreError(tr("operator.backup.not_a_backup", path=archive))
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise StoreError(tr("operator.backup.too_new", path=archive))
    seen = set()
    for info in tar.getmembers():
        if info.name == MANIFEST:
            continue
        handle = tar.extractfile(info) if info.isfile() else None
        if handle is None or info.name not in expected or not _MEMBER.fullmatch(info.name):
            raise StoreError(tr("operator.backup.stranger", path=archive, member=info.name))
        # ExFileObject is a BufferedReader; typeshed types it as the wider IO[bytes].
        digest = hashlib.file_digest(handle, "sha256")  # type: ignore[arg-type]
        if digest.hexdigest() != expected[info.name]:
            raise StoreError(tr("operator.backup.damaged", path=archive, member=info.name))
        seen.add(info.name)
    if seen != set(expected):
        raise StoreError(tr("operator.backup.incomplete", path=archive))
    return dict(manifest)


def restore(archive: Path, data_dir: Path, database: str | None) -> dict[str, Any]:
    """Put the archive's store and blobs into an empty data folder (and empty database)."""
    try:
        tar = tarfile.open(archive, mode="r:")  # noqa: SIM115 — closed by the with below
    except FileNotFoundError:
        raise StoreError(tr("operator.backup.no_file", path=archive)) from None
    except (OSError, tarfile.TarError):
        raise StoreError(tr("operator.backup.not_a_backup", path=archive)) from None
    with tar:
        manifest = _checked_manifest(tar, archive)
        kind = manifest["store"]
        if (kind == "postgresql") != (database is not None):
            raise StoreError(tr("operator.backup.wrong_target"))
        if (data_dir / DB_FILE).exists() or any(_blob_files(data_dir)):
            raise StoreError(tr("operator.backup.folder_not_empty", folder=data_dir))
        try:
            private_folder(data_dir)
            private_folder(data_dir / BLOBS_DIR)
        except OSError as error:
            raise StoreError(
                tr("operator.backup.cannot_create_folder", folder=data_dir, detail=error.strerror)
            ) from None
        if database is not None:
            _restore_postgres(tar, database)
        for info in tar.getmembers():
            if info.name.startswith(f"{BLOBS_DIR}/") or info.name == SQLITE_MEMBER:
                target = data_dir / (DB_FILE if info.name == SQLITE_MEMBER else info.name)
                target.parent.mkdir(mode=0o700, exist_ok=True)
                with tar.extractfile(info) as source, _private_file(target) as sink:  # type: ignore[union-attr]
                    shutil.copyfileobj(source, sink)
    return manifest


def _private_file(path: Path) -> Any:
    return os.fdopen(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb")


def _restore_postgres(tar: tarfile.TarFile, database: str) -> None:
    import psycopg

    from mms_operator.postgres_store import _connect_error

    try:
        with psycopg.connect(database) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
    except psycopg.Error as error:
        raise _connect_error(database, error) from None
    if tables and tables[0]:
        raise StoreError(tr("operator.backup.database_not_empty"))
    with tempfile.TemporaryDirectory(prefix="mms-restore-") as scratch:
        dump = Path(scratch) / "mms-operator.pgdump"
        with tar.extractfile(PG_MEMBER) as source, dump.open("wb") as sink:  # type: ignore[union-attr]
            shutil.copyfileobj(source, sink)
        conninfo, env = _libpq_target(database)
        _run_tool(
            [
                postgres_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={conninfo}",
                str(dump),
            ],
            env,
            tr("operator.backup.restoring"),
        )
