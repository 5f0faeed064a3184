"""Write the canonical documents' JSON Schemas from the records' declarations.

    .venv/bin/python scripts/generate-schemas.py          # rewrite resources/schemas/
    .venv/bin/python scripts/generate-schemas.py --check  # exit 1 if a file differs

Run it after changing ``mms_desktop/domain/records.py``; the test suite
(tests/test_records.py) fails while a committed schema differs from this output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mms_desktop.domain.document_schema import schema_files  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say which files differ")
    args = parser.parse_args()
    folder = ROOT / "resources" / "schemas"
    differ = []
    for name, text in schema_files().items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        differ.append(name)
        if not args.check:
            path.write_bytes(text.encode("utf-8"))
    for name in differ:
        print(f"{'differs' if args.check else 'written'}: resources/schemas/{name}")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
