"""A real PostgreSQL server for the tests: Debian's binaries, a temporary cluster.

Started once per test session (``postgres_server`` in conftest.py) on 127.0.0.1
at a free port, with password (SCRAM) logins as a real operator's would be.
PostgreSQL refuses to run as root, so under root (CI) the cluster belongs to the
``postgres`` system account the Debian package creates and is run through
``runuser``. ``fsync=off``: the tests' cluster is thrown away, and durability is
PostgreSQL's, not ours, to test. Each test gets a database of its own.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

USER = "mms_test"
PASSWORD = "hasło-testowe z:@/?#"  # characters a URL must escape: the store must cope


def _binaries() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise RuntimeError(
        "The operator's tests need PostgreSQL's server (initdb, pg_ctl): run "
        "scripts/ensure-test-tools, which installs Debian's postgresql package."
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    root: Path
    port: int
    bin_dir: Path
    run_as: list[str]
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str) -> str:
        from urllib.parse import quote

        return f"postgresql://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url("postgres"), autocommit=True)

    def new_database(self) -> str:
        """A fresh, empty database's URL."""
        name = f"operator_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [
                *self.run_as,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(*, durable: bool = False) -> PostgresServer:
    """A new cluster; ``durable``: PostgreSQL's default fsync and commit settings
    (for figures compared with SQLite's ``synchronous=FULL``), else fast and throwaway."""
    bin_dir = _binaries()
    # Outside pytest's 0700 temporary folders, which the postgres account cannot enter.
    root = Path(tempfile.mkdtemp(prefix="mms-postgres-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        import pwd  # POSIX only; the Windows run never starts a server (tests/wine.py)

        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    password_file = root / "password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    if run_as:
        os.chown(password_file, account.pw_uid, account.pw_gid)
    port = _free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*run_as, *command], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}\n{done.stderr}")

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(root / "data"),
        "-U",
        USER,
        f"--pwfile={password_file}",
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    )
    password_file.unlink()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c max_connections=300"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(root / "data"),
        "-l",
        str(root / "log"),
        "-w",
        "-o",
        options,
        "start",
    )
    return PostgresServer(root, port, bin_dir, run_as)
