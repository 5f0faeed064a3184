"""What the tests need to know about the demo data folder."""

from __future__ import annotations

from typing import Any


def the_draft(data: dict[str, Any]) -> dict[str, Any]:
    """The demo's draft application in ``list --json`` (the demo also has an accepted one)."""
    [app] = [item for item in data["applications"] if item["status"] == "draft"]
    return app
