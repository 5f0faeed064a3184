"""Sending in the background: one round at a time, on its own connection.

A round does network I/O for seconds, so it never runs on the GUI thread and
never holds the one writer: it opens its own workspace (SQLite serialises its
few small writes with the busy timeout). Automatic rounds come from a timer and
honour the backoff; "Wyślij teraz" asks for a manual round, which tries every
queued item at once. Whatever goes wrong comes back in words, in the report.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from mms_desktop import i18n
from mms_desktop.services import sending
from mms_desktop.services.workspace import Workspace, now
from mms_desktop.ui.writer import error_message

log = logging.getLogger(__name__)

FIRST_ROUND_MS = 2_000
ROUND_EVERY_MS = 60_000
STOP_WAIT_MS = 15_000


def run_round(data_dir: Path, manual: bool) -> sending.SyncReport | None:
    """One round on its own workspace; None when an automatic round had nothing to do.

    Each organisation goes with its own login; one without a login waits, in words.
    """
    report = sending.SyncReport()
    try:
        with Workspace.open(data_dir) as workspace:
            if not manual and not sending.has_work(workspace):
                return None
            return sending.sync(workspace, now(), manual=manual)
    except Exception as error:  # the folder or the store cannot be opened: said in words
        report.problem = error_message(error, data_dir)
        return report


class _RoundSignals(QObject):
    done = Signal(object)  # SyncReport | None


class _Round(QRunnable):
    def __init__(self, data_dir: Path, manual: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept by the worker until its report is in
        self.signals = _RoundSignals()
        self._data_dir = data_dir
        self.manual = manual

    def run(self) -> None:
        try:
            report = run_round(self._data_dir, self.manual)
        except Exception:  # a bug: logged, and the round still ends
            log.exception("a sending round failed")
            report = sending.SyncReport(problem=i18n.tr("ui.sending.bug"))
        self.signals.done.emit(report)


class SyncWorker(QObject):
    """Runs sending rounds in the background and tells the window what came of them."""

    started = Signal()
    finished = Signal(object)  # SyncReport

    def __init__(
        self,
        data_dir: Path,
        parent: QObject | None = None,
        every_ms: int = ROUND_EVERY_MS,
        first_ms: int = FIRST_ROUND_MS,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._round: _Round | None = None
        self._manual_wanted = False
        self._stopped = True
        self._first_ms = first_ms
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self._automatic)

    @property
    def busy(self) -> bool:
        return self._round is not None

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        QTimer.singleShot(self._first_ms, self, self._automatic)

    def stop(self, wait_ms: int = STOP_WAIT_MS) -> None:
        """No more rounds; wait for the one under way (its items stay queued if cut off)."""
        self._stopped = True
        self._manual_wanted = False
        self._timer.stop()
        self._pool.waitForDone(wait_ms)

    def send_now(self) -> None:
        """A manual round: every queued item at once; after the current round if one runs."""
        if self._stopped:
            return
        if self._round is not None:
            self._manual_wanted = True
            return
        self._begin(manual=True)

    def _automatic(self) -> None:
        if self._stopped or self._round is not None:
            return
        self._begin(manual=False)

    def _begin(self, manual: bool) -> None:
        round_ = _Round(self._data_dir, manual)
        # A bound method: Qt drops the report if this worker is gone first.
        round_.signals.done.connect(self._done)
        self._round = round_
        if manual:
            self.started.emit()
        self._pool.start(round_)

    def _done(self, report: sending.SyncReport | None) -> None:
        self._round = None
        if report is not None and not self._stopped:
            self.finished.emit(report)
        if self._manual_wanted and not self._stopped:
            self._manual_wanted = False
            self._begin(manual=True)
