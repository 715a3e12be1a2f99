"""The mapping file of a legacy import: which column is which field, and how messy values map to
the vocabulary. Pure: no database. ``docs/migration.md`` explains every key.

The built-in value maps (``DEFAULT_STAGES`` ...) cover the spellings GAO-21-106 found in the
division's spreadsheet ("1", "Exploration", "Investigation (2)", "Investigation Complete (3) Civil
Penalty"); a mapping file adds to them or overrides them, never silently replaces them.
"""

import re
import tomllib
from dataclasses import dataclass, field

# The fields a column may be mapped to. "ignore" reads nothing from the column, on purpose.
FIELDS: dict[str, str] = {
    "legacy_number": "the spreadsheet's own case number (the stable key for re-runs)",
    "title": "case title",
    "allegation_summary": "what is alleged",
    "commodity": "commodity, by name from the controlled list",
    "hts_code": "HTS code",
    "source_country": "country of production, ISO code or English name",
    "source_region": "ISO 3166-2 region code",
    "referral_source": "how the allegation reached the division",
    "received_on": "date received",
    "opened_on": "date opened",
    "stage": "the legacy status column, mixing phase and status",
    "phase": "phase",
    "status": "status",
    "assigned_analyst": "case analyst, by user name or full name",
    "supervisor": "supervisor, by user name or full name",
    "manufacturer": "manufacturer's name (linked as a supply-chain entity)",
    "evidence_sources": "evidence sources, a list",
    "current_update": "the narrative update column",
    "update_on": "date of the narrative update",
    "investigative_challenges": "investigative challenges",
    "hsi_notified_on": "date HSI was notified",
    "hsi_case_reference": "HSI case reference",
    "priority": "priority",
    "caatsa": "CAATSA applies (yes/no)",
    "law_enforcement_sensitive": "law-enforcement-sensitive (yes/no)",
    "estimated_annual_import_value": "estimated annual U.S. import value in dollars",
    "ignore": "a column deliberately not imported",
}
# Fields whose values go through a value map (``[values.<field>]``).
VALUE_MAPPED = (
    "stage",
    "phase",
    "status",
    "referral_source",
    "evidence_sources",
    "commodity",
    "priority",
)
PHASES = ("initiation", "investigation", "legal_review", "implementation")
STATUSES = ("active", "suspended", "inactive", "closed")
REASONS = {
    "suspended": (
        "lack_of_personnel",
        "lack_of_information",
        "awaiting_foreign_government",
        "awaiting_other_agency",
        "litigation",
        "other",
    ),
    "inactive": (
        "insufficient_evidence",
        "no_clear_violation",
        "no_us_nexus",
        "duplicate",
        "other",
    ),
    "closed": (
        "order_issued",
        "penalty",
        "referred_to_hsi",
        "no_violation",
        "no_us_nexus",
        "merged",
        "other",
    ),
}
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d-%b-%Y", "%d %B %Y", "%B %d, %Y"]


@dataclass(frozen=True)
class Stage:
    """What one spelling of the legacy status column means: any of phase, status and reason."""

    phase: str = ""
    status: str = ""
    reason: str = ""


def key(text: str) -> str:
    """How spellings are compared: case, spacing and surrounding punctuation ignored."""
    return re.sub(r"\s+", " ", str(text).strip().strip(".;:,").casefold())


_P1, _P2, _P3, _P4 = PHASES
DEFAULT_STAGES: dict[str, Stage] = {
    **{
        k: Stage(phase=_P1)
        for k in ("1", "phase 1", "initiation", "initiation (1)", "exploration", "exploratory")
    },
    **{k: Stage(phase=_P2) for k in ("2", "phase 2", "investigation", "investigation (2)")},
    **{
        k: Stage(phase=_P3)
        for k in (
            "3",
            "phase 3",
            "legal review",
            "legal review (3)",
            "chief counsel",
            "sent to chief counsel",
        )
    },
    **{k: Stage(phase=_P4) for k in ("4", "phase 4", "implementation", "implementation (4)")},
    "active": Stage(status="active"),
    "open": Stage(status="active"),
    "suspended": Stage(status="suspended"),
    "on hold": Stage(status="suspended"),
    "suspended - lack of personnel": Stage(status="suspended", reason="lack_of_personnel"),
    "suspended - lack of information": Stage(status="suspended", reason="lack_of_information"),
    "inactive": Stage(status="inactive"),
    "closed": Stage(status="closed"),
    "investigation complete (3) civil penalty": Stage(phase=_P3, status="closed", reason="penalty"),
    "investigation complete civil penalty": Stage(phase=_P3, status="closed", reason="penalty"),
    "civil penalty": Stage(status="closed", reason="penalty"),
    "wro issued": Stage(phase=_P4, status="closed", reason="order_issued"),
    "finding issued": Stage(phase=_P4, status="closed", reason="order_issued"),
    "referred to hsi": Stage(status="closed", reason="referred_to_hsi"),
}
DEFAULT_VALUES: dict[str, dict[str, str]] = {
    "referral_source": {
        "ngo": "ngo",
        "non-governmental organization": "ngo",
        "e-allegation": "e_allegation",
        "e allegation": "e_allegation",
        "portal": "e_allegation",
        "anonymous": "anonymous_tip",
        "tip": "anonymous_tip",
        "self": "self_initiated",
        "self-initiated": "self_initiated",
        "cbp": "self_initiated",
        "dol": "dol_research",
        "media": "media",
        "press": "media",
        "other agency": "other_agency",
        "court": "court_case",
        "industry": "trade_industry",
        "worker": "worker",
        "foreign government": "foreign_government",
        "other": "other",
    },
    "evidence_sources": {
        "ngo": "ngo_report",
        "ngo report": "ngo_report",
        "media": "media",
        "press": "media",
        "news": "media",
        "academic": "academic",
        "dol": "dol_research",
        "state": "state_department",
        "state department": "state_department",
        "trade data": "trade_data",
        "import data": "trade_data",
        "audit": "social_audit",
        "social audit": "social_audit",
        "interview": "interview",
        "interviews": "interview",
        "site visit": "site_visit",
        "satellite": "remote_sensing",
        "allegation": "allegation",
        "corporate records": "corporate_records",
        "court": "court_record",
    },
    "priority": {"h": "high", "high": "high", "m": "medium", "medium": "medium", "l": "low"},
    "commodity": {},
    "phase": {},
    "status": {},
}
TRUE_WORDS = {"yes", "y", "true", "t", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "f", "0", ""}


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the key."""


@dataclass
class Mapping:
    columns: dict[str, str]  # column heading (as ``key``) -> field
    headings: dict[str, str]  # column heading (as ``key``) -> heading as written in the mapping
    stages: dict[str, Stage] = field(default_factory=lambda: dict(DEFAULT_STAGES))
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=lambda: list(DATE_FORMATS))
    list_separators: str = ";,/"
    sheet: str = ""
    header_row: int = 1
    received_from_opened: bool = False
    from_file: set[tuple[str, str]] = field(default_factory=set)  # (field, spelling) the file gave

    def source_of(self, name: str, spelling: str) -> str:
        """Where a spelling's meaning comes from, for the report: the file or the defaults."""
        return "value map" if (name, spelling) in self.from_file else "built-in map"

    def field_for(self, heading: str) -> str | None:
        return self.columns.get(key(heading))

    def heading_of(self, name: str) -> str:
        """The spreadsheet's heading of the column mapped to field ``name`` (or the field name)."""
        return next((self.headings[k] for k, f in self.columns.items() if f == name), name)


def _stage_from(value, where: str) -> Stage:
    if isinstance(value, str):
        value = {"phase": value} if value in PHASES else {"status": value}
    if not isinstance(value, dict):
        raise MappingError(f"{where}: give a phase, a status or a table {{phase, status, reason}}.")
    unknown = set(value) - {"phase", "status", "reason"}
    if unknown:
        raise MappingError(f"{where}: unknown key “{sorted(unknown)[0]}” (phase, status, reason).")
    stage = Stage(**{k: str(v) for k, v in value.items()})
    if stage.phase and stage.phase not in PHASES:
        raise MappingError(f"{where}.phase: “{stage.phase}” is not one of {', '.join(PHASES)}.")
    if stage.status and stage.status not in STATUSES:
        raise MappingError(f"{where}.status: “{stage.status}” is not one of {', '.join(STATUSES)}.")
    if stage.reason and stage.reason not in REASONS.get(stage.status, ()):
        raise MappingError(
            f"{where}.reason: “{stage.reason}” is not a reason for status “{stage.status}”"
            + (f" ({', '.join(REASONS[stage.status])})." if stage.status in REASONS else ".")
        )
    return stage


def parse_mapping(text: str, *, allowed: dict[str, set[str]] | None = None) -> Mapping:
    """Read a TOML mapping. ``allowed`` gives, per value-mapped field, the codes a value map may
    name (the service passes the vocabularies); a wrong one is an error naming its key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"The mapping file is not valid TOML: {exc}.") from exc
    unknown = set(data) - {"columns", "values", "options"}
    if unknown:
        raise MappingError(
            f"Unknown section [{sorted(unknown)[0]}]; use [columns], [values.<field>], [options]."
        )
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError("[columns] is missing: name which column holds which field.")
    mapped: dict[str, str] = {}
    headings: dict[str, str] = {}
    for heading, target in columns.items():
        if not isinstance(target, str) or target not in FIELDS:
            raise MappingError(
                f"columns.“{heading}”: “{target}” is not a field; choose from {', '.join(FIELDS)}."
            )
        if target != "ignore" and target in mapped.values():
            raise MappingError(
                f"columns.“{heading}”: another column is already mapped to {target}."
            )
        mapped[key(heading)] = target
        headings[key(heading)] = heading
    for needed in ("title", "commodity", "opened_on"):
        if needed not in mapped.values():
            raise MappingError(f"[columns] must map a column to {needed}.")
    mapping = Mapping(columns=mapped, headings=headings)
    mapping.values = {name: dict(spellings) for name, spellings in DEFAULT_VALUES.items()}
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise MappingError("[values] must be tables such as [values.stage].")
    for name, table in values.items():
        where = f"values.{name}"
        if name not in VALUE_MAPPED:
            raise MappingError(
                f"[{where}]: no value map for “{name}”; use {', '.join(VALUE_MAPPED)}."
            )
        if not isinstance(table, dict):
            raise MappingError(f"[{where}] must be a table of spelling = value.")
        for spelling, target in table.items():
            here = f"{where}.“{spelling}”"
            mapping.from_file.add(("stage" if name in ("phase", "status") else name, key(spelling)))
            if name in ("stage", "phase", "status"):
                mapping.stages[key(spelling)] = _stage_from(target, here)
                continue
            if not isinstance(target, str):
                raise MappingError(f"{here}: the value must be text.")
            codes = (allowed or {}).get(name)
            if name == "commodity" and codes is not None:
                codes = {key(c) for c in codes}
                wanted = key(target)
            else:
                wanted = target
            if codes is not None and wanted not in codes:
                raise MappingError(f"{here}: “{target}” is not in the {name} vocabulary.")
            mapping.values[name][key(spelling)] = target
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise MappingError("[options] must be a table.")
    for name, value in options.items():
        where = f"options.{name}"
        if name == "date_formats":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise MappingError(f'{where}: give a list of formats such as ["%m/%d/%Y"].')
            mapping.date_formats = [*value, *DATE_FORMATS]
        elif name == "list_separators":
            if not isinstance(value, str) or not value:
                raise MappingError(f'{where}: give the separator characters, e.g. ";,".')
            mapping.list_separators = value
        elif name == "sheet":
            if not isinstance(value, str):
                raise MappingError(f"{where}: give the worksheet's name.")
            mapping.sheet = value
        elif name == "header_row":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise MappingError(f"{where}: give the row number of the headings (1 or more).")
            mapping.header_row = value
        elif name == "received_from_opened":
            if not isinstance(value, bool):
                raise MappingError(f"{where}: true or false.")
            mapping.received_from_opened = value
        else:
            raise MappingError(
                f"Unknown option “{name}”; use date_formats, list_separators, sheet, header_row, "
                "received_from_opened."
            )
    return mapping
