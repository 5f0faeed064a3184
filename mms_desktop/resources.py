"""Where the bundled resources are: calls, schemas, message catalogs, fonts.

In a source checkout (and an editable install) they sit in ``resources/`` at
the top of the project; a wheel or a frozen build carries them inside the
package as ``mms_desktop/resources``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("mms-desktop resources are missing from this installation")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
