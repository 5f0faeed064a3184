"""The command line's output when it goes to a file or a pipe."""

from __future__ import annotations

import io
import sys


def utf8_when_redirected() -> None:
    """On Windows, output sent to a file or a pipe is written in UTF-8.

    Python writes a redirected stream in the ANSI code page, 1250 on a Polish
    Windows, which has no ✓, no arrows and no Cyrillic: ``list > lista.txt``
    crashed with UnicodeEncodeError on a title typed in Ukrainian, after part
    of the output was written. UTF-8 holds every character, is what JSON must
    be in, and is what Notepad and PowerShell 7 read. A console is left alone:
    Python writes it in UTF-16, which it shows whole.
    """
    if sys.platform != "win32":
        return
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not stream.isatty():
            stream.reconfigure(encoding="utf-8")
