"""An order's history dates what happened at 23:30 in New York on that day, not the UTC one."""

import re

import pytest

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def test_history_lists_the_draft_before_its_same_day_opinion(
    ny_late_evening, client, with_opinion, supervisor
):
    client.force_login(supervisor)
    html = client.get(f"/orders/{with_opinion.number}/", **HOST).content.decode()
    history = re.search(r'<ol class="usa-list" id="history">(.*?)</ol>', html, re.S).group(1)
    events = [
        (on, re.split(r":| \(", what)[0])
        for on, what in re.findall(r"<li>(\d{4}-\d{2}-\d{2}) — ([^<]*)</li>", history)
    ]
    day = ny_late_evening.isoformat()
    assert events[:2] == [(day, "Drafted"), (day, "Legal opinion")]
