"""Nothing but aggregates leaves the UFLPA statistics: a unique marker planted in every text field
of the detentions and of the rows they point to (importer, manufacturer, officer, history steps,
documents) appears neither on the page, nor in any CSV or JSON download, nor in the API."""

import datetime as dt
import itertools

import pytest
from django.core.files.base import ContentFile
from django.db import models

from withhold.detentions.models import DetentionDocument, DetentionEvent

from ..factories import EntityFactory
from .conftest import make_detention

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}

# Published by design, as an aggregate: the country of origin (a two-letter code).
PUBLIC_FIELDS = {"country_of_origin"}
SHORTEST = 8  # text fields narrower than a marker (a country code) cannot hold one


class Markers:
    def __init__(self):
        self.counter = itertools.count(1)
        self.planted: list[str] = []

    def next(self) -> str:
        marker = f"QZX{next(self.counter):04d}"
        self.planted.append(marker)
        return marker

    def plant(self, instance):
        """A marker in every free-text field of ``instance`` (choices and public fields
        aside); saved."""
        for field in instance._meta.concrete_fields:
            if field.name in PUBLIC_FIELDS or field.choices:
                continue
            if isinstance(field, models.EmailField):
                setattr(instance, field.attname, f"{self.next()}@example.com")
            elif isinstance(field, models.CharField | models.TextField):
                if field.max_length and field.max_length < SHORTEST:
                    continue
                if field.name == "entry_number":
                    marker = self.next()
                    setattr(instance, field.attname, f"{marker}-{len(self.planted)}")
                else:
                    setattr(instance, field.attname, self.next())
            elif isinstance(field, models.JSONField) and field.name == "aliases":
                setattr(instance, field.attname, [self.next()])
        instance.save()
        return instance


@pytest.fixture
def marked(officer):
    markers = Markers()
    importer = markers.plant(EntityFactory(name="x", country="US"))
    maker = markers.plant(EntityFactory(name="y", country="CN"))
    markers.plant(officer)
    made = []
    for n, (basis, status, disposed) in enumerate(
        [("uflpa", "detained", None), ("uflpa", "released", dt.date(2026, 2, 1)),
         ("order", "detained", None)],
        start=1,
    ):  # fmt: skip
        detention = make_detention(
            n,
            officer=officer,
            importer=importer,
            manufacturer=maker,
            basis=basis,
            presented=dt.date(2026, 1, 10) if basis == "uflpa" else None,
            status=status,
            disposed_on=disposed,
            recommendation="release",
            recommended_by=officer,
        )
        markers.plant(detention)
        markers.plant(
            DetentionEvent(detention=detention, kind="recorded", on=dt.date(2026, 1, 12),
                           actor=officer, to_status="detained")
        )  # fmt: skip
        document = DetentionDocument(
            detention=detention, kind="other", uploaded_by=officer, size=3, by_importer=True
        )
        document.file.save("proof.pdf", ContentFile(b"%PD"), save=False)
        markers.plant(document)
        made.append(detention)
    return markers


def bodies(client):
    """The page, every download and the API, as text."""
    yield client.get("/uflpa-statistics/", **HOST).content.decode()
    for output in ("csv", "json"):
        for breakdown in ("", "month", "status", "country", "industry", "cumulative"):
            response = client.get(
                "/uflpa-statistics/", {"format": output, "breakdown": breakdown}, **HOST
            )
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            yield content.decode()
    for breakdown in ("", "month", "status", "country", "industry", "cumulative"):
        yield client.get(
            "/api/uflpa-statistics/", {"breakdown": breakdown}, **HOST
        ).content.decode()


def test_no_planted_marker_reaches_the_page_downloads_or_api(client, marked, at_noon):
    assert len(marked.planted) > 40  # every text field of six kinds of rows
    answers = list(bodies(client))
    assert '"shipments": 2' in answers[7]  # the marked UFLPA detentions are counted
    for text in answers:
        leaked = [m for m in marked.planted if m in text]
        assert leaked == []


def test_a_signed_in_reader_sees_no_more(client, marked, at_noon, supervisor):
    client.force_login(supervisor)
    for text in bodies(client):
        assert not [m for m in marked.planted if m in text]
