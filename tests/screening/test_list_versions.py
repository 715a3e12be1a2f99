"""Entity list versions: a reload keeps the old version and its entries, only the current version
is screened, the difference between two versions is exact (page, CSV, pages, empty states), and
the pages follow the entity-list permission."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.screening.entity_lists import ListProblems, diff_entries, parse_entity_list
from withhold.screening.entry_lines import EntryLine
from withhold.screening.models import EntityList, ListEntry, ListVersion
from withhold.screening.services import entity_list_load
from withhold.screening.watchlist import screener_current

from .test_permission_matrix import ROLES, SEE

pytestmark = pytest.mark.django_db

V1 = (
    b"number,name,aliases,country,address\n"
    b"1,Acme Widgets LLC,Acme Widget Co,US,12 Main St\n"
    b"2,Hetian Example Textile Co Ltd,,CN,Hotan\n"
    b"3,Aksu Example Spinning Co Ltd,,CN,Aksu\n"
)
# Version 2: #2 removed, #3 gains an alias and a new address, #4 added.
V2 = (
    b"number,name,aliases,country,address\n"
    b"1,Acme Widgets LLC,Acme Widget Co,US,12 Main St\n"
    b"3,Aksu Example Spinning Co Ltd,Aksu Spinning,CN,Aral\n"
    b"4,Shihezi Example Polysilicon Co Ltd,,CN,Shihezi\n"
)


def load(data, file_name="list.csv", **kwargs):
    return entity_list_load(actor=None, source="custom", file_name=file_name, data=data, **kwargs)


def screen(name, country="CN"):
    line = EntryLine(row=2, line_id="1", manufacturer_name=name, country_of_origin=country)
    return [h.hit_ref for h in screener_current().screen_line(line) if h.hit_kind == "list"]


def test_a_reload_keeps_the_old_version_and_its_entries(targeting_analyst):
    first = load(V1, "v1.csv", effective_on=dt.date(2025, 1, 15))
    v1_entries = set(first.current_entries.values_list("pk", flat=True))
    loaded = entity_list_load(actor=targeting_analyst, source="custom", file_name="v2.csv", data=V2)
    versions = list(ListVersion.objects.filter(entity_list=loaded).order_by("number"))
    assert [(v.number, v.file_name, v.entry_count) for v in versions] == [
        (1, "v1.csv", 3),
        (2, "v2.csv", 3),
    ]
    assert versions[0].effective_on == dt.date(2025, 1, 15)
    assert versions[1].effective_on == timezone.localdate()  # the day of the load by default
    assert versions[1].loaded_by == targeting_analyst and versions[0].loaded_by is None
    assert (versions[1].added_count, versions[1].removed_count, versions[1].changed_count) == (
        1,
        1,
        1,
    )
    # The first version's entries are all still there, untouched.
    assert set(versions[0].entries.values_list("pk", flat=True)) == v1_entries
    assert sorted(versions[0].entries.values_list("number", flat=True)) == [1, 2, 3]
    assert loaded.version == 2 and loaded.current_version == versions[1]
    assert sorted(loaded.current_entries.values_list("number", flat=True)) == [1, 3, 4]


def test_a_file_that_changes_nothing_screened_makes_no_new_version():
    load(V1, "v1.csv")
    with_notes = V1.replace(b"address\n", b"address,source\n", 1)
    loaded = load(with_notes, "v1-again.csv")
    assert loaded.version == 1
    assert ListVersion.objects.count() == 1 and ListEntry.objects.count() == 3
    audits = AuditEntry.objects.filter(action=AuditAction.ENTITY_LIST_LOADED).order_by("pk")
    assert [(a.data["version"], a.data["new_version"]) for a in audits] == [(1, True), (1, False)]


def test_effective_dates_come_from_the_rows_else_from_the_version():
    data = b"name,effective_date\nAcme Widgets LLC,2022-06-21\nBeta Ltd,\n"
    loaded = load(data, effective_on=dt.date(2024, 8, 1))
    assert dict(loaded.current_entries.values_list("name", "effective_on")) == {
        "Acme Widgets LLC": dt.date(2022, 6, 21),
        "Beta Ltd": dt.date(2024, 8, 1),
    }
    with pytest.raises(ListProblems) as caught:
        parse_entity_list(b"name,Effective Date\nAcme,21 June 2022\n")
    assert caught.value.problems == [
        "row 2, column effective_date: “21 June 2022” is not a date written YYYY-MM-DD."
    ]


def test_an_effective_date_after_today_is_refused():
    from withhold.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="after today"):
        load(V1, effective_on=timezone.localdate() + dt.timedelta(days=1))
    assert not EntityList.objects.exists()


def test_the_watch_list_screens_the_current_version_only():
    load(V1)
    assert screen("Hetian Example Textile Co Ltd") == ["custom #2"]
    load(V2)
    # #2 was removed in version 2: its entry is kept, but no longer screened.
    assert screen("Hetian Example Textile Co Ltd") == []
    assert screen("Shihezi Example Polysilicon Co Ltd") == ["custom #4"]
    assert screen("Aksu Spinning") == ["custom #3"]
    parties = [p.ref for p in screener_current().watch_list.parties]
    assert parties == ["custom #1", "custom #3", "custom #4"]


def test_the_diff_lists_additions_removals_and_changes_exactly():
    load(V1)
    load(V2)
    old, new = ListVersion.objects.order_by("number")
    changes = diff_entries(list(old.entries.all()), list(new.entries.all()))
    assert [(c.kind, c.number, c.fields) for c in changes] == [
        ("removed", 2, ()),
        ("changed", 3, ("aliases", "address")),
        ("added", 4, ()),
    ]
    assert changes[0].old.name == "Hetian Example Textile Co Ltd"
    assert changes[2].new.name == "Shihezi Example Polysilicon Co Ltd"


def test_the_diff_pairs_a_renamed_entry_by_its_number_and_a_moved_one_by_its_name():
    class E:
        def __init__(self, number, name, aliases=(), country="", address=""):
            self.number, self.name, self.aliases = number, name, list(aliases)
            self.country, self.address = country, address

    old = [E(1, "Alpha Ltd"), E(2, "Beta Ltd"), E(3, "Gamma Ltd")]
    new = [E(1, "Alpha Limited"), E(2, "Gamma  LTD"), E(3, "Delta Ltd")]
    changes = diff_entries(old, new)
    assert [(c.kind, c.old and c.old.name, c.new and c.new.name, c.fields) for c in changes] == [
        ("changed", "Alpha Ltd", "Alpha Limited", ("name",)),
        ("changed", "Gamma Ltd", "Gamma  LTD", ("name", "number")),
        ("removed", "Beta Ltd", None, ()),
        ("added", None, "Delta Ltd", ()),
    ]
    assert diff_entries(old, old) == []


def test_a_new_version_reopens_the_judgements_of_its_hits():
    from withhold.screening.models import ScreeningHit
    from withhold.screening.services import BasisVersions

    load(V1)
    hit = ScreeningHit(hit_kind="list", hit_ref="custom #1")
    assert BasisVersions().of(hit) == "list v1"
    load(V1)  # the same file: same version, judgements hold
    assert BasisVersions().of(hit) == "list v1"
    load(V2)
    assert BasisVersions().of(hit) == "list v2"


def test_the_versions_page_counts_and_downloads(client, port_officer):
    load(V1, "v1.csv")
    load(V2, "v2.csv")
    client.force_login(port_officer)
    url = reverse("screening:list_versions", args=["custom"])
    page = client.get(url).content.decode()
    assert "2 versions" in page
    assert page.index("v2.csv") < page.index("v1.csv")
    assert "first version kept" in page
    rows = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).getvalue().decode())))
    assert rows[0][:2] == ["version", "effective_on"]
    assert [(r[0], r[6], r[7], r[8], r[9], r[10]) for r in rows[1:]] == [
        ("2", "3", "1", "1", "1", "yes"),
        ("1", "3", "3", "0", "0", "no"),
    ]
    old_page = client.get(reverse("screening:list_version", args=["custom", 1])).content.decode()
    assert "Hetian Example Textile Co Ltd" in old_page
    assert "This is version 1, not the list screened today (version 2)." in old_page
    assert client.get(reverse("screening:list_version", args=["custom", 9])).status_code == 404


def test_the_diff_page_shows_filters_pages_and_downloads(client, supervisor):
    load(V1)
    load(V2)
    client.force_login(supervisor)
    url = reverse("screening:list_diff", args=["custom"])
    page = client.get(url).content.decode()
    assert "From version 1" in page and "1 added, 1 removed, 1 changed" in page
    assert page.index("Hetian Example Textile") < page.index("Shihezi Example Polysilicon")
    assert 'href="/screening/lists/custom/versions/1/entries/2/"' in page
    only_added = client.get(url, {"kind": "added"}).content.decode()
    assert "Shihezi Example Polysilicon" in only_added and "Hetian Example" not in only_added
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).getvalue().decode())))
    assert [(r["change"], r["number_before"], r["number_after"]) for r in rows] == [
        ("removed", "2", ""),
        ("changed", "3", "3"),
        ("added", "", "4"),
    ]
    assert rows[1]["fields_changed"] == "aliases; address"
    assert (rows[1]["address_before"], rows[1]["address_after"]) == ("Aksu", "Aral")
    same = client.get(url, {"old": 2, "new": 2}).content.decode()
    assert "No differences between these versions." in same


def test_a_long_diff_is_paged(client, port_officer):
    load(b"name\n" + b"".join(b"Company %d Ltd\n" % n for n in range(1, 31)))
    load(b"name\nOnly Survivor Ltd\n")
    client.force_login(port_officer)
    url = reverse("screening:list_diff", args=["custom"])
    first = client.get(url).content.decode()
    # #1 renamed (same number, a name not in the other version), #2–#30 removed.
    assert "0 added, 29 removed, 1 changed" in first
    assert "Showing 1–25 of 30" in first
    assert "Showing 26–30 of 30" in client.get(url, {"page": 2}).content.decode()


def test_a_list_of_one_version_has_nothing_to_compare(client, port_officer):
    load(V1)
    client.force_login(port_officer)
    page = client.get(reverse("screening:list_diff", args=["custom"])).content.decode()
    assert "only one version kept: there is nothing to compare yet" in page


def test_an_entry_page_says_whether_the_current_list_still_holds_it(client, port_officer):
    load(V1)
    load(V2)
    client.force_login(port_officer)

    def entry(version, number):
        return client.get(
            reverse("screening:list_version_entry", args=["custom", version, number])
        ).content.decode()

    assert "Removed: the current list (version 2) no longer holds this entry." in entry(1, 2)
    assert "Still on the current list (version 2)" in entry(1, 3)
    assert "This entry is on the list screened today." in entry(2, 4)
    assert (
        client.get(reverse("screening:list_version_entry", args=["custom", 2, 2])).status_code
        == 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_of_the_version_pages(request, role, client):
    load(V1)
    load(V2)
    client.force_login(request.getfixturevalue(role))
    expected = 200 if role in SEE else 403
    for url in (
        reverse("screening:list_versions", args=["custom"]),
        reverse("screening:list_versions", args=["custom"]) + "?format=csv",
        reverse("screening:list_version", args=["custom", 1]),
        reverse("screening:list_version_entry", args=["custom", 1, 2]),
        reverse("screening:list_diff", args=["custom"]),
        reverse("screening:list_diff", args=["custom"]) + "?format=csv",
    ):
        assert client.get(url).status_code == expected, url


def test_anonymous_users_are_sent_to_sign_in_from_the_diff(client):
    load(V1)
    response = client.get(reverse("screening:list_diff", args=["custom"]))
    assert response.status_code == 302 and "login" in response["Location"]
