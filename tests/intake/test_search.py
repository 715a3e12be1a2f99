"""Triage-queue search: every word in the receipt number, manufacturer or merchandise."""

from django.utils import timezone

from withhold.intake import selectors as intake_selectors


def test_allegation_queue_search(submit, intake_analyst):
    submit(manufacturer_name="Golden Spinning Mill")
    submit(manufacturer_name="Harbour Fisheries", merchandise_description="Frozen tuna loins")
    found = intake_selectors.allegation_queue(
        user=intake_analyst,
        filters=intake_selectors.QueueFilters(state="", q="golden spinning"),
        today=timezone.localdate(),
    )
    assert [a.manufacturer_name for a in found] == ["Golden Spinning Mill"]
    found = intake_selectors.allegation_queue(
        user=intake_analyst,
        filters=intake_selectors.QueueFilters(state="", q="tuna"),
        today=timezone.localdate(),
    )
    assert [a.manufacturer_name for a in found] == ["Harbour Fisheries"]
