"""Entity lists: parsed all or nothing with every bad row named; loading makes the source's next
version (``test_list_versions.py``), is audited, and changes the watch list."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from withhold.audit.models import AuditAction, AuditEntry
from withhold.screening.entity_lists import ListProblems, parse_entity_list
from withhold.screening.models import EntityList, ListEntry
from withhold.screening.services import ListRefused, entity_list_load
from withhold.screening.watchlist import screener_current

GOOD = (
    b"Name,Aliases,Country,Address,Source\n"
    b'Acme Widgets LLC,Acme Widget Co; ACME WIDGETS,US,"12 Main St, Springfield",Report 12\n'
    b"Hetian Example Textile Co Ltd,,CN,Hotan,\n"
)


def test_a_good_list_is_parsed_with_aliases():
    rows = parse_entity_list(GOOD)
    assert [(r.row_number, r.name, r.aliases, r.country) for r in rows] == [
        (2, "Acme Widgets LLC", ("Acme Widget Co", "ACME WIDGETS"), "US"),
        (3, "Hetian Example Textile Co Ltd", (), "CN"),
    ]


def test_entries_are_numbered_as_the_list_numbers_them():
    assert [r.number for r in parse_entity_list(GOOD)] == [1, 2]
    own = b"number,name\n7,Seven Ltd\n12,Twelve Ltd\n"
    assert [(r.number, r.name) for r in parse_entity_list(own)] == [
        (7, "Seven Ltd"),
        (12, "Twelve Ltd"),
    ]


def test_a_bad_or_repeated_list_number_is_named():
    with pytest.raises(ListProblems) as caught:
        parse_entity_list(b"number,name\n3,A Ltd\nx,B Ltd\n3,C Ltd\n")
    assert caught.value.problems == [
        "row 3, column number: “x” is not a whole number from 1.",
        "row 4, column number: 3 is also the number of row 2.",
    ]


def test_every_bad_row_is_named():
    data = b"name,country\n,CN\nOk Ltd,ZZ\nFine Ltd,CN\n"
    with pytest.raises(ListProblems) as caught:
        parse_entity_list(data)
    assert caught.value.problems == [
        "row 2, column name: the name is empty.",
        "row 3, column country: “ZZ” is not an ISO 3166 alpha-2 code.",
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_refused_cleanly(data):
    try:
        rows = parse_entity_list(data)
    except ListProblems as exc:
        assert exc.problems
    else:
        assert all(r.name for r in rows)


@pytest.mark.django_db
def test_loading_makes_a_new_version_of_the_source_and_is_audited():
    entity_list_load(actor=None, source="custom", file_name="a.csv", data=GOOD)
    loaded = entity_list_load(
        actor=None, source="custom", file_name="b.csv", data=b"name\nOnly One Ltd\n"
    )
    assert loaded.entry_count == 1
    assert list(loaded.current_entries.values_list("name", flat=True)) == ["Only One Ltd"]
    # The first version keeps its two entries.
    assert ListEntry.objects.count() == 3
    actions = AuditEntry.objects.filter(action=AuditAction.ENTITY_LIST_LOADED)
    assert [a.data["version"] for a in actions.order_by("pk")] == [1, 2]


@pytest.mark.django_db
def test_a_bad_file_changes_nothing():
    entity_list_load(actor=None, source="custom", file_name="a.csv", data=GOOD)
    with pytest.raises(ListRefused) as caught:
        entity_list_load(
            actor=None, source="custom", file_name="b.csv", data=b"name,country\nX Ltd,QQ\n"
        )
    assert caught.value.problems == ["row 2, column country: “QQ” is not an ISO 3166 alpha-2 code."]
    assert EntityList.objects.get(source="custom").entry_count == 2
    assert ListEntry.objects.count() == 2


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
@pytest.mark.django_db
def test_any_file_loads_whole_or_not_at_all(data):
    before = list(ListEntry.objects.values_list("name", flat=True))
    try:
        loaded = entity_list_load(actor=None, source="fuzz", file_name="f.csv", data=data)
    except ListRefused:
        assert list(ListEntry.objects.values_list("name", flat=True)) == before
    else:
        assert loaded.current_entries.count() == loaded.entry_count == len(parse_entity_list(data))


@pytest.mark.django_db
def test_a_loaded_list_is_screened_at_once():
    assert screener_current().watch_list.parties == []
    entity_list_load(actor=None, source="custom", file_name="a.csv", data=GOOD)
    from withhold.screening.entry_lines import EntryLine

    hits = screener_current().screen_line(
        EntryLine(
            row=2, line_id="1", manufacturer_name="ACME WIDGETS L.L.C.", country_of_origin="US"
        )
    )
    # The list's first entry is #1 (the file's row 2): the number the list itself uses.
    assert [(h.hit_kind, h.hit_ref) for h in hits] == [("list", "custom #1")]


@pytest.mark.django_db
def test_a_user_needs_the_permission_to_load(port_officer, targeting_analyst):
    from withhold.core.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        entity_list_load(actor=port_officer, source="x", file_name="a.csv", data=GOOD)
    loaded = entity_list_load(actor=targeting_analyst, source="x", file_name="a.csv", data=GOOD)
    assert loaded.loaded_by == targeting_analyst


@pytest.mark.django_db
def test_a_lists_entries_page_searches_sorts_and_shows_the_lists_numbers(client, port_officer):
    from django.urls import reverse

    entity_list_load(actor=None, source="custom", file_name="a.csv", data=GOOD)
    client.force_login(port_officer)
    url = reverse("screening:list", args=["custom"])
    everything = client.get(url).content.decode()
    assert "2 entries" in everything
    assert everything.index("custom #1") < everything.index("custom #2")
    by_alias = client.get(url, {"q": "acme widget co"}).content.decode()
    assert "1 entry" in by_alias and "Acme Widgets LLC" in by_alias
    by_number = client.get(url, {"q": "#2"}).content.decode()
    assert "1 entry" in by_number and "Hetian Example Textile" in by_number
    last_first = client.get(url, {"sort": "-number"}).content.decode()
    assert last_first.index("custom #2") < last_first.index("custom #1")
    assert client.get(reverse("screening:list", args=["nosuch"])).status_code == 404
