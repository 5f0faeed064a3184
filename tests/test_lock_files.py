"""The lock files (requirements/, made by scripts/lock) pin what pyproject.toml asks for.

A dependency changed in pyproject.toml without running scripts/lock would make
the builds install something else than the tests ran with; these tests fail first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"

# The two machines the program and its tests run on (CPython 3.11, 64-bit).
LINUX = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
WINDOWS = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}
COMMON = {
    "python_version": "3.11",
    "python_full_version": "3.11.9",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "x86_64",
    "extra": "",
}


def read_lock(name: str) -> dict[str, tuple[str, Marker | None, int]]:
    """Package → (pinned version, marker, number of hashes)."""
    text = (LOCKS / name).read_text(encoding="utf-8")
    pins: dict[str, tuple[str, Marker | None, int]] = {}
    # One entry: "name==version [; marker] \" then its "--hash=" lines.
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = entry.splitlines()[0].rstrip(" \\")
        if first.startswith("#") or "==" not in first:
            continue
        requirement = Requirement(first)
        [spec] = requirement.specifier
        pins[canonicalize_name(requirement.name)] = (
            spec.version,
            requirement.marker,
            entry.count("--hash=sha256:"),
        )
    return pins


def pyproject_requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return [Requirement(r) for r in wanted]


def installed_on(
    pins: dict[str, tuple[str, Marker | None, int]], platform: dict[str, str]
) -> dict[str, str]:
    environment = {**COMMON, **platform}
    return {
        name: version
        for name, (version, marker, _) in pins.items()
        if marker is None or marker.evaluate(environment)
    }


def problems(lock: str, requirements: list[Requirement], platform: dict[str, str]) -> list[str]:
    """What in pyproject.toml the lock file does not satisfy on that platform."""
    installed = installed_on(read_lock(lock), platform)
    found = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        where = f"{requirement} in requirements/{lock} for {platform['sys_platform']}"
        if name not in installed:
            found.append(f"not locked: {where}")
        elif not requirement.specifier.contains(installed[name], prereleases=True):
            found.append(f"locked {installed[name]} is outside {where}")
    return found


@pytest.mark.parametrize(
    ("lock", "extras", "platforms"),
    [
        ("dev.txt", ("dev", "operator", "build"), (LINUX, WINDOWS)),
        ("run.txt", (), (LINUX, WINDOWS)),
        ("build.txt", ("build",), (LINUX, WINDOWS)),
        ("operator.txt", ("operator",), (LINUX, WINDOWS)),
        ("windows.txt", ("operator", "build"), (WINDOWS,)),
    ],
)
def test_each_lock_pins_a_version_pyproject_allows(
    lock: str, extras: tuple[str, ...], platforms: tuple[dict[str, str], ...]
) -> None:
    for platform in platforms:
        assert problems(lock, pyproject_requirements(*extras), platform) == [], "run scripts/lock"


def test_a_bound_pyproject_changes_without_relocking_is_caught() -> None:
    locked = installed_on(read_lock("run.txt"), LINUX)["reportlab"]
    tightened = [Requirement(f"reportlab<{locked}"), Requirement("tzlocal>=5")]
    assert problems("run.txt", tightened, LINUX) == [
        f"locked {locked} is outside reportlab<{locked} in requirements/run.txt for linux",
        "not locked: tzlocal>=5 in requirements/run.txt for linux",
    ]


def test_every_lock_pins_the_versions_of_dev_and_every_file_by_hash() -> None:
    dev = read_lock("dev.txt")
    for lock in ("dev.txt", "run.txt", "build.txt", "operator.txt", "windows.txt"):
        for name, (version, _, hashes) in read_lock(lock).items():
            assert hashes > 0, f"{name} has no hash in requirements/{lock}"
            assert dev[name][0] == version, (
                f"{name} is {version} in requirements/{lock} but {dev[name][0]} in dev.txt"
            )


def test_the_windows_lock_has_what_only_windows_needs_and_not_the_source_checkers() -> None:
    windows = read_lock("windows.txt")
    # keyring reaches the Credential Manager through pywin32-ctypes.
    assert "pywin32-ctypes" in windows
    assert "secretstorage" not in windows
    assert not {"ruff", "mypy"} & windows.keys()
    # The contracts' own tests run there too.
    assert "import-linter" in windows
