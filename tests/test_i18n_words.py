"""Counts, amounts and dates in words a reader of each language expects.

Polish has three plural forms ("1 dzień / 2 dni / 5 dni", and 12–14 take the
last), English two; the English window shows English amounts and dates and
reads back what it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from mms_desktop import i18n
from mms_desktop.domain.money import AmountFormatError
from mms_desktop.services.workspace import Workspace
from mms_desktop.ui.fields import DateField, parse_date
from mms_desktop.ui.home_view import days_left_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)


# --- plural forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "category"),
    [
        (1, "one"),
        (2, "few"),
        (3, "few"),
        (4, "few"),
        (5, "many"),
        (0, "many"),
        (11, "many"),
        (12, "many"),
        (13, "many"),
        (14, "many"),
        (21, "many"),
        (22, "few"),
        (24, "few"),
        (101, "many"),
        (112, "many"),
        (122, "few"),
    ],
)
def test_polish_plural_categories(count: int, category: str) -> None:
    assert i18n.plural_category(count, "pl") == category


def test_english_has_one_and_other() -> None:
    assert [i18n.plural_category(n, "en") for n in (0, 1, 2, 12)] == [
        "other",
        "one",
        "other",
        "other",
    ]


def test_days_in_a_finding_take_their_polish_form() -> None:
    def task(days: int) -> str:
        return i18n.tr("finding.TASK_TOO_LONG", days=days, maximum=days - 1)

    assert task(2) == "Zadanie trwa 2 dni, a nabór dopuszcza najwyżej 1 dzień."
    assert task(5) == "Zadanie trwa 5 dni, a nabór dopuszcza najwyżej 4 dni."
    assert task(23) == "Zadanie trwa 23 dni, a nabór dopuszcza najwyżej 22 dni."


def test_days_left_on_the_home_list_agree_with_their_number() -> None:
    today = date(2027, 6, 1)
    assert days_left_text(date(2027, 6, 2), today) == "02.06.2027 (został 1 dzień)"
    assert days_left_text(date(2027, 6, 4), today) == "04.06.2027 (zostały 3 dni)"
    assert days_left_text(date(2027, 6, 13), today) == "13.06.2027 (zostało 12 dni)"
    assert days_left_text(date(2027, 6, 23), today) == "23.06.2027 (zostały 22 dni)"


def test_english_counts_have_one_and_many(english: None) -> None:
    today = date(2027, 6, 1)
    assert days_left_text(date(2027, 6, 2), today) == "02/06/2027 (1 day left)"
    assert days_left_text(date(2027, 6, 4), today) == "04/06/2027 (3 days left)"
    assert i18n.tr("ui.organization.members_hint", minimum=3, count=1) == (
        "An informal group needs at least 3 members. Entered: 1."
    )


def test_a_members_hint_in_polish() -> None:
    assert i18n.tr("ui.organization.members_hint", minimum=3, count=0) == (
        "Grupa nieformalna musi mieć co najmniej 3 członków. Wpisano: 0."
    )
    assert "co najmniej 1 członka." in i18n.tr("ui.organization.members_hint", minimum=1, count=0)


# --- amounts and dates -----------------------------------------------------------------


def test_polish_formats() -> None:
    assert i18n.format_money(Decimal("12345.6")) == "12 345,60 zł"
    assert i18n.format_percent(Decimal("8.4")) == "8,4 %"
    assert i18n.format_share(Decimal("10.00")) == "10 %"
    assert i18n.format_date(date(2027, 7, 5)) == "05.07.2027"
    assert i18n.format_datetime(datetime(2027, 7, 5, 9, 30)) == "05.07.2027 09:30"
    assert i18n.parse_amount("1 234,50") == Decimal("1234.50")


def test_english_formats(english: None) -> None:
    assert i18n.format_money(Decimal("12345.6")) == "PLN 12,345.60"
    assert i18n.format_percent(Decimal("8.4")) == "8.4%"
    assert i18n.format_share(Decimal("12.50")) == "12.5%"
    assert i18n.format_date(date(2027, 7, 5)) == "05/07/2027"
    assert i18n.format_datetime(datetime(2027, 7, 5, 9, 30)) == "05/07/2027 09:30"
    # What the English window shows is read back; a Polish decimal comma still works.
    assert i18n.parse_amount("1,234.50") == Decimal("1234.50")
    assert i18n.parse_amount("PLN 12,345.60") == Decimal("12345.60")
    assert i18n.parse_amount("1,5") == Decimal("1.5")
    with pytest.raises(AmountFormatError):
        i18n.parse_amount("1,23,4")


def test_both_date_forms_are_read_in_either_language() -> None:
    assert parse_date("05.07.2027") == date(2027, 7, 5)
    assert parse_date("05/07/2027") == date(2027, 7, 5)
    assert parse_date("2027-07-05") == date(2027, 7, 5)


def test_the_english_window_shows_english_amounts_and_dates(
    english: None, tmp_path: Path, qtbot: QtBot, clock: str
) -> None:
    from mms_desktop.ui.budget_editor import COLUMN_OF_FIELD, BudgetEditor
    from mms_desktop.ui.session import ApplicationSession
    from mms_desktop.ui.writer import StoreWriter

    folder = tmp_path / "data"
    workspace = Workspace.open(folder)
    writer = StoreWriter(folder)
    try:
        ids = workspace.create_demo()
        session = ApplicationSession(workspace, writer, QUndoStack(), ids.application_id)
        editor = BudgetEditor(session)
        qtbot.addWidget(editor)
        editor.show()
        model = editor.model
        line = session.application.budget[0]
        unit_cost = model.index(0, COLUMN_OF_FIELD["unit_cost"])
        assert unit_cost.data() == i18n.format_number(line.unit_cost)
        summary = "\n".join(editor.summary.texts())
        assert "PLN " in summary and " zł" not in summary

        # An amount typed the English way is taken as the volunteer meant it.
        assert model.setData(unit_cost, "1,250.50")
        assert session.application.budget[0].unit_cost == Decimal("1250.50")
        assert model.index(0, COLUMN_OF_FIELD["unit_cost"]).data() == "1,250.50"

        field = DateField()
        qtbot.addWidget(field)
        field.set_value(date(2027, 7, 5))
        assert field.edit.text() == "05/07/2027"
        assert field.edit.placeholderText() == "dd/mm/yyyy"
        field.show()
        field.edit.setFocus()
        field.edit.selectAll()
        QTest.keyClicks(field.edit, "06/08/2027")
        QTest.keyClick(field.edit, Qt.Key.Key_Return)
        assert field.value() == date(2027, 8, 6)
    finally:
        writer.close()
        workspace.close()
