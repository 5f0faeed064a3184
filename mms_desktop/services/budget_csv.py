"""A budget as a spreadsheet: CSV export and import, and rows pasted from a spreadsheet.

Polish spreadsheet conventions: ``;`` between columns and a decimal comma, so
Excel set to Polish opens the file right; UTF-8 with a BOM, or Excel guesses the
encoding and breaks every ą and ł. Import is forgiving about form (``;``, ``,``
or TAB between columns, with or without the header row, ``1 234,50 zł`` or
``1234.50``, a file Excel saved in Windows-1250) and strict about content: one
bad cell refuses the whole import, with the row and the column named, and
nothing is half-imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from mms_desktop.domain.application import Application, BudgetLine
from mms_desktop.domain.call import CallDefinition
from mms_desktop.domain.ids import new_id
from mms_desktop.domain.money import (
    GROSZ,
    ZERO,
    AmountFormatError,
    format_number,
    parse_amount,
    round_grosze,
)
from mms_desktop.domain.quantities import Amount
from mms_desktop.services.errors import UserError
from mms_desktop.services.files import decode_text_file, read_limited

# The file format's column names: Polish whatever the UI language, since they
# are what the file says (and what a message naming a column quotes).
NUMBER = "Lp."
ACTION = "Działanie"
CATEGORY = "Kategoria"
NAME = "Rodzaj kosztu"
UNIT = "Jednostka"
UNIT_COST = "Koszt jednostkowy"
QUANTITY = "Liczba jednostek"
TOTAL = "Razem"
GRANT = "Dotacja"
OWN_FINANCIAL = "Wkład finansowy"
OWN_PERSONAL = "Wkład osobowy"
OWN_IN_KIND = "Wkład rzeczowy"
PARTICIPANTS = "Świadczenia odbiorców"

COLUMNS = (
    NUMBER,
    ACTION,
    CATEGORY,
    NAME,
    UNIT,
    UNIT_COST,
    QUANTITY,
    TOTAL,
    GRANT,
    OWN_FINANCIAL,
    OWN_PERSONAL,
    OWN_IN_KIND,
    PARTICIPANTS,
)
# Funding-source columns and the BudgetLine fields they fill.
SOURCE_FIELDS = {
    GRANT: "grant",
    OWN_FINANCIAL: "own_financial",
    OWN_PERSONAL: "own_personal",
    OWN_IN_KIND: "own_in_kind",
    PARTICIPANTS: "participants",
}
MAX_BYTES = 5 * 1024 * 1024  # a budget of a thousand lines is well under 200 kB
_DELIMITERS = ("\t", ";", ",")
_LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*(?:[.)]\s*(.*))?$")
_POSITIONAL: dict[int, str] = dict(enumerate(COLUMNS))  # rows without a header
_EMPTY_MARKS = {"", "-", "–", "—"}  # an accountant's "nothing" in an amount cell


def _key(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).casefold().rstrip(":")


# Header cells recognised on import, also in short forms a person might type.
_HEADER_NAMES: dict[str, str] = {_key(column): column for column in COLUMNS} | {
    "lp": NUMBER,
    "nr": NUMBER,
    "koszt jedn.": UNIT_COST,
    "liczba jedn.": QUANTITY,
    "kategoria kosztu": CATEGORY,
    "nazwa kosztu": NAME,
    "suma": TOTAL,
    "wkład własny finansowy": OWN_FINANCIAL,
    "świadczenia od odbiorców": PARTICIPANTS,
}


# --- export -------------------------------------------------------------------


def _plain_amount(value: Decimal) -> str:
    """``1234,50``: no digit grouping, which Excel could take for text."""
    if value == value.quantize(GROSZ):
        return format_number(value, 2).replace(" ", "")
    return format(value, "f").replace(".", ",")  # keep every digit; never round silently


def _plain_quantity(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def line_cells(
    number: int,
    line: BudgetLine,
    application: Application,
    call: CallDefinition,
    grouped: bool = False,
) -> list[str]:
    """One line as the cells of the file (``grouped``: amounts as ``1 234,50``)."""
    amount = (lambda v: format_number(v, 2)) if grouped else _plain_amount
    action_number = application.action_number(line.action_id)
    category = call.category(line.category_id)
    return [
        str(number),
        "" if action_number is None else str(action_number),
        category.name if category else line.category_id,
        line.name,
        line.unit,
        amount(line.unit_cost),
        _plain_quantity(line.quantity),
        amount(line.total),
        *(amount(getattr(line, field)) for field in SOURCE_FIELDS.values()),
    ]


def export_csv(application: Application, call: CallDefinition) -> bytes:
    """The budget as a CSV file for Excel or LibreOffice set to Polish."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for number, line in enumerate(application.budget, start=1):
        writer.writerow(line_cells(number, line, application, call))
    return out.getvalue().encode("utf-8-sig")


def rows_as_text(numbers: Sequence[int], application: Application, call: CallDefinition) -> str:
    """Lines (1-based numbers) as tab-separated text, as a spreadsheet copies them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for number in numbers:
        line = application.budget[number - 1]
        writer.writerow(line_cells(number, line, application, call, grouped=True))
    return out.getvalue()


# --- import -------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    row: int  # 1-based line of the text, as a spreadsheet numbers it
    column: str
    text: str

    def refuse(self, problem: str) -> UserError:
        return UserError(
            "budget_csv.bad_cell",
            row=self.row,
            column=self.column,
            value=self.text.strip(),
            problem=problem,
        )


def _sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines into the same number of cells."""
    sample = lines[:20]
    widths = {
        delimiter: [len(cells) for cells in csv.reader(sample, delimiter=delimiter)]
        for delimiter in _DELIMITERS
    }
    # In order of preference: a tab is never part of a cell and a semicolon
    # seldom is, while a comma is in every Polish amount.
    for delimiter, counts in widths.items():
        if counts and min(counts) >= 2 and len(set(counts)) == 1:
            return delimiter
    for delimiter, counts in widths.items():
        if counts and counts[0] >= 2:
            return delimiter
    return ";"


def _header(cells: list[str]) -> dict[int, str] | None:
    """Column positions, if this row is a header row (at least two known names)."""
    positions = {
        i: _HEADER_NAMES[_key(cell)] for i, cell in enumerate(cells) if _key(cell) in _HEADER_NAMES
    }
    if len(positions) >= 2 and len(set(positions.values())) == len(positions):
        return positions
    return None


def _amount(cell: _Cell | None) -> Decimal | None:
    if cell is None or cell.text.strip() in _EMPTY_MARKS:
        return None
    try:
        return parse_amount(cell.text)
    except AmountFormatError:
        raise cell.refuse("budget_csv.not_a_number") from None


def _money(cell: _Cell | None) -> Decimal | None:
    value = _amount(cell)
    if value is not None and cell is not None:
        if value < 0:
            raise cell.refuse("budget_csv.negative")
        if value != value.quantize(GROSZ):
            raise cell.refuse("budget_csv.not_in_grosze")
    return value


def _action_id(cell: _Cell | None, application: Application) -> str | None:
    if cell is None or cell.text.strip() in _EMPTY_MARKS:
        return None
    text = cell.text.strip()
    match = _LEADING_NUMBER.match(text)
    if match:
        number = int(match.group(1))
        if 1 <= number <= len(application.actions):
            return application.actions[number - 1].id
        raise cell.refuse("budget_csv.no_such_action")
    for action in application.actions:
        if _key(action.name) == _key(text):
            return action.id
    raise cell.refuse("budget_csv.no_such_action")


def _category_id(cell: _Cell | None, call: CallDefinition) -> str:
    if cell is None or not cell.text.strip():
        return ""  # left for the user to choose; validation asks for it
    text = _key(cell.text)
    for category in call.cost_categories:
        if text in (_key(category.id), _key(category.name)):
            return category.id
    raise cell.refuse("budget_csv.no_such_category")


def _line(cells: dict[str, _Cell], application: Application, call: CallDefinition) -> BudgetLine:
    unit_cost = _money(cells.get(UNIT_COST))
    quantity = _amount(cells.get(QUANTITY))
    total = _money(cells.get(TOTAL))
    if quantity is not None and quantity <= 0:
        raise cells[QUANTITY].refuse("budget_csv.quantity_not_positive")
    if unit_cost is None and total is not None:
        # Only a total (a lump sum): one unit costing the total.
        quantity = quantity or Decimal(1)
        unit_cost = total / quantity
        if unit_cost != round_grosze(unit_cost):
            raise cells[TOTAL].refuse("budget_csv.total_not_divisible")
        unit_cost = round_grosze(unit_cost)
    if unit_cost is not None and quantity is None:
        quantity = Decimal(1)
    if total is not None and unit_cost is not None and quantity is not None:
        computed = round_grosze(unit_cost * quantity)
        if computed != total:
            # Both given and they disagree: which one the volunteer meant only they know.
            raise UserError(
                "budget_csv.total_mismatch",
                row=cells[TOTAL].row,
                total=Amount(total),
                computed=Amount(computed),
                difference=Amount(abs(total - computed)),
            )
    line = BudgetLine(
        id=new_id(),
        category_id=_category_id(cells.get(CATEGORY), call),
        action_id=_action_id(cells.get(ACTION), application),
        name=cells[NAME].text.strip() if NAME in cells else "",
        unit=cells[UNIT].text.strip() if UNIT in cells else "",
        unit_cost=unit_cost if unit_cost is not None else ZERO,
        quantity=quantity if quantity is not None else Decimal(0),
    )
    sources = {field: _money(cells.get(column)) for column, field in SOURCE_FIELDS.items()}
    if all(value is None for value in sources.values()):
        # No split given: the whole line from the grant, as most lines are.
        return replace(line, grant=line.total)
    amounts = {field: value or ZERO for field, value in sources.items()}
    return replace(
        line,
        grant=amounts["grant"],
        own_financial=amounts["own_financial"],
        own_personal=amounts["own_personal"],
        own_in_kind=amounts["own_in_kind"],
        participants=amounts["participants"],
    )


def parse_rows(text: str, application: Application, call: CallDefinition) -> list[BudgetLine]:
    """Budget lines (with new ids) from CSV text or rows pasted from a spreadsheet.

    Raises UserError naming the row and the column of the first bad cell; then
    no line at all is returned.
    """
    text = text.lstrip("\ufeff")
    raw_lines = text.splitlines()
    if not any(line.strip() for line in raw_lines):
        raise UserError("budget_csv.empty")
    delimiter = _sniff_delimiter([line for line in raw_lines if line.strip()])
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    positions = _POSITIONAL
    lines: list[BudgetLine] = []
    header_seen = False
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if not header_seen and not lines:
            header_seen = True
            header = _header(cells)
            if header is not None:
                positions = header
                continue
        extra = cells[len(COLUMNS) :]
        if positions is _POSITIONAL and any(cell.strip() for cell in extra):
            raise UserError(
                "budget_csv.too_many_columns", row=number, count=len(cells), expected=len(COLUMNS)
            )
        named = {
            positions[i]: _Cell(number, positions[i], cell)
            for i, cell in enumerate(cells)
            if i in positions
        }
        lines.append(_line(named, application, call))
    if not lines:
        raise UserError("budget_csv.empty")
    return lines


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Tekst Unicode" (tab-separated UTF-16, with its mark), as Notepad's "Unicode".
        return decode_text_file(raw, path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (rozdzielany przecinkami)" on a Polish Windows writes cp1250.
        return raw.decode("cp1250", errors="replace")


def import_csv(path: Path, application: Application, call: CallDefinition) -> list[BudgetLine]:
    """The lines of a CSV file, all of them or none (UserError)."""
    raw = read_limited(Path(path), MAX_BYTES, "budget_csv.too_large")
    return parse_rows(_decode(raw, Path(path)), application, call)
