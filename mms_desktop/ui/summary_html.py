"""Rich-text tables built from the domain's summaries: the one place the editor's HTML is made.

The figures and verdicts come from ``domain.budget``; here they only get
words from the catalog, the language's number formats, and table markup.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from mms_desktop import i18n
from mms_desktop.domain.budget import Share, ShareTable


def _row(name: str, share: Share, bold: bool = False) -> str:
    cells: tuple[str, ...] = (
        escape(name),
        i18n.format_money(share.amount),
        i18n.format_percent(share.percent),
    )
    if bold:
        cells = tuple(f"<b>{cell}</b>" for cell in cells)
    return (
        f"<tr><td>{cells[0]}</td>"
        f"<td align='right'>{cells[1]}</td>"
        f"<td align='right'>{cells[2]}</td></tr>"
    )


def share_table_html(table: ShareTable, minimum_percent: Decimal) -> str:
    """Section V.B: each source with its share, the own contribution, the whole."""
    rows = [
        _row(i18n.tr(f"FundingSource.{source.value}"), share) for source, share in table.sources
    ]
    rows.append(_row(i18n.tr("ui.sources.own_total"), table.own, bold=True))
    rows.append(_row(i18n.tr("ui.sources.total"), table.total, bold=True))
    note = (
        i18n.tr("ui.sources.minimum", minimum=i18n.format_percent(minimum_percent))
        if minimum_percent > 0
        else i18n.tr("ui.sources.no_minimum")
    )
    return f"<table cellspacing='0' cellpadding='4'>{''.join(rows)}</table><p>{escape(note)}</p>"
