"""The one writer: every save runs, in order, on one thread that owns the store.

The window never waits for the disk. An edit is applied to the in-memory copy
at once and queued here; ``saved`` tells the window when everything queued is
on disk, ``failed`` when a save did not happen — then the window says so in
words and reloads what the store really holds. Nothing is ever shown as saved
that was not. Larger jobs (a new application, an import, the demo) run here
too and hand their result back to the GUI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, Signal, Slot

from mms_desktop import i18n
from mms_desktop.services.errors import UserError
from mms_desktop.services.records import StoreError
from mms_desktop.services.workspace import Workspace

log = logging.getLogger(__name__)

Job = Callable[[Workspace], Any]
Callback = Callable[[Any], None]
Result = TypeVar("Result")
_STOP = object()


def error_message(error: BaseException, path: Path | None = None) -> str:
    """A user-facing error in words; a bug becomes a generic line (and a log entry)."""
    if isinstance(error, UserError):
        return i18n.tr(error.key, **error.params)
    if isinstance(error, StoreError):
        return i18n.tr(error.key, **({"path": str(path)} | error.params))
    log.error("unexpected error", exc_info=error)
    return i18n.tr("ui.save_failed_bug")


class StoreWriter(QObject):
    queued = Signal()  # a job was queued: the window says "saving" until it has run
    # Emitted from the writer thread; Qt queues them to the GUI thread.
    saved = Signal(int)  # saves still waiting after this one
    failed = Signal(str)  # the reason, in words
    _finished = Signal(object, object)  # callback, result

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self._root = data_dir
        self._queue: queue.Queue[object] = queue.Queue()
        self._pending = 0
        self._lock = threading.Condition()
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()
        # Not waiting for the thread to open the store: the window has just
        # opened the same file itself, and a failure here is still reported
        # (``failed``) by the first save that cannot run.

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def submit(
        self,
        job: Callable[[Workspace], Result],
        on_done: Callable[[Result], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Queue a job; ``on_done(result)`` runs on the GUI thread after it succeeded.

        The job's result type is the callback's argument type, so a callback
        reads the result's attributes typed (no casts at the receiving end).
        """
        with self._lock:
            self._pending += 1
        self._queue.put((job, on_done, on_error))
        self.queued.emit()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every queued job has run (on close, and before a reload)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Wait for every queued save, however long a stalled disk takes: never drop one."""
        self.flush(timeout=None)
        self._queue.put(_STOP)
        self._thread.join()

    def _fail_everything(self, item: object, message: str) -> None:
        """The store could not be opened here: no save can happen; say so for each."""
        while item is not _STOP:
            with self._lock:
                self._pending -= 1
                self._lock.notify_all()
            _job, _on_done, on_error = cast(
                tuple[Job, Callback | None, Callable[[str], None] | None], item
            )
            if on_error is not None:
                self._finished.emit(on_error, message)
            else:
                self.failed.emit(message)
            item = self._queue.get()

    @Slot(object, object)
    def _deliver(self, callback: Callback, result: object) -> None:
        callback(result)

    def _run(self) -> None:
        # The store is opened when the first job arrives, not at start-up: the
        # window's first paint does not wait for (or share the interpreter with)
        # this thread's imports.
        item = self._queue.get()
        if item is _STOP:
            return
        try:
            workspace = Workspace.open(self._root)
        except Exception as error:
            self._fail_everything(item, error_message(error, self._root))
            return
        try:
            while True:
                if item is _STOP:
                    break
                job, on_done, on_error = cast(
                    tuple[Job, Callback | None, Callable[[str], None] | None], item
                )
                message = None
                result = None
                try:
                    result = job(workspace)
                except Exception as error:
                    message = error_message(error, self._root)
                with self._lock:
                    self._pending -= 1
                    remaining = self._pending
                    self._lock.notify_all()
                if message is None:
                    if on_done is not None:
                        self._finished.emit(on_done, result)
                    self.saved.emit(remaining)
                elif on_error is not None:
                    self._finished.emit(on_error, message)
                else:
                    self.failed.emit(message)
                item = self._queue.get()
        finally:
            workspace.close()
