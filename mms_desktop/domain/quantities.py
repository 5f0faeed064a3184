"""Numbers a message prints by their kind: an amount of money, a percentage.

Findings carry them as parameters (``findings``), and every language prints
them its own way (``mms_desktop.i18n``). Apart from the findings so that the
catalog, which every start loads, needs only these two.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Amount:
    """A parameter printed as money: ``1 234,50 zł``.

    Rounded to the grosz, except where ``exact``: two sides of a sum that does
    not add up are shown with every digit they have, so they never print equal.
    """

    value: Decimal
    exact: bool = False


@dataclass(frozen=True)
class Percent:
    """A parameter printed as a percentage: ``8,42 %``."""

    value: Decimal
