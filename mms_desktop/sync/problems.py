"""What can go wrong between the laptop and the operator, as a catalog key.

Kept apart from the HTTP client so the rest of the program can name these
problems without loading requests at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OperatorProblem(Exception):
    """Something between the laptop and the operator; ``key`` names it in the catalog."""

    key: str
    transient: bool
    params: dict[str, object] = field(default_factory=dict)
    retry_after_s: float | None = None
    code: str = ""  # the operator's error code, when it gave one
    # The connection or the login is the problem, not the item: every other item
    # of the same organisation would meet it too, so its round stops there.
    whole_organization: bool = False

    def __str__(self) -> str:
        return f"{self.key} {self.params}"
