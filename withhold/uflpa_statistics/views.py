"""The public UFLPA statistics page and its downloads: no sign-in, aggregates only
(``selectors.uflpa_statistics``). ``?format=csv`` or ``?format=json`` downloads every breakdown,
``&breakdown=month|status|country|industry|cumulative`` one of them."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from withhold.core.csv_export import csv_response
from withhold.orders import charts

from . import selectors

# Each section of the page: breakdown, heading, chart title, and whether the chart draws value.
SECTIONS = (
    ("status", _("Shipments by status"), _("Shipments by status"), False),
    ("month", _("Shipments by month of presentation"), _("Shipments by month of presentation"),
     False),
    ("country", _("Shipments by country of origin"),
     _("Value by country of origin, thousands of USD"), True),
    ("industry", _("Shipments by industry"), _("Shipments by industry"), False),
)  # fmt: skip


def _chart(rows, *, by_value: bool = False) -> charts.Chart | None:
    """Bars of shipments; of value in thousands of dollars for countries, which the dashboard
    (and the table) ranks by value."""
    items = [
        (row.label, round(row.value_usd / 1000) if by_value else row.shipments) for row in rows
    ]
    return charts.bar_chart(items, horizontal=True, bar=20, label_width=230) if items else None


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    stats = selectors.uflpa_statistics(today=timezone.localdate())
    output = request.GET.get("format", "")
    breakdown = request.GET.get("breakdown", "")
    if breakdown not in selectors.BREAKDOWNS:
        breakdown = ""
    name = f"withhold-uflpa-statistics{'-' + breakdown if breakdown else ''}"
    if output == "csv":
        return csv_response(selectors.statistics_csv_rows(stats, breakdown), filename=f"{name}.csv")
    if output == "json":
        response = HttpResponse(
            json.dumps(stats.as_json(breakdown), indent=1), content_type="application/json"
        )
        response["Content-Disposition"] = f'inline; filename="{name}.json"'
        return response
    return render(
        request,
        "uflpa_statistics/statistics.html",
        {
            "stats": stats,
            "status_meanings": selectors.StatusGroup.MEANINGS,
            "sections": [
                (
                    key,
                    title,
                    stats.breakdown(key),
                    _chart(stats.breakdown(key), by_value=by_value),
                    chart_title,
                )
                for key, title, chart_title, by_value in SECTIONS
            ],
        },
    )
