"""Settings kept in the store: the text size (at once) and the language (at the next start)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from mms_desktop import i18n
from mms_desktop.ui.shell import TEXT_SCALES, Shell


class SettingsActions(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.text_scale_actions: dict[float, QAction] = {}

    def add_to(self, menu: QMenu) -> None:
        """Larger / smaller text by key, the text sizes and the languages (each a group
        of checkable entries)."""
        keys: tuple[tuple[str, int, list[QKeySequence]], ...] = (
            # Ctrl++ is Ctrl+Shift+= on most keyboards: Ctrl+= works as well.
            (
                "ui.menu.text_larger",
                1,
                [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")],
            ),
            ("ui.menu.text_smaller", -1, [QKeySequence(QKeySequence.StandardKey.ZoomOut)]),
            ("ui.menu.text_default", 0, [QKeySequence("Ctrl+0")]),
        )
        for key, step, sequences in keys:
            action = QAction(i18n.tr(key), self)
            action.setShortcuts(sequences)
            action.triggered.connect(lambda _checked, s=step: self.step_text_scale(s))
            menu.addAction(action)
        sizes = QActionGroup(self)
        for scale in TEXT_SCALES:
            action = QAction(i18n.tr("ui.menu.text_size", percent=int(scale * 100)), self)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked, s=scale: self.set_text_scale(s))
            sizes.addAction(action)
            menu.addAction(action)
            self.text_scale_actions[scale] = action
        menu.addSeparator()
        languages = QActionGroup(self)
        current_language = i18n.language()
        for language in i18n.LANGUAGES:
            action = QAction(i18n.tr(f"ui.language.{language}"), self)
            action.setCheckable(True)
            action.setChecked(language == current_language)
            action.triggered.connect(lambda _checked, code=language: self.set_language(code))
            languages.addAction(action)
            menu.addAction(action)

    def apply_saved(self) -> None:
        """The text size chosen last time."""
        saved = float(self.shell.workspace.setting("text_scale", "1.0") or 1.0)
        if saved != 1.0:  # the default size needs no pass over every widget
            self.shell.apply_text_scale(saved)
        self.text_scale_actions[self.shell.text_scale].setChecked(True)

    def step_text_scale(self, step: int) -> None:
        """One size larger (1), smaller (-1), or back to the normal size (0)."""
        if step == 0:
            self.set_text_scale(TEXT_SCALES[0])
            return
        position = TEXT_SCALES.index(self.shell.text_scale) + step
        if 0 <= position < len(TEXT_SCALES):
            self.set_text_scale(TEXT_SCALES[position])

    def set_text_scale(self, scale: float) -> None:
        self.shell.apply_text_scale(scale)
        self.text_scale_actions[self.shell.text_scale].setChecked(True)
        self.shell.writer.submit(lambda workspace: workspace.set_setting("text_scale", str(scale)))

    def set_language(self, language: str) -> None:
        self.shell.writer.submit(lambda workspace: workspace.set_setting("language", language))
        self.shell.say(i18n.tr("ui.status.language_restart"), 10000)
