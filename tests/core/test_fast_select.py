import re

from django import forms

from withhold.core.forms import FastSelect

CHOICES = [
    ("", "—"),
    ("CN", "China"),
    ("x", "<Tom & Jerry>"),
    ("Group", [("1", "one"), ("2", "two")]),
]


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_fast_select_offers_the_same_options_as_djangos_select():
    attrs = {"id": "id_country", "class": "usa-select", "aria-describedby": "hint"}
    slow = forms.Select(choices=CHOICES).render("country", "CN", attrs)
    fast = FastSelect(choices=CHOICES).render("country", "CN", attrs)
    assert options(fast) == options(slow)
    assert ("CN", True, "China") in options(fast)
    assert "&lt;Tom &amp; Jerry&gt;" in fast
    assert '<optgroup label="Group">' in fast
    assert 'aria-describedby="hint"' in fast and 'name="country"' in fast


def test_case_filter_keeps_the_chosen_country_selected(client, case_analyst):
    client.force_login(case_analyst)
    html = client.get("/cases/", {"country": "MY"}, HTTP_HOST="127.0.0.1").content.decode()
    assert '<option value="MY" selected>Malaysia</option>' in html
