"""The frozen program's entry point: the same ``main`` as the installed ``mms-desktop``.

The windowed Windows program (mms-desktop.exe) has no console, so Python gives
it no stdout or stderr; a command given to it anyway then writes into nothing
instead of failing. The console program (mms-desktop-cli.exe) and the Linux
build print as the installed command does.

For the smoke test and the start-up benchmark only: with
``MMS_DESKTOP_SELF_CHECK=DATA_DIR`` in the environment the program opens its
main window on that folder, paints it once and prints a line ``ready …``; then
a line of what the frozen build must carry: the Qt platform, the window icon,
a printer (QtPrintSupport), the page count of the PDF named by
``MMS_DESKTOP_SELF_CHECK_PDF`` as Qt's PDF module reads it, the image formats,
and the keyring backends found through keyring's package metadata. It closes
the window and exits 0. The window is the one a normal start shows; only the
first-run question is not asked. ``.venv/bin/python installer/mms_desktop_main.py``
runs the same code from the installed package, for comparison.
"""

import os
import sys

if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

SELF_CHECK = "MMS_DESKTOP_SELF_CHECK"
SELF_CHECK_PDF = "MMS_DESKTOP_SELF_CHECK_PDF"


def keyring_backends() -> str:
    """keyring's backends as its entry points name them; ``!`` marks one that failed to load."""
    from importlib.metadata import entry_points

    names = []
    for point in entry_points(group="keyring.backends"):
        try:
            point.load()
            names.append(point.name)
        except Exception:
            names.append(f"{point.name}!")
    return ",".join(sorted(names)) or "none"


def self_check(data_dir: str) -> int:
    from pathlib import Path

    from PySide6.QtCore import QThreadPool
    from PySide6.QtGui import QImageReader
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from mms_desktop.ui.app import app_icon

    app = QApplication(sys.argv[:1])
    app.setApplicationName("mms-desktop")
    app.setWindowIcon(app_icon())
    from mms_desktop.ui.main_window import MainWindow

    window = MainWindow(Path(data_dir), ask_on_first_run=False)
    window.show()
    app.processEvents()
    picture = window.grab()  # paints the whole window once more, into a picture
    rows = window.applications.home.model.rowCount()
    print(f"ready rows={rows} painted={picture.width()}x{picture.height()}", flush=True)
    formats = sorted(bytes(name.data()).decode() for name in QImageReader.supportedImageFormats())
    printer = QPrinter()  # QtPrintSupport loads its platform plugin here
    pages = -1
    pdf = os.environ.get(SELF_CHECK_PDF)
    if pdf:
        document = QPdfDocument()
        document.load(pdf)
        pages = document.pageCount()
    print(
        f"platform={app.platformName()} icon={not app.windowIcon().isNull()} "
        f"printer={printer.isValid()} pdf_pages={pages} image_formats={','.join(formats)} "
        f"keyring_backends={keyring_backends()}",
        flush=True,
    )
    window.close()
    QThreadPool.globalInstance().waitForDone()
    return 0


if __name__ == "__main__":
    from mms_desktop import collector

    collector.hold_back()  # before the imports: see mms_desktop.collector
    if os.environ.get(SELF_CHECK):
        sys.exit(self_check(os.environ[SELF_CHECK]))
    from mms_desktop.cli import main

    sys.exit(main())
