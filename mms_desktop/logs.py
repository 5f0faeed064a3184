"""The program's log: a file in the data folder's ``logs/``, with secrets and personal data cut out.

The window has no console on Windows, so whatever it logs must land in a file
a volunteer can send: ``logs/mms-desktop.log`` for the window,
``logs/cli.log`` for the command line, each rotated at ``MAX_BYTES`` with
``BACKUPS`` older files kept. ``logs/crash.log`` gets what ``faulthandler``
writes when the interpreter itself dies (a crash in Qt's C++), which no
Python handler sees.

Every line passes ``redact`` at the handler, so whatever a message or a
traceback carries, an operator token, an ``Authorization`` header, a PESEL,
a NIP, a phone number, an e-mail address or a bank account never reaches the
file. Names and addresses have no shape a pattern can know: they stay out
because no log call writes a field's value (only ids, paths and counts).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO

WINDOW_LOG = "mms-desktop.log"
CLI_LOG = "cli.log"
CRASH_LOG = "crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
ENV_TOKEN = "MMS_OPERATOR_TOKEN"  # the same name as sync.credentials reads
HIDDEN = "[ukryte]"
UNCAUGHT = "mms_desktop.uncaught"
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

log = logging.getLogger(__name__)

# Secrets this process has seen (tokens), cut out of every line wherever they appear.
_secrets: set[str] = set()
_secrets_lock = threading.Lock()

# The order matters: longer numbers first, so a bank account is not read as a PESEL.
# Digits inside a word (a SHA-256 in hex, an id) are part of it, not a number.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Authorization: Bearer abc", "'Authorization': 'Bearer abc'", "token=abc".
    (
        re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+)?[^\s'\",}]+"),
        r"\1" + HIDDEN,
    ),
    (re.compile(r"(?i)\bbearer\s+[^\s'\",}]+"), "Bearer " + HIDDEN),
    (
        re.compile(r"(?i)\b((?:token|password|hasło)['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
        r"\1" + HIDDEN,
    ),
    # A token as the operator makes it (secrets.token_urlsafe(32): 43 characters)
    # or similar: 32+ URL-safe characters with upper and lower case letters. Ids
    # and hashes (a UUID, a SHA-256 in hex) are lower case: they stay, they name things.
    (
        re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[A-Za-z0-9_-]{32,}(?![\w-])"),
        HIDDEN,
    ),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), HIDDEN),  # e-mail
    # A bank account (NRB, 26 digits, often in groups of 4, maybe with PL).
    (re.compile(r"(?<![\w])(?:PL ?)?\d{2}(?:[ -]?\d{4}){6}(?!\w)"), HIDDEN),
    (re.compile(r"(?<![\w])\d{11}(?!\w)"), HIDDEN),  # PESEL
    # NIP: 10 digits, plain or grouped 3-3-2-2 / 3-2-2-3.
    (
        re.compile(r"(?<![\w])\d{3}[ -]?(?:\d{3}[ -]?\d{2}|\d{2}[ -]?\d{2})[ -]?\d{2,3}(?!\w)"),
        HIDDEN,
    ),
    # A phone: 9 digits, maybe +48 / 0048 before, in groups of 3 or 2-3-2-2.
    (re.compile(r"(?<![\w.])(?:(?:\+|00)48[ -]?)?\d{3}[ -]?\d{3}[ -]?\d{3}(?![\w.])"), HIDDEN),
    (
        re.compile(r"(?<![\w.])(?:(?:\+|00)48[ -]?)?\d{2}[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}(?![\w.])"),
        HIDDEN,
    ),
)


def keep_secret(secret: str | None) -> None:
    """Never write ``secret`` (a token) to a log, whatever message carries it."""
    if secret and len(secret) >= 4:
        with _secrets_lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    """``text`` without known secrets, tokens, PESEL, NIP, phones, e-mails, bank accounts."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, HIDDEN)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then cuts secrets out of the whole line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _RotatingFile(RotatingFileHandler):
    """A rotating file that keeps writing when it cannot rotate.

    On Windows a log file open in another process (a second command, an
    antivirus scanning it) cannot be renamed: the rotation fails, and the line
    goes to the current file instead of being lost with an error on a stderr
    the window does not have.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        # A full or read-only disk: the line is lost, quietly. The log is for
        # finding faults; the user hears of the disk from the store, in words,
        # not from a traceback per log line on stderr.
        return

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except OSError:
            if self.stream is None or self.stream.closed:
                self.stream = self._open()


def file_handler(logs: Path, name: str) -> logging.Handler:
    logs.mkdir(parents=True, exist_ok=True)
    handler = _RotatingFile(
        logs / name, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setLevel(logging.INFO)
    handler.setFormatter(RedactingFormatter(_FORMAT))
    return handler


def console_handler() -> logging.Handler:
    """Warnings and errors on stderr (for the command line), redacted like the file."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    # An uncaught exception's traceback goes to the file; Python prints it on stderr itself.
    handler.addFilter(lambda record: record.name != UNCAUGHT)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    return handler


@contextmanager
def logging_to(logs: Path | None, name: str, console: bool) -> Iterator[Path | None]:
    """Log into ``logs/name`` (and stderr when ``console``) inside the block.

    Yields the log file's path, or None when ``logs`` is None or cannot be
    created (a read-only folder: the program still runs, its errors in words).
    Handlers are taken off and closed after the block, so a program that runs
    several commands in one process (the tests) holds no file open afterwards.
    """
    keep_secret(os.environ.get(ENV_TOKEN))
    root = logging.getLogger()
    added: list[logging.Handler] = []
    path: Path | None = None
    if logs is not None:
        try:
            added.append(file_handler(logs, name))
            path = logs / name
        except OSError:
            path = None
    if console:
        added.append(console_handler())
    level = root.level
    for handler in added:
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield path
    finally:
        root.setLevel(level)
        for handler in added:
            root.removeHandler(handler)
            handler.close()


# The file faulthandler writes into stays open for the life of the process:
# faulthandler keeps only its descriptor, and closing it would leave a crash unwritten.
_crash_file: IO[str] | None = None


def write_crashes_to(logs: Path) -> Path | None:
    """A fatal error's Python stacks (every thread) go into ``logs/crash.log``."""
    global _crash_file  # noqa: PLW0603 - one file for the process's life
    path = logs / CRASH_LOG
    if _crash_file is not None:
        return path
    try:
        logs.mkdir(parents=True, exist_ok=True)
        _crash_file = path.open("a", encoding="utf-8")
    except OSError:
        return None
    faulthandler.enable(_crash_file, all_threads=True)
    return path


def log_uncaught(
    kind: type[BaseException], value: BaseException, trace: TracebackType | None
) -> None:
    """The traceback of an exception nobody caught, into the log."""
    logging.getLogger(UNCAUGHT).critical("uncaught exception", exc_info=(kind, value, trace))


def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger(UNCAUGHT).critical(
        "uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )
