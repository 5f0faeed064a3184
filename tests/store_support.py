"""What "the same data" means in tests: every row of every table of a store file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def table_contents(store: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order, read without changing the file."""
    connection = sqlite3.connect(store.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()
