"""One directory-fsync helper: every writer that renames a file calls the same one."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

import mms_desktop
from mms_desktop.fsync import sync_file, sync_folder

ROOT = Path(mms_desktop.__file__).resolve().parent.parent


def _opens_a_folder(path: Path) -> bool:
    """Whether the module calls os.open(…, os.O_RDONLY): how a folder is opened to fsync it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "open"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "os"
            and any(isinstance(arg, ast.Attribute) and arg.attr == "O_RDONLY" for arg in node.args)
        ):
            return True
    return False


def test_the_folder_fsync_exists_once():
    sources = sorted((ROOT / "mms_desktop").rglob("*.py")) + sorted(
        (ROOT / "mms_operator").rglob("*.py")
    )
    assert [path.relative_to(ROOT).as_posix() for path in sources if _opens_a_folder(path)] == [
        "mms_desktop/fsync.py"
    ]


def test_a_file_and_its_folder_are_flushed_in_a_folder_with_polish_letters(tmp_path):
    folder = tmp_path / "Zażółć gęślą"
    folder.mkdir()
    file = folder / "kopia.json"
    file.write_bytes(b"{}")
    sync_file(file)
    sync_folder(folder)
    assert file.read_bytes() == b"{}"


@pytest.mark.skipif(os.name != "posix", reason="a folder is opened for fsync only on POSIX")
def test_a_missing_folder_is_an_error_not_silence(tmp_path):
    with pytest.raises(FileNotFoundError):
        sync_folder(tmp_path / "nie ma")
