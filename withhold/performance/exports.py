"""The dashboard as CSV and as an Excel workbook. Every text cell goes through
``core.csv_export.csv_safe``, so nothing can run as a spreadsheet formula."""

import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from withhold.core.csv_export import csv_safe

from .selectors import Dashboard

HEADER = [
    "indicator",
    "label",
    "definition",
    "month",
    "month_value",
    "fiscal_year",
    "fytd_through",
    "fytd_value",
    "baseline",
    "baseline_source",
    "target",
    "target_to_date",
    "variance",
    "variance_percent",
]


def dashboard_rows(dashboard: Dashboard) -> Iterator[list]:
    """One row per indicator; figures the reader's role may not see are left empty."""
    yield HEADER
    for row in dashboard.rows:
        if not row.available:
            source = "not available to your role"
        elif row.baseline_entered:
            source = "entered"
        else:
            source = f"computed from FY{dashboard.fiscal_year - 1}"
        yield [
            row.indicator,
            row.label,
            row.counts,
            dashboard.month.strftime("%Y-%m"),
            row.month_value,
            f"FY{dashboard.fiscal_year}",
            dashboard.fytd_period.end.isoformat(),
            row.fytd_value,
            row.baseline,
            source,
            row.target,
            row.target_to_date,
            row.variance.absolute if row.variance else None,
            row.variance.percent if row.variance else None,
        ]


def dashboard_trend_rows(dashboard: Dashboard) -> Iterator[list]:
    yield ["indicator", "month", "value"]
    for row in dashboard.rows:
        for month, value in row.trend:
            yield [row.indicator, month.strftime("%Y-%m"), value]


def _cell(value):
    """Numbers stay numbers; anything else becomes formula-safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return csv_safe(value)


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """A workbook with the indicators on one sheet and the monthly trend on another."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"KPIs FY{dashboard.fiscal_year}"
    for n, row in enumerate(dashboard_rows(dashboard)):
        sheet.append([_cell(v) for v in row])
        if n == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    trend = book.create_sheet("Trend")
    for n, row in enumerate(dashboard_trend_rows(dashboard)):
        trend.append([_cell(v) for v in row])
        if n == 0:
            for cell in trend[1]:
                cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
