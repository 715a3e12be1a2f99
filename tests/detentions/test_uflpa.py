"""Detentions under the UFLPA presumption: the nexus each needs, the 19 CFR 151.16 clocks (the
deemed exclusion on day 30), and what the record writes to the history and audit log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from withhold.audit.models import AuditAction, AuditEntry
from withhold.detentions import services
from withhold.detentions.models import Detention

from .conftest import proof_files, uflpa_fields

pytestmark = pytest.mark.django_db
PRESENTED = dt.date(2026, 1, 2)  # a Friday


def test_listed_entity_nexus_copies_the_entry_row_and_list_version(record, uflpa_entry):
    detention = record([], **uflpa_fields(uflpa_entry))
    assert detention.basis == Detention.Basis.UFLPA
    assert detention.uflpa_entity_name == "Example Xinjiang Cotton Mill Co. Ltd."
    assert detention.uflpa_list_row == 2
    today = timezone.localdate()
    assert detention.uflpa_list_version.startswith(
        f"version 1, in effect from {today:%Y-%m-%d}: uflpa_example.csv, loaded {today:%Y-%m-%d}"
    )
    assert "SHA-256 " in detention.uflpa_list_version
    # The 30 days for a final admissibility decision replace 12.43's three months.
    assert detention.admissibility_deadline == dt.date(2026, 2, 1)
    entry = AuditEntry.objects.get(
        action=AuditAction.DETENTION_RECORDED, object_id=str(detention.pk)
    )
    assert entry.data["basis"] == "uflpa"
    assert entry.data["uflpa_nexus"] == "listed_entity"
    assert entry.data["uflpa_entity_name"] == "Example Xinjiang Cotton Mill Co. Ltd."
    assert entry.data["presented_on"] == "2026-01-02"


def test_xuar_nexus_records_the_input_and_its_evidence(record):
    detention = record([], **uflpa_fields())
    assert detention.uflpa_nexus == "xuar_origin"
    assert detention.xuar_input == "Cotton yarn"
    assert detention.uflpa_entity_name == ""


def test_a_uflpa_detention_without_a_nexus_is_refused_naming_the_field(record):
    with pytest.raises(ValidationError) as exc:
        record([], **uflpa_fields(uflpa_nexus=""))
    assert "uflpa_nexus" in exc.value.message_dict
    assert "needs its nexus" in exc.value.message_dict["uflpa_nexus"][0]
    assert not Detention.objects.exists()


def test_each_nexus_needs_its_own_facts(record, uflpa_entry):
    with pytest.raises(ValidationError) as exc:
        record([], **uflpa_fields(uflpa_nexus="listed_entity", xuar_input="", xuar_evidence=""))
    assert exc.value.message_dict["uflpa_list_entry"] == [
        "Name the entry of the UFLPA Entity List the goods are tied to."
    ]
    with pytest.raises(ValidationError) as exc:
        record([], **uflpa_fields(uflpa_entry, uflpa_nexus="both"))
    assert set(exc.value.message_dict) == {"xuar_input", "xuar_evidence"}
    both = record(
        [],
        **uflpa_fields(
            uflpa_entry, uflpa_nexus="both", xuar_input="Lint", xuar_evidence="Bill of lading"
        ),
    )
    assert both.uflpa_entity_name and both.xuar_input == "Lint"


def test_the_entry_must_be_on_the_uflpa_list(record):
    from withhold.screening.services import entity_list_load

    other = entity_list_load(
        actor=None, source="other", file_name="o.csv", data=b"name\nSome Co. Ltd.\n"
    )
    with pytest.raises(ValidationError) as exc:
        record([], **uflpa_fields(other.current_entries.get()))
    assert "not on the UFLPA Entity List" in exc.value.message_dict["uflpa_list_entry"][0]


def test_presentation_date_is_required_and_not_before_importation(record, uflpa_entry):
    with pytest.raises(ValidationError) as exc:
        record([], **uflpa_fields(uflpa_entry, presented_on=None))
    assert "presented for examination" in exc.value.message_dict["presented_on"][0]
    with pytest.raises(ValidationError) as exc:
        record([], **uflpa_fields(uflpa_entry, presented_on=dt.date(2026, 1, 1)))
    assert "before importation" in exc.value.message_dict["presented_on"][0]


def test_other_bases_carry_no_uflpa_fields(record, wro, uflpa_entry):
    with pytest.raises(ValidationError) as exc:
        record([wro], uflpa_nexus="listed_entity", uflpa_list_entry=uflpa_entry)
    assert "only for a detention under the UFLPA presumption" in str(
        exc.value.message_dict["uflpa_nexus"]
    )


def test_section_307_detentions_keep_the_three_months(record, wro):
    detention = record([wro])
    assert detention.admissibility_deadline == dt.date(2026, 4, 30)
    assert detention.uflpa_clocks(dt.date(2026, 3, 1)) is None


def test_uflpa_clocks_from_presentation(record, uflpa_entry):
    detention = record([], **uflpa_fields(uflpa_entry))
    clocks = detention.uflpa_clocks(dt.date(2026, 1, 5))
    # 5 business days after Friday 2 January: Fri 9 January; notice 5 more: Fri 16 January.
    assert clocks.decision_due == dt.date(2026, 1, 9)
    assert clocks.notice_due == dt.date(2026, 1, 16)
    assert clocks.notice_late is False
    assert clocks.admissibility_due == dt.date(2026, 2, 1)
    assert clocks.admissibility_days_left == 27
    assert clocks.deemed_excluded_on is None


def test_not_deemed_excluded_on_day_30_itself(record, uflpa_entry):
    detention = record([], **uflpa_fields(uflpa_entry))
    clocks = detention.uflpa_clocks(PRESENTED + dt.timedelta(days=30))
    assert clocks.deemed_excluded_on is None
    assert clocks.admissibility_days_left == 0
    assert clocks.protest_due is None


def test_deemed_excluded_on_day_30_shown_from_day_31_with_the_protest_window(record, uflpa_entry):
    detention = record([], **uflpa_fields(uflpa_entry))
    clocks = detention.uflpa_clocks(PRESENTED + dt.timedelta(days=31))
    assert clocks.deemed_excluded_on == dt.date(2026, 2, 1)
    assert clocks.admissibility_days_left is None
    assert clocks.protest_due == dt.date(2026, 7, 31)  # 180 days after 1 February
    assert clocks.protest_days_left == 180 - 1


def test_a_decision_on_day_30_prevents_the_deemed_exclusion(record, port_officer, uflpa_entry):
    detention = record([], **uflpa_fields(uflpa_entry))
    services.detention_release(
        detention=detention, actor=port_officer, on=dt.date(2026, 2, 1), reason="Traced."
    )
    detention.refresh_from_db()
    assert detention.uflpa_clocks(dt.date(2026, 3, 1)).deemed_excluded_on is None


def test_an_exclusion_opens_the_protest_window_from_its_date(
    record, port_officer, acme_user, uflpa_entry
):
    detention = record([], **uflpa_fields(uflpa_entry))
    services.detention_proof_submit(
        detention=detention,
        actor=acme_user,
        documents=proof_files(),
        statement="",
        today=dt.date(2026, 1, 12),
    )
    services.detention_review_start(
        detention=detention, actor=port_officer, today=dt.date(2026, 1, 13)
    )
    services.detention_exclude(
        detention=detention, actor=port_officer, on=dt.date(2026, 1, 20), reason="Listed mill."
    )
    detention.refresh_from_db()
    clocks = detention.uflpa_clocks(dt.date(2026, 3, 1))
    assert clocks.deemed_excluded_on is None
    assert clocks.protest_due == dt.date(2026, 7, 19)


def test_a_late_notice_is_flagged(record, uflpa_entry):
    detention = record([], **uflpa_fields(uflpa_entry, notice_on=dt.date(2026, 1, 20)))
    assert detention.uflpa_clocks(dt.date(2026, 1, 21)).notice_late is True


def test_proof_after_the_30_days_is_refused_as_a_deemed_exclusion(record, acme_user, uflpa_entry):
    from withhold.core.exceptions import ApplicationError

    detention = record([], **uflpa_fields(uflpa_entry))
    with pytest.raises(ApplicationError) as exc:
        services.detention_proof_submit(
            detention=detention, actor=acme_user, documents=proof_files(),
            today=dt.date(2026, 2, 2),
        )  # fmt: skip
    assert "The 30 days for a final admissibility decision ended on 2026-02-01" in exc.value.message
    assert "deemed excluded" in exc.value.message


def test_a_port_file_row_on_the_uflpa_basis_is_refused_naming_the_missing_fields(
    port_officer, acme
):
    from withhold.detentions.imports import ImportRow

    from .conftest import detention_fields

    fields = detention_fields(port_officer, acme, basis="uflpa")
    with pytest.raises(services.ImportRefused) as exc:
        services.detentions_import(
            actor=port_officer, rows=[ImportRow(number=2, fields=fields)], file_name="port.csv"
        )
    refused = {(row, column) for row, column, _message in exc.value.errors}
    assert refused == {(2, "presented_on"), (2, "uflpa_nexus")}
    assert not Detention.objects.exists()
