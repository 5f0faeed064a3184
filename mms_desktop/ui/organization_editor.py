"""The organisation profile: section II of every form, edited once and reused.

Every field saves itself through the session (autosave, one undo step per
burst of typing); there is no Save button. Identifiers are checked on every
keystroke, and the reason is written in words under the field, so a typo in a
NIP is seen while the number is still in front of the person typing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QColor, QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mms_desktop import i18n
from mms_desktop.domain import identifiers
from mms_desktop.domain.money import AmountFormatError
from mms_desktop.domain.organization import (
    LegalForm,
    Organization,
    Patron,
    Person,
    RegisterType,
    YearRevenue,
)
from mms_desktop.domain.validation import MIN_INFORMAL_GROUP_MEMBERS, check_organization
from mms_desktop.ui import style
from mms_desktop.ui.fields import Binding, ComboBinding, TextBinding
from mms_desktop.ui.row_table import (
    Column,
    DraftRows,
    RowProblem,
    RowTableModel,
    RowTableView,
    row_keys,
    size_columns,
)
from mms_desktop.ui.session import OrganizationSession

# Data written on the form, so Polish in every UI language.
VOIVODESHIPS = (
    "dolnośląskie",
    "kujawsko-pomorskie",
    "lubelskie",
    "lubuskie",
    "łódzkie",
    "małopolskie",
    "mazowieckie",
    "opolskie",
    "podkarpackie",
    "podlaskie",
    "pomorskie",
    "śląskie",
    "świętokrzyskie",
    "warmińsko-mazurskie",
    "wielkopolskie",
    "zachodniopomorskie",
)

# Dark enough to read on white for old screens; the "⚠" carries the meaning for
# those who do not see the colour.
WARNING_COLOUR = QColor(style.WARNING_COLOUR)
# Wider lines are hard to read on a big screen; the 1366 px laptop fills it.
MAX_FORM_WIDTH = 1000
_INDEX = re.compile(r"\[(\d+)\]")
_FIVE_DIGITS = re.compile(r"^\d{5}$")


def _t(key: str, **params: Any) -> str:
    return i18n.tr("ui.organization." + key, **params)


def _plain(label: str) -> str:
    """A label without its mnemonic marker, for accessible names."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


# --- what is wrong with a value, in words ---------------------------------------


Problem = Callable[[str], str | None]


def _identifier_problem(kind: str, check: Callable[[str], str | None]) -> Problem:
    def problem(text: str) -> str | None:
        if not text.strip():
            return None
        reason = check(text)
        if reason is None:
            return None
        if reason == identifiers.WRONG_LENGTH:
            count = sum(ch.isdigit() for ch in text)
            return _t(f"check.{kind}_length", count=count)
        return _t(f"check.{kind}", reason=reason)

    return problem


def _engine_finds(code: str, **values: str) -> bool:
    """Ask the validation engine itself, so the editor never disagrees with it."""
    probe = Organization(id="probe", **values)  # type: ignore[arg-type]
    return any(finding.code == code for finding in check_organization(probe))


def _postcode_problem(text: str) -> str | None:
    if not text.strip() or not _engine_finds("POSTCODE_INVALID", postcode=_postcode(text)):
        return None
    return _t("check.postcode")


def _email_problem(text: str) -> str | None:
    if not text.strip() or not _engine_finds("EMAIL_INVALID", email=text):
        return None
    return _t("check.email")


_nip_problem = _identifier_problem("nip", identifiers.check_nip)
_regon_problem = _identifier_problem("regon", identifiers.check_regon)
_bank_problem = _identifier_problem("bank_account", identifiers.check_bank_account)
_krs_problem = _identifier_problem("krs", identifiers.check_krs)


# --- how typed text is stored and shown -----------------------------------------


def _account(text: str) -> str:
    """``PL61 1090 …`` → ``611090…``: the NRB is stored as bare digits."""
    digits = identifiers.compact_digits(text)
    if digits[:2].upper() == "PL" and digits[2:].isdigit():
        digits = digits[2:]
    return digits


def _postcode(text: str) -> str:
    """``34212`` → ``34-212``; anything else as typed."""
    text = text.strip()
    return f"{text[:2]}-{text[2:]}" if _FIVE_DIGITS.match(text) else text


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _grouped(digits: str) -> str:
    return i18n.format_number(Decimal(digits), 0) if digits else ""


class _FormattedBinding(TextBinding):
    """Saves a normalised value; shows it formatted once editing ends.

    While the person types, the field keeps exactly what they typed (no
    cursor jumps); the tidy form appears when they leave the field.
    """

    def __init__(
        self,
        widget: QLineEdit,
        read: Callable[[], str],
        write: Callable[[str], None],
        normalize: Callable[[str], str],
        display: Callable[[str], str],
    ) -> None:
        self._edit = widget
        self._normalize = normalize
        self._display = display
        super().__init__(widget, lambda: display(read()), lambda text: write(normalize(text)))
        widget.editingFinished.connect(self._tidy)

    def text(self) -> str:
        return self._display(self._normalize(self._edit.text()))

    def _tidy(self) -> None:
        shown = self.text()
        if self._edit.text() != shown and not self.pending:
            self._edit.setText(shown)


class _Check:
    """A line under a field that says, as you type, what is wrong with it."""

    def __init__(
        self,
        edit: QLineEdit,
        label: QLabel,
        problem: Problem,
        active: Callable[[], bool] = lambda: True,
    ) -> None:
        self.edit = edit
        self.label = label
        self._problem = problem
        self._active = active
        edit.textChanged.connect(self.update)
        self.update()

    def update(self) -> None:
        message = self._problem(self.edit.text()) if self._active() else None
        self.label.setText(f"⚠ {message}" if message else "")
        self.label.setHidden(not message)
        self.edit.setAccessibleDescription(message or "")


def _warning_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, WARNING_COLOUR)
    label.setPalette(palette)
    label.setHidden(True)
    return label


# --- small tables (revenues, people) ----------------------------------------------


class _TableEditor(QWidget):
    """A small table saved whole on every cell edit (after a pause in typing, or left).

    The one row table over ``DraftRows``: rows that are empty are not saved; a
    table with a row that cannot be read (a year in words, an amount that is
    not one) is not saved until it is fixed, says which row is wrong, and keeps
    showing what was typed.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        read: Callable[[], tuple[Any, ...]],
        write: Callable[[tuple[Any, ...]], None],
        read_row: Callable[[int, dict[str, str], Any], Any],
        cells_of: Callable[[Any], dict[str, str]],
        name: str,
        labels: tuple[str, str],
        movable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.problem = _warning_label(self)
        move = self.move_row if movable else None
        self.table = RowTableView(row_keys(self.add_row, self.remove_row, move), self)
        self.source = DraftRows(
            [column.field for column in columns],
            read,
            write,
            read_row,
            cells_of,
            self._show_problem,
        )
        self.model = RowTableModel(self.source, columns, parent=self)
        self.source.changed = self._source_changed
        self.table.setModel(self.model)
        self.table.setAccessibleName(name)
        self.table.setObjectName(name)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        size_columns(self.table, self.model)

        self.buttons: list[QPushButton] = []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        actions: list[tuple[str, Callable[[], None]]] = [
            (labels[0], self.add_row),
            (labels[1], self.remove_row),
        ]
        if movable:
            actions += [
                (_t("move_up"), lambda: self.move_row(-1)),
                (_t("move_down"), lambda: self.move_row(1)),
            ]
        for text, slot in actions:
            button = QPushButton(text, self)
            button.setAccessibleName(_t("button_for", action=_plain(text), table=name))
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.problem)
        layout.addLayout(row)
        self._fit()

    def _new_cells(self) -> dict[str, str]:
        return {}

    def _source_changed(self) -> None:
        self.model.sync()
        self._fit()

    def refresh(self) -> None:
        """Show the stored rows again if they changed elsewhere (undo, reload)."""
        self.source.refresh()

    def _fit(self) -> None:
        """Tall enough for every row: no scroll bar inside the scrolling form."""
        rows = self.table.verticalHeader()
        body = max(rows.length(), 2 * rows.defaultSectionSize())
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + body + 2 * self.table.frameWidth())

    def _show_problem(self, message: str | None) -> None:
        self.problem.setText(f"⚠ {message}" if message else "")
        self.problem.setHidden(not message)
        self.table.setAccessibleDescription(message or "")

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def _set_current(self, row: int, column: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, column))

    # the buttons and keys

    def add_row(self) -> None:
        cells = self._new_cells()
        at = self.model.rowCount()
        self.source.insert(at, cells)
        fields = [column.field for column in self.model.columns]
        column = next((c for c, name in enumerate(fields) if not cells.get(name)), 0)
        self._set_current(at, column)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(self.model.index(at, column))

    def remove_row(self) -> None:
        row = self._current_row()
        if row < 0:
            return
        self.source.remove(row)
        if self.model.rowCount():
            self._set_current(min(row, self.model.rowCount() - 1), 0)

    def move_row(self, step: int) -> None:
        row, column = self._current_row(), self.table.currentIndex().column()
        target = row + step
        if row < 0 or not 0 <= target < self.model.rowCount():
            return
        self.source.move(row, target)
        self._set_current(target, max(column, 0))

    def focus_row(self, row: int | None) -> None:
        if row is not None and 0 <= row < self.model.rowCount():
            self._set_current(row, 0)
        elif self.model.rowCount() and self._current_row() < 0:
            self._set_current(0, 0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)


def _people_editor(
    fields: Sequence[str],
    read: Callable[[], tuple[Any, ...]],
    write: Callable[[tuple[Any, ...]], None],
    name: str,
    parent: QWidget | None = None,
) -> _TableEditor:
    def read_row(_number: int, texts: dict[str, str], value: Any) -> Person | None:
        if not any(texts.values()):
            return None
        # Fields not shown here (a representative's phone) are kept as they were.
        return replace(value if isinstance(value, Person) else Person(), **texts)

    def cells_of(value: Any) -> dict[str, str]:
        return {field: str(getattr(value, field)) for field in fields}

    return _TableEditor(
        [Column(field, f"ui.organization.column.{field}") for field in fields],
        read,
        write,
        read_row,
        cells_of,
        name,
        (_t("add_person"), _t("remove_person")),
        True,
        parent,
    )


def _read_revenue(number: int, texts: dict[str, str], _value: Any) -> YearRevenue | None:
    year_text, amount_text = texts["year"], texts["amount"]
    if not year_text and not amount_text:
        return None
    if not year_text:
        raise RowProblem(_t("revenues.missing_year", row=number))
    if not (year_text.isdigit() and 1900 <= int(year_text) <= 2100):
        raise RowProblem(_t("revenues.bad_year", row=number, text=year_text))
    if not amount_text:
        raise RowProblem(_t("revenues.missing_amount", row=number, year=year_text))
    try:
        amount = i18n.parse_amount(amount_text)
    except AmountFormatError:
        raise RowProblem(_t("revenues.bad_amount", row=number, text=amount_text)) from None
    if amount < 0:
        raise RowProblem(_t("revenues.bad_amount", row=number, text=amount_text))
    return YearRevenue(int(year_text), amount)


def _revenue_cells(value: Any) -> dict[str, str]:
    return {"year": str(value.year), "amount": i18n.format_number(value.amount, 2)}


class _RevenuesEditor(_TableEditor):
    def __init__(
        self,
        read: Callable[[], tuple[Any, ...]],
        write: Callable[[tuple[Any, ...]], None],
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            [
                Column("year", "ui.organization.column.year", width=6),
                Column("amount", "ui.organization.column.revenue", right=True),
            ],
            read,
            write,
            _read_revenue,
            _revenue_cells,
            name,
            (_t("add_year"), _t("remove_year")),
            False,
            parent,
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 34) + 60)

    def _new_cells(self) -> dict[str, str]:
        """The year before the earliest given, or last year: closed years only."""
        years = [int(text) for cells in self.source.texts() if (text := cells["year"]).isdigit()]
        year = min(years) - 1 if years else date.today().year - 1
        return {"year": str(year), "amount": ""}


# --- the editor -----------------------------------------------------------------


class OrganizationEditor(QWidget):
    """Section II of the form: who applies. Everything saves as it is typed."""

    def __init__(self, session: OrganizationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._bindings: list[Binding] = []
        self._checks: list[_Check] = []
        self._tables: dict[str, _TableEditor] = {}
        self._fields: dict[str, QWidget] = {}  # finding path → control
        self._chain: list[QWidget] = []  # tab order, top to bottom
        self._form: QFormLayout | None = None
        self._labels: list[QLabel] = []

        content = QWidget()
        self._content = content
        column = QVBoxLayout(content)
        column.setSpacing(12)
        self._column = column

        title = QLabel(_t("title"), content)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(_t("autosave_hint"), content)
        hint.setWordWrap(True)
        column.addWidget(title)
        column.addWidget(hint)

        self._build_basic()
        self._build_register()
        self._build_address()
        self._build_contact_details()
        self._build_bank()
        self._build_revenues()
        self._build_representatives()
        self._build_contact_person()
        self._build_members()
        self._build_patron()
        column.addStretch(1)
        # One label column for all sections, so the fields line up down the page.
        width = max(label.sizeHint().width() for label in self._labels)
        for label in self._labels:
            label.setMinimumWidth(width)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        # Wrapped hints take the lines they need; a too narrow screen scrolls sideways.
        self._scroll.setWidget(style.ScrollHost(content, wrapped=True, widest=MAX_FORM_WIDTH))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)

        for first, second in zip(self._chain, self._chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        session.changed.connect(self._on_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)
        self._update_visibility()

    # --- reading the session -----------------------------------------------------

    @property
    def _org(self) -> Organization:
        return self._session.organization

    def _patron(self) -> Patron:
        return self._org.patron or Patron()

    def _set(self, name: str, value: Any) -> None:
        self._session.set_field(name, value)

    def _set_contact(self, **changes: str) -> None:
        self._set("contact", replace(self._org.contact, **changes))

    def _set_patron(self, **changes: Any) -> None:
        self._set("patron", replace(self._patron(), **changes))

    # --- building blocks ---------------------------------------------------------

    def _section(self, key: str) -> QGroupBox:
        box = QGroupBox(_t("section." + key), self._content)
        box.setMaximumWidth(MAX_FORM_WIDTH)
        box.setObjectName("section." + key)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._form = form
        self._column.addWidget(box)
        return box

    def _row(
        self,
        path: str,
        label_key: str,
        control: QWidget,
        *,
        tip: str | None = None,
        check: QLabel | None = None,
        holder: QWidget | None = None,
    ) -> None:
        """A labelled control with its mnemonic, accessible name and tooltip."""
        assert self._form is not None
        text = _t("field." + label_key)
        label = QLabel(text)
        label.setBuddy(control)
        self._labels.append(label)
        control.setAccessibleName(_plain(text))
        control.setObjectName(path)
        if tip:
            control.setToolTip(tip)
        field: QWidget = holder or control
        if check is not None:
            field = QWidget()
            box = QVBoxLayout(field)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(control)
            box.addWidget(check)
        self._form.addRow(label, field)
        self._fields[path] = control
        self._chain.append(control)

    def _line(
        self,
        path: str,
        label_key: str,
        read: Callable[[], str],
        write: Callable[[str], None],
        *,
        tip: str | None = None,
        placeholder: str | None = None,
        chars: int | None = None,
        problem: Problem | None = None,
        active: Callable[[], bool] = lambda: True,
        normalize: Callable[[str], str] | None = None,
        display: Callable[[str], str] = lambda text: text,
    ) -> QLineEdit:
        edit = QLineEdit()
        if placeholder:
            edit.setPlaceholderText(placeholder)
        if chars:
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0" * chars) + 24)
        binding: TextBinding
        if normalize is not None:
            binding = _FormattedBinding(edit, read, write, normalize, display)
        else:
            binding = TextBinding(edit, read, write)
        self._bindings.append(binding)
        check = None
        if problem is not None:
            check = _warning_label()
            self._checks.append(_Check(edit, check, problem, active))
        self._row(path, label_key, edit, tip=tip, check=check)
        return edit

    def _org_line(self, name: str, label_key: str | None = None, **options: Any) -> QLineEdit:
        return self._line(
            "organization." + name,
            label_key or name,
            lambda: str(getattr(self._org, name)),
            lambda value: self._set(name, value),
            **options,
        )

    def _combo(
        self,
        path: str,
        label_key: str,
        items: Sequence[tuple[str, str]],
        read: Callable[[], str],
        write: Callable[[str], None],
        tip: str | None = None,
    ) -> QComboBox:
        combo = QComboBox()
        for value, text in items:
            combo.addItem(text, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # As wide as its longest choice; the form must not stretch it to the edge.
        combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._bindings.append(ComboBinding(combo, read, write))
        self._row(path, label_key, combo, tip=tip)
        return combo

    def _hint(self, text: str) -> QLabel:
        assert self._form is not None
        label = QLabel(text)
        label.setWordWrap(True)
        self._form.addRow(label)
        return label

    # --- the sections, in the order of the form's section II -----------------------

    def _build_basic(self) -> None:
        self._section("basic")
        self._org_line("name", tip=_t("tip.name"))
        self._org_line("short_name", tip=_t("tip.short_name"), chars=30)
        self._combo(
            "organization.legal_form",
            "legal_form",
            [(form.value, i18n.tr(f"LegalForm.{form.value}")) for form in LegalForm],
            lambda: self._org.legal_form.value,
            lambda value: self._set("legal_form", LegalForm(value)),
        )

    def _build_register(self) -> None:
        self._section("register")
        self._informal_hint = self._hint(_t("informal_hint"))
        self._register_type = self._combo(
            "organization.register_type",
            "register_type",
            [(kind.value, i18n.tr(f"RegisterType.{kind.value}")) for kind in RegisterType],
            lambda: self._org.register_type.value,
            lambda value: self._set("register_type", RegisterType(value)),
            tip=_t("tip.register_type"),
        )
        self._register_number = self._org_line(
            "register_number",
            tip=_t("tip.register_number"),
            chars=14,
            problem=_krs_problem,
            active=lambda: self._org.register_type is RegisterType.KRS,
        )
        self._org_line(
            "nip", tip=_t("tip.nip"), chars=14, problem=_nip_problem, placeholder="0000000000"
        )
        self._org_line("regon", tip=_t("tip.regon"), chars=16, problem=_regon_problem)

    def _build_address(self) -> None:
        self._section("address")
        self._org_line("street", placeholder=_t("placeholder.street"))
        self._org_line(
            "postcode",
            chars=7,
            placeholder="00-000",
            problem=_postcode_problem,
            tip=_t("tip.postcode"),
            normalize=_postcode,
        )
        self._org_line("locality")
        self._org_line("gmina", chars=30)
        self._org_line("powiat", chars=30, tip=_t("tip.powiat"))

        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(VOIVODESHIPS)
        combo.setCurrentIndex(-1)
        combo.setMaximumWidth(combo.fontMetrics().horizontalAdvance("m" * 20) + 40)
        edit = combo.lineEdit()
        assert edit is not None  # an editable combo always has one
        binding = TextBinding(
            edit,
            lambda: self._org.voivodeship,
            lambda value: self._set("voivodeship", value.strip()),
        )
        # A pick from the list is not typing: saved at once.
        combo.currentIndexChanged.connect(lambda _index: binding.commit_shown())
        self._bindings.append(binding)
        self._row("organization.voivodeship", "voivodeship", combo)
        edit.setAccessibleName(combo.accessibleName())

        population = self._line(
            "organization.locality_population",
            "locality_population",
            lambda: (
                "" if self._org.locality_population is None else str(self._org.locality_population)
            ),
            lambda digits: self._set("locality_population", int(digits) if digits else None),
            chars=10,
            tip=_t("tip.locality_population"),
            normalize=_digits,
            display=_grouped,
        )
        population.setValidator(
            QRegularExpressionValidator(QRegularExpression("[0-9 ,\u00a0]{0,12}"), population)
        )
        population.setAlignment(Qt.AlignmentFlag.AlignRight)

    def _build_contact_details(self) -> None:
        self._section("contact_details")
        self._org_line(
            "correspondence_address",
            tip=_t("tip.correspondence_address"),
            placeholder=_t("placeholder.correspondence_address"),
        )
        self._org_line("website", placeholder="https://")
        self._org_line("email", placeholder=_t("placeholder.email"), problem=_email_problem)
        self._org_line("phone", chars=18)

    def _build_bank(self) -> None:
        self._section("bank")
        self._org_line(
            "bank_account",
            chars=34,
            tip=_t("tip.bank_account"),
            placeholder=_t("placeholder.bank_account"),
            problem=_bank_problem,
            normalize=_account,
            display=identifiers.format_bank_account,
        )

    def _table(
        self, path: str, label_key: str, editor: _TableEditor, tip: str | None = None
    ) -> None:
        self._row(path, label_key, editor.table, tip=tip, holder=editor)
        self._chain.extend(editor.buttons)
        self._tables[path] = editor

    def _build_revenues(self) -> None:
        box = self._section("revenues")
        editor = _RevenuesEditor(
            lambda: self._org.revenues,
            lambda values: self._set("revenues", values),
            _plain(_t("field.revenues")),
            box,
        )
        self._hint(_t("revenues_hint"))
        self._table("organization.revenues", "revenues", editor)

    def _build_representatives(self) -> None:
        box = self._section("representatives")
        editor = _people_editor(
            ["name", "role"],
            lambda: self._org.representatives,
            lambda values: self._set("representatives", values),
            _plain(_t("field.representatives")),
            box,
        )
        self._table(
            "organization.representatives", "representatives", editor, tip=_t("tip.representatives")
        )

    def _build_contact_person(self) -> None:
        self._section("contact")
        self._hint(_t("contact_hint"))
        contact = "organization.contact."
        self._line(
            contact + "name",
            "contact.name",
            lambda: self._org.contact.name,
            lambda value: self._set_contact(name=value),
        )
        self._line(
            contact + "role",
            "contact.role",
            lambda: self._org.contact.role,
            lambda value: self._set_contact(role=value),
            chars=30,
        )
        self._line(
            contact + "phone",
            "contact.phone",
            lambda: self._org.contact.phone,
            lambda value: self._set_contact(phone=value),
            chars=18,
        )
        self._line(
            contact + "email",
            "contact.email",
            lambda: self._org.contact.email,
            lambda value: self._set_contact(email=value),
            problem=_email_problem,
            placeholder=_t("placeholder.email"),
        )

    def _build_members(self) -> None:
        box = self._members_box = self._section("members")
        self._members_hint = self._hint("")
        editor = _people_editor(
            ["name", "role", "phone", "email"],
            lambda: self._org.members,
            lambda values: self._set("members", values),
            _plain(_t("field.members")),
            box,
        )
        self._table("organization.members", "members", editor)

    def _build_patron(self) -> None:
        self._patron_box = self._section("patron")
        self._hint(_t("patron_hint"))
        patron = "organization.patron."
        self._line(
            patron + "name",
            "patron.name",
            lambda: self._patron().name,
            lambda value: self._set_patron(name=value),
        )
        self._combo(
            patron + "register_type",
            "patron.register_type",
            [(kind.value, i18n.tr(f"RegisterType.{kind.value}")) for kind in RegisterType],
            lambda: self._patron().register_type.value,
            lambda value: self._set_patron(register_type=RegisterType(value)),
        )
        self._line(
            patron + "register_number",
            "patron.register_number",
            lambda: self._patron().register_number,
            lambda value: self._set_patron(register_number=value),
            chars=14,
            problem=_krs_problem,
            active=lambda: self._patron().register_type is RegisterType.KRS,
        )
        self._line(
            patron + "nip",
            "patron.nip",
            lambda: self._patron().nip,
            lambda value: self._set_patron(nip=value),
            chars=14,
            problem=_nip_problem,
            tip=_t("tip.nip"),
        )
        self._line(
            patron + "address",
            "patron.address",
            lambda: self._patron().address,
            lambda value: self._set_patron(address=value),
        )
        self._line(
            patron + "representative",
            "patron.representative",
            lambda: self._patron().representative,
            lambda value: self._set_patron(representative=value),
        )

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Bring a field reached by its Alt+letter into view, as Tab does."""
        if new is not None and self._content.isAncestorOf(new):
            self._scroll.ensureWidgetVisible(new, 50, 50)

    # --- keeping in step ---------------------------------------------------------

    def _on_changed(self, _name: str) -> None:
        for binding in self._bindings:
            binding.refresh()
        for table in self._tables.values():
            table.refresh()
        for check in self._checks:
            check.update()  # the KRS check depends on the register type
        self._update_visibility()

    def _update_visibility(self) -> None:
        org = self._org
        informal = org.is_informal_group
        self._members_box.setVisible(informal)
        self._patron_box.setVisible(informal)
        self._informal_hint.setVisible(informal)
        self._register_number.setEnabled(org.register_type is not RegisterType.NONE)
        self._register_number.setPlaceholderText(
            "0000123456" if org.register_type is RegisterType.KRS else ""
        )
        members = sum(1 for person in org.members if person.name.strip())
        self._members_hint.setText(
            _t("members_hint", minimum=MIN_INFORMAL_GROUP_MEMBERS, count=members)
        )
        palette = self._members_hint.palette()
        colour = (
            WARNING_COLOUR
            if members < MIN_INFORMAL_GROUP_MEMBERS
            else (self.palette().color(QPalette.ColorRole.WindowText))
        )
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._members_hint.setPalette(palette)

    # --- for the findings list and for tests ---------------------------------------

    def control(self, path: str) -> QWidget | None:
        """The control that edits a finding's field, e.g. ``organization.nip``."""
        return self._fields.get(_INDEX.sub("", path))

    def focus_field(self, path: str) -> bool:
        """Scroll to the field a finding names and put the cursor in it."""
        base = _INDEX.sub("", path)
        table_path = next(
            (name for name in self._tables if base == name or base.startswith(name + ".")), None
        )
        control = self.control(table_path or base)
        if control is None or not control.isVisibleTo(self) or not control.isEnabled():
            return False
        if table_path is not None:
            numbers = _INDEX.findall(path)
            self._tables[table_path].focus_row(int(numbers[0]) - 1 if numbers else None)
        else:
            control.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(control, 50, 80)
        return True
