"""The house rules hold, and would be noticed if broken.

Each import-linter contract in pyproject.toml is shown to bite: a copy of the
source tree gets one forbidden import in the right place, import-linter is run
on the copy, and that contract fails; the untouched copy passes them all.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# lint-imports as this interpreter runs it (the same on Windows, where it is an .exe).
LINT_IMPORTS = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.exit(lint_imports_command())",
]

# contract id → (a file of the tree, the import that breaks that contract there)
BREAKS = {
    "layers": ("mms_desktop/storage/errors.py", "import mms_desktop.services.errors"),
    "ui-on-services": ("mms_desktop/ui/style.py", "import mms_desktop.storage.errors"),
    "pure-domain": ("mms_desktop/domain/ids.py", "import sqlite3"),
    "qt-only-in-ui": ("mms_desktop/services/errors.py", "import PySide6.QtCore"),
    "sql-only-in-stores": ("mms_operator/app.py", "import sqlite3"),
    "http-only-in-sync": ("mms_desktop/services/errors.py", "import requests"),
    "pdf-only-in-documents": ("mms_desktop/ui/style.py", "import reportlab"),
    "operator-on-shared-core": ("mms_operator/tokens.py", "import mms_desktop.services.errors"),
    "desktop-without-operator": ("mms_desktop/paths.py", "import mms_operator.tokens"),
    # services/calls.py imports services/files.py: the way back closes a cycle.
    "no-cycles": ("mms_desktop/services/files.py", "import mms_desktop.services.calls"),
}


def contract_ids() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["id"] for contract in config["tool"]["importlinter"]["contracts"]]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two packages and the contracts, copied where import-linter sees only them."""
    copy = tmp_path_factory.mktemp("tree")
    for package in ("mms_desktop", "mms_operator"):
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint(tree: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [*LINT_IMPORTS, "--no-logo", *selected, "pyproject.toml"],
        cwd=tree,  # import-linter puts the working folder first on the path: the copy
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextmanager
def one_more_import(tree: Path, relative: str, statement: str) -> Iterator[None]:
    """``statement`` added to one file of the copy (after its docstring), then taken out."""
    path = tree / relative
    original = path.read_text(encoding="utf-8")
    marker = "from __future__ import annotations\n"
    assert marker in original, relative
    path.write_text(original.replace(marker, f"{marker}\n{statement}\n", 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def test_every_contract_is_shown_to_bite() -> None:
    assert sorted(BREAKS) == sorted(contract_ids())


def test_the_untouched_tree_keeps_every_contract(tree: Path) -> None:
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(BREAKS)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize("contract", sorted(BREAKS))
def test_a_forbidden_import_breaks_its_contract(tree: Path, contract: str) -> None:
    relative, statement = BREAKS[contract]
    with one_more_import(tree, relative, statement):
        result = lint(tree, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken." in result.stdout, result.stdout
    # The report names the module that broke it, so the newcomer knows where to look.
    module = relative.removesuffix(".py").replace("/", ".")
    assert module.rsplit(".", 1)[-1] in result.stdout, result.stdout


def _store_reached(path: Path) -> list[str]:
    """Each ``<a workspace>.store`` in the file (``data_dir.store`` is a file's path: allowed)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "store"
        and ast.unparse(node.value).lower().endswith(("workspace", "ws"))
    ]


def test_the_window_never_reaches_past_the_services_into_the_store() -> None:
    """No ``workspace.store`` in ui/: import-linter sees imports, not attributes."""
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "mms_desktop" / "ui").glob("*.py"))
        if (lines := _store_reached(path))
    }
    assert found == {}
