"""Trade data (all-or-nothing, per-row errors, summaries) and the allegation report."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from withhold.cases import services as case_services
from withhold.cases.models import CaseDocument
from withhold.evidence import selectors, services
from withhold.evidence.models import TradeEntry, TradeUpload
from withhold.evidence.report import report_pdf

from ..factories import EntityFactory
from ..pdftext import pdf_text_lines, pdf_words
from .conftest import add_evidence, csv_file

pytestmark = pytest.mark.django_db

GOOD = (
    "date,importer,manufacturer,hts,quantity,value,port\n"
    "2023-03-01,Importer Inc,Example Garment Factory,6109100012,1000,12500.50,Los Angeles\n"
    "2024-05-02,Importer Inc,Example Garment Factory,6109100012,500,6000,Long Beach\n"
    "2024-06-03,Other Imports LLC,Example Garment Factory,6205200020,200,3000,Newark\n"
)


def test_trade_upload_stores_every_row_and_summarises_by_year_importer_and_hts(case, case_analyst):
    upload = services.trade_data_upload(case=case, actor=case_analyst, uploaded_file=csv_file(GOOD))
    assert upload.row_count == 3
    summary = selectors.trade_summary(case=case)
    assert [(r["year"], r["entries"]) for r in summary.by_year] == [(2023, 1), (2024, 2)]
    assert summary.by_importer[0]["importer"] == "Importer Inc"
    assert summary.by_importer[0]["value"] == Decimal("18500.50")
    assert [r["hts_code"] for r in summary.by_hts] == ["6109100012", "6205200020"]


def test_a_bad_trade_row_is_reported_by_row_and_field_and_nothing_is_stored(case, case_analyst):
    bad = GOOD + "2024-13-40,Importer Inc,Example,6109100012,ten,100,Newark\n"
    with pytest.raises(services.TradeDataRejected) as exc:
        services.trade_data_upload(case=case, actor=case_analyst, uploaded_file=csv_file(bad))
    assert [(e.row, e.column) for e in exc.value.errors] == [(5, "date"), (5, "quantity")]
    assert TradeEntry.objects.count() == 0
    assert TradeUpload.objects.count() == 0


def test_trade_upload_reads_xlsx(case, case_analyst):
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = services.trade_data_upload(
        case=case, actor=case_analyst, uploaded_file=SimpleUploadedFile("e.xlsx", buffer.getvalue())
    )
    assert upload.row_count == 3


def test_trade_upload_names_missing_columns(case, case_analyst):
    with pytest.raises(services.TradeDataRejected) as exc:
        services.trade_data_upload(
            case=case, actor=case_analyst, uploaded_file=csv_file("date,importer\n2024-01-01,X\n")
        )
    assert exc.value.errors[0].column == "header"
    assert "manufacturer" in exc.value.errors[0].message


def test_allegation_report_is_attached_and_lets_the_case_enter_legal_review(case, case_analyst):
    item = add_evidence(case, case_analyst, indicators=[3, 7])
    case_services.case_phase_change(case=case, to_phase="investigation", actor=case_analyst)
    factory = EntityFactory(name="Example Garment Factory", country="CN")
    case_services.case_entity_link(
        case=case, entity=factory, role="manufacturer", actor=case_analyst
    )
    mill = case.case_entities.get(role="processor").entity
    services.supply_link_add(
        case=case,
        actor=case_analyst,
        supplier=mill,
        buyer=factory,
        goods="Yarn",
        evidence_ids=[item.pk],
    )
    case_services.case_hsi_referral_record(
        case=case, actor=case_analyst, notified_on=timezone.localdate()
    )
    case_services.case_update(
        case=case, actor=case_analyst, ilo_indicators=[3, 7], estimated_annual_import_value=250000
    )
    with pytest.raises(case_services.PhaseRequirementsMissing) as exc:
        case_services.case_phase_change(case=case, to_phase="legal_review", actor=case_analyst)
    assert "documents.allegation_report" in exc.value.extra["missing"]

    document = services.allegation_report_generate(case=case, actor=case_analyst)
    assert document.kind == CaseDocument.Kind.ALLEGATION_REPORT
    assert document.content_type == "application/pdf"
    assert document.file.read().startswith(b"%PDF")
    case = case_services.case_phase_change(case=case, to_phase="legal_review", actor=case_analyst)
    assert case.phase == "legal_review"


def test_allegation_report_pdf_keeps_every_word_of_a_long_description(case, case_analyst):
    description = (
        "Former workers describe recruitment agents confiscating passports at the dormitory "
        "gate, wage deductions for uniforms, housing and transport, and supervisors threatening "
        "deportation to anyone who asked to leave before the end of the contract; the audit "
        "firm's interviewers corroborated the accounts with payroll records and gate logs."
    )
    add_evidence(case, case_analyst, description=description)
    report = selectors.allegation_report_data(case=case, user=case_analyst)
    data = report_pdf(report, generated_at=timezone.now(), generated_by="Analyst")

    words = pdf_words(data)
    assert set(description.split()) <= words
    assert set(case.allegation_summary.split()) <= words
    lines = pdf_text_lines(data)
    start = next(n for n, line in enumerate(lines) if description.startswith(f"{line} "))
    run = []
    for line in lines[start:]:
        run.append(line)
        if " ".join(run) == description:
            break
    assert " ".join(run) == description  # consecutive lines, each cut between words


@pytest.mark.parametrize(
    ("column", "cell"), [("quantity", "²"), ("quantity", "٣"), ("value", "NaN"), ("value", "1e5")]
)
def test_a_number_that_is_not_one_is_named_by_row_and_column(case, case_analyst, column, cell):
    quantity, value = (cell, "100") if column == "quantity" else ("10", cell)
    bad = GOOD + f"2024-06-04,Importer Inc,Example,6109100012,{quantity},{value},Newark\n"
    with pytest.raises(services.TradeDataRejected) as exc:
        services.trade_data_upload(case=case, actor=case_analyst, uploaded_file=csv_file(bad))
    [error] = exc.value.errors
    assert (error.row, error.column) == (5, column)
    assert str(error).startswith(f"Row 5, {column}: “{cell}” is not a number")
    assert TradeEntry.objects.count() == 0


def test_amounts_written_as_people_write_them_are_read(case, case_analyst):
    text = (
        "date,importer,manufacturer,hts,quantity,value,port\n"
        '2024-06-04,Importer Inc,Example,6109100012,"1,000","$12,500.50",Newark\n'
    )
    services.trade_data_upload(case=case, actor=case_analyst, uploaded_file=csv_file(text))
    entry = TradeEntry.objects.get()
    assert (entry.quantity, entry.value) == (Decimal("1000"), Decimal("12500.50"))
