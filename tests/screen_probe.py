"""The window on a real screen, page by page: what a volunteer could not see or reach.

Run as a child process on an X display (tests/test_real_screen.py starts Xvfb and
a window manager). It opens the window on a demo store as a volunteer would (the
window chooses its own size and place), visits every page, section and the two
dialogs, and prints one JSON line: ``{"problems": [...], "views": n}``. A problem
is a control whose text is wider (or taller) than its rectangle, a control cut
off by its parent or outside the screen, or two siblings on top of each other.

    DISPLAY=:5 .venv/bin/python tests/screen_probe.py [--text-scale 1.5] [--shots DIR --tag T]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MMS_CLOCK", "2027-05-20T10:00:00+02:00")

from PySide6.QtCore import QRect, Qt, QThreadPool  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollBar,
    QSplitterHandle,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QLabel)
SLACK = 1  # a pixel of rounding


def describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton)):
        text = widget.text().replace("\n", " ")[:40]
    name = widget.objectName() or widget.accessibleName()
    return f"{type(widget).__name__}[{name}]" + (f" {text!r}" if text else "")


def in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    """Inside a scroll area's viewport: reached by scrolling, so not "cut off"."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()  # type: ignore[union-attr]
        ):
            return True
        parent = parent.parentWidget()
    return False


def clipped_text(widget: QWidget) -> str | None:
    """The control's own text does not fit its rectangle."""
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return None
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + SLACK:
                return f"needs {needed}px of height, has {widget.height()}"
            return None
    if isinstance(widget, (QLabel, QAbstractButton)):
        if isinstance(widget, QAbstractButton) and not widget.text():
            return None
        hint = widget.minimumSizeHint()
        if widget.width() + SLACK < hint.width():
            return f"text needs {hint.width()}px, has {widget.width()}"
        if widget.height() + SLACK < hint.height():
            return f"text needs {hint.height()}px of height, has {widget.height()}"
    inner = isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox))
    if isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox)) and not inner:
        hint = widget.minimumSizeHint()
        if widget.height() + SLACK < hint.height():
            return f"squashed to {widget.height()}px (needs {hint.height()})"
    if isinstance(widget, QListWidget) and not widget.wordWrap():
        room = widget.viewport().width()
        metrics = widget.fontMetrics()
        for row in range(widget.count()):
            text = widget.item(row).text()
            needed = metrics.horizontalAdvance(text) + 8
            if needed > room:
                return f"entry {text!r} needs {needed}px, the list shows {room}"
    if isinstance(widget, QHeaderView):
        model = widget.model()
        if model is None:
            return None
        metrics = widget.fontMetrics()
        count = model.columnCount() if widget.orientation().name == "Horizontal" else 0
        for section in range(count):
            if widget.isSectionHidden(section):
                continue
            text = str(model.headerData(section, widget.orientation()) or "")
            widest = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)
            if widest + 8 > widget.sectionSize(section):
                return f"column {text!r} needs {widest + 8}px, has {widget.sectionSize(section)}"
    return None


def cut_off(widget: QWidget, window: QWidget, screen: QRect) -> str | None:
    """Part of the control lies outside a parent (with no scrolling) or off the screen."""
    rect = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
    if not screen.contains(rect) and not in_scroll_area(widget, window):
        return f"at {rect.getRect()}, outside the screen {screen.getRect()}"
    if in_scroll_area(widget, window):
        return None
    parent = widget.parentWidget()
    while parent is not None:
        area = QRect(parent.mapToGlobal(parent.rect().topLeft()), parent.size())
        if not area.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            return f"cut off by {describe(parent)}"
        if parent is window:
            break
        parent = parent.parentWidget()
    return None


def overlapping(parent: QWidget) -> Iterator[str]:
    children = [
        child
        for child in parent.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if child.isVisible()
        and not child.isWindow()
        and not isinstance(child, (QScrollBar, QSplitterHandle))
        and not child.objectName().startswith("qt_")
    ]
    if isinstance(parent, QAbstractScrollArea):
        return
    for index, first in enumerate(children):
        for second in children[index + 1 :]:
            common = first.geometry().intersected(second.geometry())
            if common.width() > SLACK and common.height() > SLACK:
                yield f"{describe(first)} overlaps {describe(second)}"


def problems(window: QWidget, view: str) -> list[str]:
    screen = window.screen().availableGeometry()
    found: list[str] = []
    frame = window.frameGeometry()
    if not screen.contains(frame):
        found.append(f"{view}: the window {frame.getRect()} is not within {screen.getRect()}")
    # The pages scroll up and down on a small screen; sideways, buttons at the right
    # edge would be out of sight with nothing to say they are there.
    pages = window.findChild(QAbstractScrollArea, "page_area")
    if pages is not None and pages.horizontalScrollBar().isVisible():
        needed = pages.widget().minimumSizeHint().width()  # type: ignore[attr-defined]
        found.append(f"{view}: the page needs {needed}px, the window shows {pages.width()}")
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or (widget.isWindow() and widget is not window):
            continue
        if widget.window() is not window:
            continue
        if isinstance(widget, (*CONTROLS, QHeaderView)):
            reason = clipped_text(widget)
            if reason:
                found.append(f"{view}: {describe(widget)} clipped: {reason}")
            reason = cut_off(widget, window, screen)
            if reason:
                found.append(f"{view}: {describe(widget)} {reason}")
        found.extend(f"{view}: {line}" for line in overlapping(widget))
    return found


def wait_for_window_manager(app: QApplication, window: QWidget) -> None:
    """Until the window manager has framed and placed the window (its frame stays put)."""
    import time

    last = None
    steady_since = time.monotonic()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        app.processEvents()
        now = (window.frameGeometry().getRect(), window.isMaximized())
        if now != last:
            last, steady_since = now, time.monotonic()
        elif time.monotonic() - steady_since > 0.3:
            return
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--text-scale", type=float, default=1.0)
    parser.add_argument("--shots", type=Path)
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    from mms_desktop.services.workspace import Workspace
    from mms_desktop.ui.main_window import MainWindow

    found: list[str] = []
    views = 0
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "dane"
        with Workspace.open(data_dir) as workspace:
            ids = workspace.create_demo()
            workspace.set_setting("text_scale", str(args.text_scale))
        window = MainWindow(data_dir, ask_on_first_run=False)
        window.show()
        wait_for_window_manager(app, window)

        def settle() -> None:
            for _ in range(3):
                app.processEvents()
                QThreadPool.globalInstance().waitForDone()
                window.writer.flush()
            # A label's new text lays the bar out again one event later.
            for _ in range(3):
                QApplication.sendPostedEvents()
                app.processEvents()

        def look(view: str, widget: QWidget | None = None, shot: str | None = None) -> None:
            nonlocal views
            settle()
            views += 1
            found.extend(problems(widget or window, view))
            if shot and args.shots:
                args.shots.mkdir(parents=True, exist_ok=True)
                # The whole screen: the window's place and frame are part of the picture.
                picture = window.screen().grabWindow(0)
                picture.save(str(args.shots / f"{shot}-{args.tag}.png"))

        look("home", shot="home")
        for page, name in ((window.ORGANIZATION, "profile"), (window.SENDING, "sending")):
            window.navigation.setCurrentRow(page)
            look(name)
        window.show_home()
        window.applications.open(ids.application_id)
        editor = window.applications.editor
        assert editor is not None
        from mms_desktop.ui.application_editor import SECTIONS

        for section in SECTIONS:
            editor.show_section(section)
            look(
                f"application/{section}", shot="application-budget" if section == "budget" else None
            )
        window.show_reports()
        look("reports")
        window.reports.open(ids.report_id)
        assert window.reports.editor is not None
        from mms_desktop.ui.report_editor import SECTIONS as REPORT_SECTIONS

        for section in REPORT_SECTIONS:
            window.reports.editor.show_section(section)
            look(f"report/{section}", shot="report-statement" if section == "statement" else None)
        window.show_home()
        window.applications.open(ids.application_id)
        window.paper.preview_pdf()
        settle()
        preview = window.paper.preview
        preview.show()
        wait_for_window_manager(app, preview)
        look("print preview", preview)
        preview.close()
        from mms_desktop.ui.sending_settings import SendingSettingsDialog

        dialog = SendingSettingsDialog(window.workspace, window.writer, window)
        dialog.show()
        wait_for_window_manager(app, dialog)
        look("sending settings", dialog)
        dialog.close()
        window.close()
    print(json.dumps({"problems": found, "views": views}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
