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
    "hsi_notified": "HSI notified (yes/no), when the sheet has no date",
    "suspension_reason": "why a suspended case is suspended (a reason of the list, or free text)",
    "phase_entered_on": "date the case entered its current phase",
    "importers": "U.S. importers' names, a list (linked as supply-chain entities)",
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
    "source_country",
    "assigned_analyst",
    "supervisor",
    "suspension_reason",
    "caatsa",
    "law_enforcement_sensitive",
    "hsi_notified",
)
# Yes/no columns; their value maps give true or false (or "yes"/"no").
FLAG_FIELDS = ("caatsa", "law_enforcement_sensitive", "hsi_notified")

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
REASONS["suspended"] = (*REASONS["suspended"], "not_recorded")
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
# What separates the items of a list cell (evidence sources) unless options.list_separators says.
LIST_SEPARATORS = ";,/"
TRUE_WORDS = {"yes", "y", "true", "t", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "f", "0", ""}


TITLE_FIELD_RE = re.compile(r"\{([a-z_]+)\}")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the line and the key."""


@dataclass(frozen=True)
class CommodityToCreate:
    """``[values.commodity] "Spelling" = { create = true, hs_code = "3004" }``: a commodity the
    controlled list lacks, added by the import (a supervisor's, audited)."""

    name: str
    hs_code: str
    sector: str = ""


@dataclass
class Mapping:
    columns: dict[str, list[str]]  # column heading (as ``key``) -> the fields it feeds
    headings: dict[str, str]  # column heading (as ``key``) -> heading as written in the mapping
    stages: dict[str, Stage] = field(default_factory=lambda: dict(DEFAULT_STAGES))
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=lambda: list(DATE_FORMATS))
    list_separators: str = LIST_SEPARATORS
    sheet: str = ""
    header_row: int = 1
    received_from_opened: bool = False
    title_template: str = ""  # ``[title] compose``: a title built from other fields
    commodities_to_create: dict[str, CommodityToCreate] = field(default_factory=dict)
    from_file: set[tuple[str, str]] = field(default_factory=set)  # (field, spelling) the file gave

    def source_of(self, name: str, spelling: str) -> str:
        """Where a spelling's meaning comes from, for the report: the file or the defaults."""
        return "value map" if (name, spelling) in self.from_file else "built-in map"

    def fields_for(self, heading: str) -> list[str]:
        return self.columns.get(key(heading), [])

    def heading_of(self, name: str) -> str:
        """The spreadsheet's heading of the column mapped to field ``name`` (or the field name)."""
        return next((self.headings[k] for k, f in self.columns.items() if name in f), name)

    @property
    def mapped_fields(self) -> set[str]:
        return {f for fields in self.columns.values() for f in fields if f != "ignore"}


_SECTION_RE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_KEY_RE = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """(section, key) -> line number of each ``key = value`` line, for error messages (``tomllib``
    gives values, not where they were written)."""
    where: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _SECTION_RE.match(line)
        if header:
            try:
                parts = tomllib.loads(f"[{header.group(1)}]\n")
            except tomllib.TOMLDecodeError:
                continue
            names = []
            while isinstance(parts, dict) and len(parts) == 1:
                name, parts = next(iter(parts.items()))
                names.append(name)
            section = ".".join(names)
            continue
        found = _KEY_RE.match(line)
        if found:
            try:
                name = next(iter(tomllib.loads(f"{found.group(1)} = 0\n")))
            except (tomllib.TOMLDecodeError, StopIteration):
                continue
            where.setdefault((section, name), number)
    return where


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


def _flag_from(value, where: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and key(value) in TRUE_WORDS | FALSE_WORDS:
        return "yes" if key(value) in TRUE_WORDS else "no"
    raise MappingError(f"{where}: give true or false (or “yes”/“no”).")


def _commodity_from(value, spelling: str, where: str, hs_problem) -> CommodityToCreate:
    unknown = set(value) - {"create", "hs_code", "sector"}
    if unknown:
        raise MappingError(
            f"{where}: unknown key “{sorted(unknown)[0]}” (create, hs_code, sector)."
        )
    create = value.get("create")
    if create is True:
        name = spelling.strip()
    elif isinstance(create, str) and create.strip():
        name = create.strip()
    else:
        raise MappingError(
            f'{where}: to add a commodity write {{ create = true, hs_code = "NNNN" }} '
            '(or create = "Its name").'
        )
    hs_code = re.sub(r"[\s.]", "", str(value.get("hs_code", "")))
    if not re.fullmatch(r"\d{2}|\d{4}", hs_code):
        raise MappingError(
            f"{where}.hs_code: give the HS chapter (2 digits) or heading (4 digits) of “{name}”."
        )
    problem = hs_problem(hs_code) if hs_problem else None
    if problem:
        raise MappingError(f"{where}.hs_code: {problem}")
    if len(name) > 120:
        raise MappingError(f"{where}.create: a commodity name has at most 120 characters.")
    return CommodityToCreate(name=name, hs_code=hs_code, sector=str(value.get("sector", ""))[:60])


def parse_mapping(
    text: str, *, allowed: dict[str, set[str]] | None = None, hs_problem=None
) -> Mapping:
    """Read a TOML mapping. ``allowed`` gives, per value-mapped field, the codes a value map may
    name (the service passes the vocabularies, user names and country codes); a wrong one is an
    error naming its line and key. ``hs_problem`` checks the HS code of a commodity to create."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"The mapping file is not valid TOML: {exc}.") from exc
    lines = _key_lines(text)

    def at(section: str, name: str) -> str:
        number = lines.get((section, name))
        return f"line {number}: " if number else ""

    unknown = set(data) - {"columns", "values", "options", "title"}
    if unknown:
        raise MappingError(
            f"Unknown section [{sorted(unknown)[0]}]; use [columns], [values.<field>], [title], "
            "[options]."
        )
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError("[columns] is missing: name which column holds which field.")
    mapped: dict[str, list[str]] = {}
    headings: dict[str, str] = {}
    fed_by: dict[str, str] = {}
    for heading, target in columns.items():
        where = f"{at('columns', heading)}columns.“{heading}”"
        targets = [target] if isinstance(target, str) else target
        if (
            not isinstance(targets, list)
            or not targets
            or not all(isinstance(t, str) for t in targets)
        ):
            raise MappingError(f'{where}: give a field, or a list of fields such as ["a", "b"].')
        for one in targets:
            if one not in FIELDS:
                raise MappingError(
                    f"{where}: “{one}” is not a field; choose from {', '.join(FIELDS)}."
                )
            if one != "ignore" and one in fed_by:
                raise MappingError(f"{where}: column “{fed_by[one]}” is already mapped to {one}.")
            fed_by.setdefault(one, heading)
        if key(heading) in mapped:
            raise MappingError(
                f"{where}: the same heading as “{headings[key(heading)]}” (headings are compared "
                "ignoring case, spaces and trailing punctuation); name each column once."
            )
        mapped[key(heading)] = [t for t in targets if t != "ignore"] or ["ignore"]
        headings[key(heading)] = heading
    mapping = Mapping(columns=mapped, headings=headings)
    title = data.get("title", {})
    if not isinstance(title, dict) or set(title) - {"compose"}:
        raise MappingError(
            f'{at("title", "compose")}[title]: the only key is compose = "{{manufacturer}} – '
            '{commodity}".'
        )
    if "compose" in title:
        template = title["compose"]
        where = f"{at('title', 'compose')}title.compose"
        names = TITLE_FIELD_RE.findall(template) if isinstance(template, str) else []
        if not names:
            raise MappingError(
                f'{where}: give text with fields in braces, e.g. "{{manufacturer}} – {{commodity}}".'
            )
        for name in names:
            if name not in mapping.mapped_fields:
                raise MappingError(f"{where}: {{{name}}} is not a field mapped in [columns].")
        mapping.title_template = template
    for needed in ("commodity", "opened_on"):
        if needed not in fed_by:
            raise MappingError(f"[columns] must map a column to {needed}.")
    if "title" not in fed_by and not mapping.title_template:
        raise MappingError(
            "[columns] must map a column to title, or [title] compose it from other columns, "
            'e.g. compose = "{manufacturer} – {commodity} ({source_country})".'
        )
    mapping.values = {name: dict(spellings) for name, spellings in DEFAULT_VALUES.items()}
    for name in VALUE_MAPPED:
        mapping.values.setdefault(name, {})
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
            here = f"{at(where, spelling)}{where}.“{spelling}”"
            mapping.from_file.add(("stage" if name in ("phase", "status") else name, key(spelling)))
            if name in ("stage", "phase", "status"):
                mapping.stages[key(spelling)] = _stage_from(target, here)
                continue
            if name in FLAG_FIELDS:
                mapping.values[name][key(spelling)] = _flag_from(target, here)
                continue
            if name == "commodity" and isinstance(target, dict):
                mapping.commodities_to_create[key(spelling)] = _commodity_from(
                    target, spelling, here, hs_problem
                )
                mapping.values[name][key(spelling)] = mapping.commodities_to_create[
                    key(spelling)
                ].name
                continue
            if not isinstance(target, str):
                raise MappingError(f"{here}: the value must be text.")
            codes = (allowed or {}).get(name)
            if codes is not None and name in ("commodity", "assigned_analyst", "supervisor"):
                codes = {key(c) for c in codes}
                wanted = key(target)
            elif codes is not None and name == "source_country":
                wanted = target.strip().upper()
                target = wanted
            else:
                wanted = target
            if codes is not None and wanted not in codes:
                what = {
                    "assigned_analyst": "a user name of an active user",
                    "supervisor": "a user name of an active user",
                    "source_country": "an ISO 3166 country code (e.g. CN)",
                }.get(name, f"in the {name} vocabulary")
                raise MappingError(f"{here}: “{target}” is not {what}.")
            mapping.values[name][key(spelling)] = target
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise MappingError("[options] must be a table.")
    for name, value in options.items():
        where = f"{at('options', name)}options.{name}"
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
                f"{where}: unknown option “{name}”; use date_formats, list_separators, sheet, "
                "header_row, received_from_opened."
            )
    return mapping
