"""The cycle collector held back while the program starts (mms_desktop.collector)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from mms_desktop import collector


@pytest.fixture
def collector_restored() -> Iterator[None]:
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()
    gc.enable()


def test_held_back_for_the_start_then_let_go_with_what_the_start_made_frozen(
    collector_restored: None,
) -> None:
    collector.hold_back()
    assert not gc.isenabled()
    made_at_start = [[index] for index in range(5000)]
    collector.let_go()
    assert gc.isenabled()
    # Kept for the program's life, so no later collection walks them again.
    assert gc.get_freeze_count() >= len(made_at_start)
    collector.let_go()  # a second time changes nothing
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_is_left_off(collector_restored: None) -> None:
    gc.disable()
    collector.hold_back()  # already off: not ours to turn on later
    collector.let_go()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
