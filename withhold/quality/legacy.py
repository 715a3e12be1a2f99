"""Reading a legacy case spreadsheet, row by row, into what a case needs. Pure: the vocabularies
(commodities, users, entities, countries) come in a ``Vocabulary`` the service builds.

Every row ends as one ``RowResult`` with an outcome: ``imported`` (everything mapped),
``needs_review`` (imported, with the list of what could not be mapped) or ``rejected`` (a case
cannot exist without it, with the reason). Every change made to a value on the way in is written
down as a normalisation; nothing is dropped or guessed without a line saying so.
"""

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from . import rules
from .mapping import FALSE_WORDS, PHASES, TRUE_WORDS, Mapping, Stage, key

IMPORTED, NEEDS_REVIEW, REJECTED = "imported", "needs_review", "rejected"


class FileUnreadable(ValueError):
    """The file is not a CSV or XLSX table this import can read."""


@dataclass
class Vocabulary:
    commodities: dict[str, int]  # key(name) -> Commodity id
    users: dict[str, int]  # key(username) and key(full name) -> User id
    supervisors: set[int]  # ids of users who may supervise
    analysts: set[int]  # ids of users who may work cases
    entities: dict[str, int]  # rules.entity_key(name or alias) -> Entity id
    evidence_sources: dict[str, str]  # key(code or label) -> code
    referral_sources: dict[str, str]  # key(code or label) -> code
    country: Callable[[str], str | None]  # code or name -> ISO alpha-2, or None
    hs_problem: Callable[[str], str | None]
    hs_normalise: Callable[[str], str]
    region_ok: Callable[[str, str], bool]
    today: date


@dataclass
class RowResult:
    number: int
    source_key: str
    raw: dict[str, str]
    outcome: str = IMPORTED
    case_fields: dict[str, Any] = field(default_factory=dict)
    stage: Stage = field(default_factory=Stage)
    evidence_sources: list[str] = field(default_factory=list)
    manufacturer: str = ""
    manufacturer_id: int | None = None
    update_text: str = ""
    update_on: date | None = None
    issues: list[str] = field(default_factory=list)
    normalisations: list[str] = field(default_factory=list)
    rejections: list[str] = field(default_factory=list)

    def finish(self) -> "RowResult":
        if self.rejections:
            self.outcome = REJECTED
        elif self.issues:
            self.outcome = NEEDS_REVIEW
        else:
            self.outcome = IMPORTED
        return self


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()  # naive: spreadsheet cell
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, name: str, *, sheet: str = "") -> list[list[str]]:
    """The file's rows as text cells; XLSX by content or name, otherwise CSV (UTF-8 or cp1252)."""
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            if sheet:
                if sheet not in workbook.sheetnames:
                    raise FileUnreadable(
                        f"The workbook has no sheet “{sheet}”; it has {', '.join(workbook.sheetnames)}."
                    )
                worksheet = workbook[sheet]
            else:
                worksheet = workbook.worksheets[0]
            rows = [[cell_text(c) for c in row] for row in worksheet.iter_rows(values_only=True)]
            workbook.close()
            return rows
        except FileUnreadable:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise FileUnreadable(f"“{name}” could not be read as an Excel workbook.") from exc
    if b"\x00" in data:
        raise FileUnreadable(f"“{name}” is neither a CSV file nor an Excel workbook.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise FileUnreadable(f"“{name}” could not be read as CSV: {exc}.") from exc


def rows_from_table(table: list[list[str]], mapping: Mapping) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {field: text}) for every non-empty data row."""
    header_index = mapping.header_row - 1
    if len(table) <= header_index:
        raise FileUnreadable(f"The file has no heading row (row {mapping.header_row}).")
    header = table[header_index]
    positions: dict[str, int] = {}
    for i, heading in enumerate(header):
        target = mapping.field_for(heading)
        if target and target != "ignore":
            positions[target] = i
    missing = [
        mapping.headings[k]
        for k, target in mapping.columns.items()
        if target not in positions and target != "ignore"
    ]
    if missing:
        raise FileUnreadable(
            f"Row {mapping.header_row} has no column “{missing[0]}” named in the mapping's [columns]."
        )
    rows = []
    for number, raw in enumerate(table[header_index + 1 :], start=mapping.header_row + 1):
        values = {f: (raw[i] if i < len(raw) else "") for f, i in positions.items()}
        if any(v.strip() for v in values.values()):
            rows.append((number, values))
    return rows


def source_key(values: dict[str, str]) -> str:
    """A stable key for the row: the legacy case number if there is one, else a hash of the row."""
    number = key(values.get("legacy_number", ""))
    if number and len(number) <= 64:
        return f"number:{number}"
    canonical = "\x1f".join(f"{k}={key(v)}" for k, v in sorted(values.items()))
    return "row:" + hashlib.sha256(canonical.encode()).hexdigest()


def parse_date(text: str, formats: list[str]) -> tuple[date, str] | None:
    """The date and the format it was read with; None if no format fits."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", text):
        text = text[:10]
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date(), fmt  # naive: text  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _date_field(row: RowResult, name: str, text: str, mapping: Mapping, vocab: Vocabulary):
    if not text:
        return None
    parsed = parse_date(text, mapping.date_formats)
    if parsed is None:
        return (
            f"{name} “{text}” is not a date in any of the formats {', '.join(mapping.date_formats)}"
        )
    value, fmt = parsed
    if value > vocab.today:
        return f"{name} {value.isoformat()} is in the future"
    if fmt != "%Y-%m-%d":
        row.normalisations.append(f"{name}: “{text}” read as {value.isoformat()} ({fmt})")
    row.case_fields[name] = value
    return None


def _vocab(row: RowResult, name: str, text: str, table: dict[str, str], mapping: Mapping):
    """A value through the mapping's value map, then the vocabulary's own codes and labels."""
    spelled = key(text)
    mapped = mapping.values.get(name, {}).get(spelled)
    if mapped is None:
        mapped = table.get(spelled)
        if mapped is not None and mapped != text:
            row.normalisations.append(f"{name}: “{text}” → {mapped}")
    elif mapped != text:
        row.normalisations.append(
            f"{name}: “{text}” → {mapped} ({mapping.source_of(name, spelled)})"
        )
    return mapped


def _stage(row: RowResult, values: dict[str, str], mapping: Mapping) -> None:
    combined: dict[str, str] = {}
    for name in ("stage", "phase", "status"):
        text = values.get(name, "")
        if not text:
            continue
        spelled = key(text)
        stage = mapping.stages.get(spelled)
        if stage is None and name == "phase" and spelled.replace(" ", "_") in PHASES:
            stage = Stage(phase=spelled.replace(" ", "_"))
        if stage is None:
            row.issues.append(
                f"{name} “{text}” is not in the mapping; phase and status left as Initiation, Active"
                if name == "stage"
                else f"{name} “{text}” is not in the mapping"
            )
            continue
        described = ", ".join(f"{k} {v}" for k, v in vars(stage).items() if v)
        row.normalisations.append(
            f"{name}: “{text}” → {described} ({mapping.source_of('stage', spelled)})"
        )
        for part in ("phase", "status", "reason"):
            new = getattr(stage, part)
            if not new:
                continue
            if combined.get(part) and combined[part] != new:
                row.issues.append(
                    f"{name} “{text}” says {part} {new} but another column says {combined[part]}; "
                    f"kept {combined[part]}"
                )
                continue
            combined[part] = new
    status = combined.get("status", "active")
    reason = combined.get("reason", "")
    if status in ("suspended", "inactive", "closed") and not reason:
        reason = "other"
        row.issues.append(
            f"status {status} without a reason in the spreadsheet; recorded with reason “other”"
        )
    row.stage = Stage(phase=combined.get("phase", "initiation"), status=status, reason=reason)


def _person(row: RowResult, name: str, text: str, vocab: Vocabulary, allowed: set[int]) -> None:
    if not text:
        return
    user_id = vocab.users.get(key(text))
    if user_id is None:
        row.issues.append(f"{name} “{text}” is not a user of this system; left empty")
    elif user_id not in allowed:
        row.issues.append(f"{name} “{text}” does not have the role for it; left empty")
    else:
        row.case_fields[name] = user_id


def _bool(row: RowResult, name: str, text: str) -> None:
    spelled = key(text)
    if spelled in TRUE_WORDS:
        row.case_fields[name] = True
    elif spelled in FALSE_WORDS:
        row.case_fields[name] = False
    else:
        row.issues.append(f"{name} “{text}” is neither yes nor no; recorded as no")
        row.case_fields[name] = False


def normalise_row(
    number: int, values: dict[str, str], mapping: Mapping, vocab: Vocabulary
) -> RowResult:
    """Map one row; never raises for any cell values."""
    values = {k: (v or "").strip() for k, v in values.items()}
    row = RowResult(number=number, source_key=source_key(values), raw=dict(values))
    get = values.get

    title = get("title", "")
    if title:
        row.case_fields["title"] = title[:200]
        if len(title) > 200:
            row.normalisations.append("title: cut to 200 characters")
    else:
        row.rejections.append("no title")

    commodity = get("commodity", "")
    if not commodity:
        row.rejections.append("no commodity")
    else:
        name = mapping.values["commodity"].get(key(commodity), commodity)
        commodity_id = vocab.commodities.get(key(name))
        if commodity_id is None:
            row.rejections.append(
                f"commodity “{commodity}” is not on the commodity list (add it to "
                "[values.commodity])"
            )
        else:
            row.case_fields["commodity"] = commodity_id
            if name != commodity:
                row.normalisations.append(f"commodity: “{commodity}” → {name} (value map)")

    problem = _date_field(row, "opened_on", get("opened_on", ""), mapping, vocab)
    if problem:
        row.rejections.append(problem)
    elif "opened_on" not in row.case_fields:
        row.rejections.append("no date opened")
    problem = _date_field(row, "received_on", get("received_on", ""), mapping, vocab)
    if problem:
        row.rejections.append(problem)
    opened = row.case_fields.get("opened_on")
    received = row.case_fields.get("received_on")
    if opened and received is None:
        if mapping.received_from_opened:
            row.case_fields["received_on"] = opened
            row.normalisations.append("received_on: empty, taken from opened_on (option)")
        else:
            row.case_fields["received_on"] = opened
            row.issues.append("no date received; the date opened was used")
    elif opened and received and opened < received:
        row.rejections.append(
            f"opened on {opened.isoformat()}, before it was received on {received.isoformat()}"
        )

    country_text = get("source_country", "")
    country = vocab.country(country_text) if country_text else None
    if not country_text:
        row.issues.append("no source country")
        row.case_fields["source_country"] = ""
    elif country is None:
        row.issues.append(f"source country “{country_text}” is not a country; left empty")
        row.case_fields["source_country"] = ""
    else:
        row.case_fields["source_country"] = country
        if country != country_text:
            row.normalisations.append(f"source_country: “{country_text}” → {country}")
    region = get("source_region", "").upper()
    if region:
        if row.case_fields["source_country"] and vocab.region_ok(
            region, row.case_fields["source_country"]
        ):
            row.case_fields["source_region"] = region
        else:
            row.issues.append(
                f"region “{region}” is not a region of the source country; left empty"
            )

    summary = get("allegation_summary", "")
    row.case_fields["allegation_summary"] = summary
    if not summary:
        row.issues.append("no allegation summary")

    referral = get("referral_source", "")
    if not referral:
        row.issues.append("no referral source")
        row.case_fields["referral_source"] = ""
    else:
        code = _vocab(row, "referral_source", referral, vocab.referral_sources, mapping)
        if code is None:
            row.issues.append(f"referral source “{referral}” is not in the vocabulary; left empty")
            code = ""
        row.case_fields["referral_source"] = code

    _stage(row, values, mapping)

    hts = get("hts_code", "")
    if hts:
        normal = vocab.hs_normalise(hts)
        problem = vocab.hs_problem(normal) if normal else "no digits"
        if problem:
            row.issues.append(f"HTS code “{hts}”: {problem}; left empty")
        else:
            row.case_fields["hts_code"] = normal
            if normal != hts:
                row.normalisations.append(f"hts_code: “{hts}” → {normal}")

    _person(row, "assigned_analyst", get("assigned_analyst", ""), vocab, vocab.analysts)
    _person(row, "supervisor", get("supervisor", ""), vocab, vocab.supervisors)

    for name in ("hsi_notified_on",):
        problem = _date_field(row, name, get(name, ""), mapping, vocab)
        if problem:
            row.issues.append(problem + "; left empty")
    if get("hsi_case_reference"):
        row.case_fields["hsi_case_reference"] = get("hsi_case_reference", "")[:40]
        if "hsi_notified_on" not in row.case_fields:
            row.issues.append("HSI case reference without the date HSI was notified")
    if get("investigative_challenges"):
        row.case_fields["investigative_challenges"] = get("investigative_challenges", "")
    for name in ("caatsa", "law_enforcement_sensitive"):
        if name in values:
            _bool(row, name, get(name, ""))
    if get("priority"):
        code = _vocab(
            row,
            "priority",
            get("priority", ""),
            {"high": "high", "medium": "medium", "low": "low"},
            mapping,
        )
        if code is None:
            row.issues.append(
                f"priority “{get('priority')}” is not high, medium or low; medium used"
            )
        else:
            row.case_fields["priority"] = code
    value_text = get("estimated_annual_import_value", "")
    if value_text:
        cleaned = re.sub(r"[\s$,]|usd", "", value_text, flags=re.IGNORECASE)
        try:
            amount = Decimal(cleaned)
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
                raise InvalidOperation
            row.case_fields["estimated_annual_import_value"] = amount.quantize(Decimal("0.01"))
            if cleaned != value_text:
                row.normalisations.append(
                    f"estimated_annual_import_value: “{value_text}” → {amount.quantize(Decimal('0.01'))}"
                )
        except (InvalidOperation, ValueError):
            row.issues.append(f"import value “{value_text}” is not an amount; left empty")

    sources_text = get("evidence_sources", "")
    items = [s.strip() for s in re.split(f"[{re.escape(mapping.list_separators)}]", sources_text)]
    for item in filter(None, items):
        code = _vocab(row, "evidence_sources", item, vocab.evidence_sources, mapping)
        if code is None:
            row.issues.append(f"evidence source “{item}” is not in the vocabulary; left out")
        elif code not in row.evidence_sources:
            row.evidence_sources.append(code)
    if not row.evidence_sources:
        required = PHASES.index(row.stage.phase) >= PHASES.index("investigation")
        row.issues.append(
            "no evidence sources" + (" (required from Investigation)" if required else "")
        )

    manufacturer = get("manufacturer", "")
    update = get("current_update", "")
    if update and rules.entity_key(update) in vocab.entities and not manufacturer:
        manufacturer = update
        row.normalisations.append(
            f"current_update: “{update}” is an entity's name, not an update; linked as the "
            "manufacturer instead"
        )
        update = ""
    elif update and manufacturer and rules.entity_key(update) == rules.entity_key(manufacturer):
        row.normalisations.append(
            f"current_update: “{update}” repeats the manufacturer's name; not kept as an update"
        )
        update = ""
    if manufacturer:
        row.manufacturer = manufacturer[:255]
        row.manufacturer_id = vocab.entities.get(rules.entity_key(manufacturer))
        if row.manufacturer_id is None:
            row.normalisations.append(f"manufacturer: “{manufacturer}” added as a new entity")
    if update:
        if rules.looks_like_a_company(update):
            row.issues.append(
                f"current update “{update}” looks like a company's name, not an update; kept as is"
            )
        elif len(update.split()) < rules.MIN_NARRATIVE_WORDS:
            row.issues.append(
                f"current update “{update}” is not a sentence (a name, date or code?); kept as is"
            )
        problem = _date_field(row, "update_on", get("update_on", ""), mapping, vocab)
        if problem:
            row.issues.append(problem + "; the update is dated the day of import")
        row.update_on = row.case_fields.pop("update_on", None)
        if row.update_on is None:
            row.update_on = vocab.today
            row.normalisations.append("current_update: no date given; dated the day of import")
        row.update_text = update
        later = rules.narrative_later_phase(update, row.stage.phase)
        if later:
            row.issues.append(
                f"the current update mentions “{later.phrase}” ({rules.PHASE_LABELS[later.phase]})"
                f" but the phase is {rules.PHASE_LABELS[row.stage.phase]}"
            )
    return row.finish()
