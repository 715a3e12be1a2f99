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
from decimal import Decimal
from typing import Any

from withhold.core.numbers import NumberError, parse_decimal

from . import rules
from .mapping import FALSE_WORDS, PHASES, TITLE_FIELD_RE, TRUE_WORDS, Mapping, Stage, key

IMPORTED, NEEDS_REVIEW, REJECTED, SKIPPED = "imported", "needs_review", "rejected", "skipped"
# What the per-field count of a dry run calls a cell: used, empty, or not usable.
MAPPED, EMPTY, NOT_USED = "mapped", "empty", "rejected"
# Importers' names contain commas ("Acme, Inc."): their list is split on these only.
IMPORTER_SEPARATORS = ";|\n"
# Case.estimated_annual_import_value holds 16 digits, 2 of them after the point.
MAX_IMPORT_VALUE = Decimal("99999999999999.99")


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
    suspension_reasons: dict[str, str] = field(default_factory=dict)  # key(code or label) -> code


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
    importers: list[str] = field(default_factory=list)
    phase_entered_on: date | None = None
    issues: list[str] = field(default_factory=list)
    normalisations: list[str] = field(default_factory=list)
    rejections: list[str] = field(default_factory=list)
    skip_reason: str = ""
    # Per mapped field: whether its cell was used, empty, or could not be used (dry-run counts).
    field_states: dict[str, str] = field(default_factory=dict)
    unusable: set[str] = field(default_factory=set)

    def problem(self, name: str, message: str, *, reject: bool = False) -> None:
        """An issue (or a rejection) about one field's cell, counted against that field."""
        (self.rejections if reject else self.issues).append(message)
        self.unusable.add(name)

    def finish(self) -> "RowResult":
        if self.skip_reason:
            self.outcome = SKIPPED
        elif self.rejections:
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


@dataclass
class TableRow:
    """One row of the sheet below the headings: its cells by field, and why it is not a case
    (an empty row, the headings repeated, a note) when it is not."""

    number: int
    values: dict[str, str]
    skip_reason: str = ""


def rows_from_table(table: list[list[str]], mapping: Mapping) -> list[TableRow]:
    """Every row below the headings, up to the last one with anything in it: each gets a line in
    the report, so an empty row, a repeat of the heading row or a note between cases is reported
    with its number instead of vanishing."""
    header_index = mapping.header_row - 1
    if len(table) <= header_index:
        raise FileUnreadable(f"The file has no heading row (row {mapping.header_row}).")
    header = table[header_index]
    positions: dict[str, int] = {}
    column_of: dict[str, str] = {}
    for i, heading in enumerate(header):
        for target in mapping.fields_for(heading):
            if target == "ignore":
                continue
            if target in positions:
                raise FileUnreadable(
                    f"Row {mapping.header_row} has two columns named “{column_of[target]}” "
                    f"(columns {positions[target] + 1} and {i + 1}); rename one so the mapping "
                    "can tell them apart."
                )
            positions[target] = i
            column_of[target] = heading
    missing = [
        mapping.headings[k]
        for k, targets in mapping.columns.items()
        if targets != ["ignore"] and not all(t in positions for t in targets)
    ]
    if missing:
        raise FileUnreadable(
            f"Row {mapping.header_row} has no column “{missing[0]}” named in the mapping's [columns]."
        )
    header_keys = {f: key(header[i]) for f, i in positions.items()}
    body = table[header_index + 1 :]
    while body and not any(str(c).strip() for c in body[-1]):
        body = body[:-1]  # trailing blank rows (a sheet's formatting) are not part of the table
    rows = []
    for number, raw in enumerate(body, start=mapping.header_row + 1):
        values = {f: (raw[i] if i < len(raw) else "") for f, i in positions.items()}
        filled = [str(c).strip() for c in raw if str(c).strip()]
        row = TableRow(number, values)
        if not filled:
            row.skip_reason = "an empty row"
        elif all(key(values[f]) == header_keys[f] for f in positions):
            row.skip_reason = "the heading row again"
        elif not any(v.strip() for v in values.values()):
            row.skip_reason = f"nothing in the mapped columns (only “{filled[0][:60]}”)"
        elif len(filled) == 1 and not values.get("commodity") and not values.get("opened_on"):
            row.skip_reason = f"a note, not a case: “{filled[0][:80]}”"
        rows.append(row)
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
    """Phase, status and reason from the status-like columns. When two columns disagree on a
    part, neither is stored as fact: the part stays as every case starts (Initiation, Active),
    and the row goes to review with both raw values."""
    claims: dict[str, list[tuple[str, str, str]]] = {"phase": [], "status": [], "reason": []}
    for name in ("stage", "phase", "status"):
        text = values.get(name, "")
        if not text:
            continue
        spelled = key(text)
        stage = mapping.stages.get(spelled)
        if stage is None and name == "phase" and spelled.replace(" ", "_") in PHASES:
            stage = Stage(phase=spelled.replace(" ", "_"))
        if stage is None:
            row.problem(
                name,
                f"{name} “{text}” is not in the mapping; phase and status left as Initiation, Active"
                if name == "stage"
                else f"{name} “{text}” is not in the mapping",
            )
            continue
        described = ", ".join(f"{k} {v}" for k, v in vars(stage).items() if v)
        row.normalisations.append(
            f"{name}: “{text}” → {described} ({mapping.source_of('stage', spelled)})"
        )
        for part in ("phase", "status", "reason"):
            if getattr(stage, part):
                claims[part].append((name, text, getattr(stage, part)))
    chosen: dict[str, str] = {}
    for part in ("phase", "status", "reason"):
        meanings = {meaning for _, _, meaning in claims[part]}
        if len(meanings) == 1:
            chosen[part] = meanings.pop()
        elif len(meanings) > 1:
            said = "; ".join(
                f"{column} column “{text}” says {m}" for column, text, m in claims[part]
            )
            kept = {"phase": "Initiation", "status": "Active", "reason": "not set"}[part]
            row.problem(
                part,
                f"conflict on the {part}: {said}. Neither is stored: the {part} stays {kept} "
                "until a reviewer decides",
            )
            for column, _, _ in claims[part]:
                row.unusable.add(column)
            if part == "status":
                chosen.pop("reason", None)
                claims["reason"] = []
    status = chosen.get("status", "active")
    reason = chosen.get("reason", "")
    if status == "active":
        reason = ""
    row.stage = Stage(phase=chosen.get("phase", "initiation"), status=status, reason=reason)


def _suspension(row: RowResult, text: str, mapping: Mapping, vocab: Vocabulary) -> None:
    """The suspension reason: a reason of the list when the cell (or its value map) names one,
    else "other" with the cell kept word for word as the detail. A suspended case with no reason
    anywhere is recorded as "not recorded", which the data-quality report counts as missing."""
    stage = row.stage
    if text and stage.status != "suspended":
        row.problem(
            "suspension_reason",
            f"suspension reason “{text}” on a case whose status is {stage.status}; not kept",
        )
        return
    if stage.status != "suspended":
        return
    if text:
        code = _vocab(row, "suspension_reason", text, vocab.suspension_reasons, mapping)
        if code is None:
            code = "other"
            row.case_fields["suspension_detail"] = text
            row.normalisations.append(
                f"suspension_reason: “{text}” is not a reason of the list; recorded as Other, "
                "with the text kept as the detail"
            )
        elif code == "other":
            row.case_fields["suspension_detail"] = text
        if stage.reason and stage.reason != code:
            row.normalisations.append(
                f"suspension_reason: the status column's reason {stage.reason} replaced by the "
                f"reason column's {code}"
            )
        row.stage = Stage(phase=stage.phase, status=stage.status, reason=code)
    elif not stage.reason:
        row.stage = Stage(phase=stage.phase, status=stage.status, reason="not_recorded")
        row.normalisations.append(
            "suspension_reason: suspended without a reason in the spreadsheet; recorded as "
            "“not recorded” (the data-quality report counts it as missing)"
        )


def _person(row: RowResult, name: str, text: str, vocab: Vocabulary, allowed: set[int], mapping):
    if not text:
        return
    spelled = key(text)
    username = mapping.values.get(name, {}).get(spelled)
    user_id = vocab.users.get(key(username)) if username else vocab.users.get(spelled)
    if username and user_id is not None:
        row.normalisations.append(
            f"{name}: “{text}” → {username} ({mapping.source_of(name, spelled)})"
        )
    if user_id is None:
        row.problem(name, f"{name} “{text}” is not a user of this system; left empty")
    elif user_id not in allowed:
        row.problem(name, f"{name} “{text}” does not have the role for it; left empty")
    else:
        row.case_fields[name] = user_id


# A yes/no field whose value is unclear is stored as the value that shows the case to fewer people:
# an unclear law-enforcement-sensitive cell is recorded as sensitive (and the row goes to review).
UNCLEAR_MEANS = {"law_enforcement_sensitive": True}


def _bool(row: RowResult, name: str, text: str, mapping: Mapping) -> None:
    spelled = key(text)
    mapped = mapping.values.get(name, {}).get(spelled)
    if mapped is not None:
        row.normalisations.append(
            f"{name}: “{text}” → {mapped} ({mapping.source_of(name, spelled)})"
        )
        spelled = mapped
    if spelled in TRUE_WORDS:
        row.case_fields[name] = True
    elif spelled in FALSE_WORDS:
        row.case_fields[name] = False
    else:
        value = UNCLEAR_MEANS.get(name, False)
        recorded = "sensitive until reviewed" if value else "no"
        row.problem(
            name,
            f"row {row.number}, column “{mapping.heading_of(name)}” ({name}): “{text}” is "
            f"neither yes nor no; recorded as {recorded}",
        )
        row.case_fields[name] = value


def _title(row: RowResult, values: dict[str, str], mapping: Mapping) -> None:
    title = values.get("title", "")
    if not title and mapping.title_template:
        parts = {
            name: values.get(name, "").strip()
            for name in TITLE_FIELD_RE.findall(mapping.title_template)
        }
        if any(parts.values()):
            title = TITLE_FIELD_RE.sub(lambda m: parts[m.group(1)], mapping.title_template)
            title = re.sub(r"\s+", " ", title).strip(" -–—,;:()")
            title = re.sub(r"\(\s*\)", "", title).strip()
            row.normalisations.append(f"title: composed from {mapping.title_template} → “{title}”")
    if title:
        row.case_fields["title"] = title[:200]
        if len(title) > 200:
            row.normalisations.append("title: cut to 200 characters")
    else:
        row.problem("title", "no title", reject=True)


def normalise_row(
    number: int,
    values: dict[str, str],
    mapping: Mapping,
    vocab: Vocabulary,
    *,
    skip_reason: str = "",
) -> RowResult:
    """Map one row; never raises for any cell values."""
    values = {k: (v or "").strip() for k, v in values.items()}
    row = RowResult(number=number, source_key=source_key(values), raw=dict(values))
    if skip_reason:
        row.skip_reason = skip_reason
        return row.finish()
    get = values.get

    _title(row, values, mapping)

    commodity = get("commodity", "")
    if not commodity:
        row.problem("commodity", "no commodity", reject=True)
    else:
        name = mapping.values["commodity"].get(key(commodity), commodity)
        commodity_id = vocab.commodities.get(key(name))
        if commodity_id is None:
            row.problem(
                "commodity",
                f"commodity “{commodity}” is not on the commodity list (map it to one in "
                f'[values.commodity], or add it: "{commodity}" = {{ create = true, hs_code = '
                '"NNNN" })',
                reject=True,
            )
        else:
            row.case_fields["commodity"] = commodity_id
            if name != commodity:
                row.normalisations.append(f"commodity: “{commodity}” → {name} (value map)")

    problem = _date_field(row, "opened_on", get("opened_on", ""), mapping, vocab)
    if problem:
        row.problem("opened_on", problem, reject=True)
    elif "opened_on" not in row.case_fields:
        row.problem("opened_on", "no date opened", reject=True)
    problem = _date_field(row, "received_on", get("received_on", ""), mapping, vocab)
    if problem:
        row.problem("received_on", problem, reject=True)
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
        row.problem(
            "opened_on",
            f"opened on {opened.isoformat()}, before it was received on {received.isoformat()}",
            reject=True,
        )

    country_text = get("source_country", "")
    mapped_country = mapping.values["source_country"].get(key(country_text))
    country = mapped_country or (vocab.country(country_text) if country_text else None)
    if not country_text:
        row.issues.append("no source country")
        row.case_fields["source_country"] = ""
    elif country is None:
        row.problem(
            "source_country",
            f"source country “{country_text}” is not a country (map it in "
            "[values.source_country]); left empty",
        )
        row.case_fields["source_country"] = ""
    else:
        row.case_fields["source_country"] = country
        if country != country_text:
            how = " (" + mapping.source_of("source_country", key(country_text)) + ")"
            row.normalisations.append(
                f"source_country: “{country_text}” → {country}" + (how if mapped_country else "")
            )
    region = get("source_region", "").upper()
    if region:
        if row.case_fields["source_country"] and vocab.region_ok(
            region, row.case_fields["source_country"]
        ):
            row.case_fields["source_region"] = region
        else:
            row.problem(
                "source_region",
                f"region “{region}” is not a region of the source country; left empty",
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
            row.problem(
                "referral_source",
                f"referral source “{referral}” is not in the vocabulary; left empty",
            )
            code = ""
        row.case_fields["referral_source"] = code

    _stage(row, values, mapping)
    _suspension(row, get("suspension_reason", ""), mapping, vocab)
    for name in ("phase_entered_on",):
        problem = _date_field(row, name, get(name, ""), mapping, vocab)
        entered = row.case_fields.pop(name, None)
        if problem:
            row.problem(name, problem + "; the phase's date is left unknown")
        elif entered and row.stage.phase == "initiation":
            if opened and entered != opened:
                row.normalisations.append(
                    f"phase_entered_on: {entered.isoformat()} not used: the case is in "
                    "Initiation, which it entered when opened"
                )
        elif entered and opened and entered < opened:
            row.problem(
                name,
                f"entered {rules.PHASE_LABELS[row.stage.phase]} on {entered.isoformat()}, "
                f"before it was opened on {opened.isoformat()}; the phase's date is left unknown",
            )
        elif entered:
            row.phase_entered_on = entered

    hts = get("hts_code", "")
    if hts:
        normal = vocab.hs_normalise(hts)
        problem = vocab.hs_problem(normal) if normal else "no digits"
        if problem:
            row.problem("hts_code", f"HTS code “{hts}”: {problem}; left empty")
        else:
            row.case_fields["hts_code"] = normal
            if normal != hts:
                row.normalisations.append(f"hts_code: “{hts}” → {normal}")

    _person(row, "assigned_analyst", get("assigned_analyst", ""), vocab, vocab.analysts, mapping)
    _person(row, "supervisor", get("supervisor", ""), vocab, vocab.supervisors, mapping)

    for name in ("hsi_notified_on",):
        problem = _date_field(row, name, get(name, ""), mapping, vocab)
        if problem:
            row.problem(name, problem + "; left empty")
    if get("hsi_case_reference"):
        row.case_fields["hsi_case_reference"] = get("hsi_case_reference", "")[:40]
        if "hsi_notified_on" not in row.case_fields and not (
            key(get("hsi_notified", "")) in TRUE_WORDS
            or mapping.values["hsi_notified"].get(key(get("hsi_notified", ""))) == "yes"
        ):
            row.issues.append("HSI case reference without the date HSI was notified")
    if get("investigative_challenges"):
        row.case_fields["investigative_challenges"] = get("investigative_challenges", "")
    for name in ("caatsa", "law_enforcement_sensitive", "hsi_notified"):
        if name in values:
            _bool(row, name, get(name, ""), mapping)
    if "hsi_notified_on" in row.case_fields:
        row.case_fields["hsi_notified"] = True
    elif row.case_fields.get("hsi_notified"):
        row.normalisations.append(
            "hsi_notified: yes, without a date; the data-quality report counts the date as "
            "missing until it is filled"
        )
    if get("priority"):
        code = _vocab(
            row,
            "priority",
            get("priority", ""),
            {"high": "high", "medium": "medium", "low": "low"},
            mapping,
        )
        if code is None:
            row.problem(
                "priority",
                f"priority “{get('priority')}” is not high, medium or low; medium used",
            )
        else:
            row.case_fields["priority"] = code
    value_text = get("estimated_annual_import_value", "")
    if value_text:
        try:
            amount = parse_decimal(
                value_text,
                field="estimated_annual_import_value",
                row=number,
                minimum=0,
                maximum=MAX_IMPORT_VALUE,
                places=2,
                currency=True,
            )
        except NumberError as exc:
            row.problem(
                "estimated_annual_import_value",
                f"import value “{value_text}” is not an amount ({exc.problem}); left empty",
            )
        else:
            row.case_fields["estimated_annual_import_value"] = amount
            if str(amount) != value_text:
                row.normalisations.append(
                    f"estimated_annual_import_value: “{value_text}” → {amount}"
                )

    sources_text = get("evidence_sources", "")
    items = [s.strip() for s in re.split(f"[{re.escape(mapping.list_separators)}]", sources_text)]
    for item in filter(None, items):
        code = _vocab(row, "evidence_sources", item, vocab.evidence_sources, mapping)
        if code is None:
            row.problem(
                "evidence_sources", f"evidence source “{item}” is not in the vocabulary; left out"
            )
        elif code not in row.evidence_sources:
            row.evidence_sources.append(code)
    if not row.evidence_sources:
        required = PHASES.index(row.stage.phase) >= PHASES.index("investigation")
        row.issues.append(
            "no evidence sources" + (" (required from Investigation)" if required else "")
        )

    importers_text = get("importers", "")
    for name in re.split(f"[{re.escape(IMPORTER_SEPARATORS)}]", importers_text):
        name = name.strip()[:255]
        if name and rules.entity_key(name) not in {rules.entity_key(n) for n in row.importers}:
            row.importers.append(name)

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
            row.problem(
                "current_update",
                f"current update “{update}” looks like a company's name, not an update; kept as is",
            )
        elif len(update.split()) < rules.MIN_NARRATIVE_WORDS:
            row.problem(
                "current_update",
                f"current update “{update}” is not a sentence (a name, date or code?); kept as is",
            )
        problem = _date_field(row, "update_on", get("update_on", ""), mapping, vocab)
        if problem:
            row.problem("update_on", problem + "; the update is dated the day of import")
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
    for name in mapping.mapped_fields:
        if not values.get(name, "").strip():
            row.field_states[name] = EMPTY
        elif name in row.unusable:
            row.field_states[name] = NOT_USED
        else:
            row.field_states[name] = MAPPED
    return row.finish()
