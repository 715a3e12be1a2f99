"""The mapping assistant: reads a legacy sheet and proposes the mapping file a person then edits,
the way open-data upload cleaners work — each column's distinct values with counts, the field its
heading most likely names, and a value map for every coded column, fuzzy-matched against the
vocabularies, the users and the countries. Pure: what it matches against comes in a
``SuggestVocabulary`` the service builds.

Nothing here is imported as fact: the proposal is a file the user reads, corrects and passes to
the import, which uses only what the file says.
"""

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .legacy import parse_date
from .mapping import (
    DATE_FORMATS,
    DEFAULT_STAGES,
    DEFAULT_VALUES,
    FALSE_WORDS,
    LIST_SEPARATORS,
    TRUE_WORDS,
    key,
)

# Heading spellings per field, as case trackers write them. The first is the field's own name.
HEADINGS: dict[str, tuple[str, ...]] = {
    "legacy_number": (
        "legacy number",
        "case #",
        "case no",
        "case number",
        "case id",
        "id",
        "tracking number",
        "case",
    ),
    "title": ("title", "case title", "case name", "name of case", "subject"),
    "allegation_summary": (
        "allegation summary",
        "allegation",
        "summary",
        "description",
        "allegation description",
        "narrative",
    ),
    "commodity": ("commodity", "product", "merchandise", "goods", "commodity type", "industry"),
    "hts_code": ("hts code", "hts", "hs code", "hts number", "tariff number"),
    "source_country": ("source country", "country", "country of origin", "origin", "cty"),
    "source_region": ("source region", "region", "province", "state or province"),
    "referral_source": (
        "referral source",
        "source",
        "referral",
        "source of allegation",
        "how received",
        "allegation source",
    ),
    "received_on": ("received on", "date received", "received", "received date"),
    "opened_on": ("opened on", "date opened", "opened", "open date", "date initiated"),
    "stage": ("stage", "status/phase", "phase/status"),
    "phase": ("phase", "current phase", "case phase"),
    "status": ("status", "case status", "current status"),
    "phase_entered_on": (
        "phase entered on",
        "date entered phase",
        "entered phase",
        "phase date",
        "date of phase",
    ),
    "suspension_reason": (
        "suspension reason",
        "reason suspended",
        "reason for suspension",
        "why suspended",
        "suspended reason",
    ),
    "assigned_analyst": ("assigned analyst", "analyst", "case analyst", "assigned to", "lead"),
    "supervisor": ("supervisor", "manager", "branch chief", "supervisor name"),
    "manufacturer": (
        "manufacturer",
        "company",
        "producer",
        "factory",
        "target company",
        "manufacturer name",
    ),
    "importers": ("importers", "importer", "us importer", "importer of record", "u.s. importers"),
    "evidence_sources": ("evidence sources", "evidence", "sources of evidence", "evidence source"),
    "current_update": ("current update", "update", "latest update", "status update"),
    "update_on": ("update on", "update date", "date of update", "last updated"),
    "investigative_challenges": ("investigative challenges", "challenges", "obstacles"),
    "hsi_notified_on": (
        "hsi notified on",
        "date hsi notified",
        "hsi notification date",
        "hsi date",
    ),
    "hsi_notified": ("hsi notified", "hsi notified y/n", "hsi notified (y/n)", "hsi"),
    "hsi_case_reference": (
        "hsi case reference",
        "hsi case",
        "hsi case number",
        "hsi case #",
        "hsi reference",
    ),
    "priority": ("priority",),
    "caatsa": ("caatsa", "north korean labor"),
    "law_enforcement_sensitive": (
        "law enforcement sensitive",
        "les",
        "sensitive",
        "sensitivity",
        "le sensitive",
    ),
    "estimated_annual_import_value": (
        "estimated annual import value",
        "import value",
        "annual import value",
        "estimated import value",
        "value",
    ),
}
DATE_FIELDS = {"received_on", "opened_on", "phase_entered_on", "update_on", "hsi_notified_on"}
FLAG_FIELDS = {"caatsa", "law_enforcement_sensitive", "hsi_notified"}
HEADING_THRESHOLD = 86
VALUE_THRESHOLD = 82
SHOWN_VALUES = 12


@dataclass
class SuggestVocabulary:
    commodities: list[str]
    users: dict[str, list[tuple[str, str]]]  # field -> (username, full name) who may fill it
    country: Callable[[str], str | None]  # a spelling -> ISO code, or None
    codes: dict[str, list[tuple[str, str]]]  # field -> (code, label) of its vocabulary
    hs_chapters: dict[str, str]  # "30" -> "Pharmaceutical products"


@dataclass
class ColumnProfile:
    number: int  # 1-based column
    heading: str
    values: list[tuple[str, int]]  # distinct values, most frequent first
    filled: int
    empty: int
    fields: list[str] = field(default_factory=list)
    why: str = ""


@dataclass
class Suggestion:
    header_row: int
    columns: list[ColumnProfile]
    values: dict[str, dict[str, str]]  # field -> spelling -> TOML value text
    unmatched: dict[str, list[str]]  # field -> spellings nothing matched
    title_template: str = ""
    date_formats: list[str] = field(default_factory=list)

    def field_of(self, heading: str) -> list[str]:
        for column in self.columns:
            if column.heading == heading:
                return column.fields
        return []


def _heading_key(text: str) -> str:
    text = re.sub(r"\(\s*y\s*/\s*n\s*\)|\by\s*/\s*n\b|\?", " ", str(text), flags=re.IGNORECASE)
    return key(re.sub(r"[_\s]+", " ", text))


def _looks_like_dates(values: list[str]) -> bool:
    tried = [v for v in values if v][:50]
    return bool(tried) and sum(parse_date(v, DATE_FORMATS) is not None for v in tried) >= 0.6 * len(
        tried
    )


def _looks_like_flags(values: list[str]) -> bool:
    tried = [key(v) for v in values if v]
    return bool(tried) and sum(v in TRUE_WORDS | FALSE_WORDS for v in tried) >= 0.6 * len(tried)


def _find_header_row(table: list[list[str]]) -> int:
    """The first row, among the first ten, that names at least two fields (or, failing that,
    the first with two or more filled cells)."""
    for number, row in enumerate(table[:10], start=1):
        named = sum(1 for cell in row if _best_field(str(cell), set())[0])
        if named >= 2:
            return number
    for number, row in enumerate(table[:10], start=1):
        if sum(1 for cell in row if str(cell).strip()) >= 2:
            return number
    return 1


def _best_field(heading: str, taken: set[str]) -> tuple[str, int]:
    wanted = _heading_key(heading)
    if not wanted:
        return "", 0
    best, best_score = "", 0
    for name, spellings in HEADINGS.items():
        if name in taken:
            continue
        for spelling in (name.replace("_", " "), *spellings):
            score = 100 if wanted == spelling else int(fuzz.ratio(wanted, spelling))
            if score > best_score:
                best, best_score = name, score
    return (best, best_score) if best_score >= HEADING_THRESHOLD else ("", best_score)


def _initials(full_name: str) -> str:
    """ "Jordan Smith" -> "js"; a note in brackets ("(demo)") is not part of the name."""
    name = re.sub(r"\([^)]*\)", " ", full_name)
    return "".join(part[0] for part in re.findall(r"[A-Za-z]+", name)).casefold()


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _user_map(spelling: str, users: list[tuple[str, str]]) -> str | None:
    wanted = key(spelling)
    plain = re.sub(r"[^a-z]", "", wanted)
    if not plain:
        return None
    exact = [u for u, full in users if key(u) == wanted or key(full) == wanted]
    if exact:
        return None  # already a user name or full name: the import reads it as it is
    by_initials = [u for u, full in users if full and _initials(full) == plain]
    if len(by_initials) == 1:
        return by_initials[0]
    names = {u: key(full or u) for u, full in users}
    found = process.extractOne(wanted, names, scorer=fuzz.token_sort_ratio)
    if found and found[1] >= VALUE_THRESHOLD:
        return found[2]
    return None


def _vocab_map(spelling: str, choices: list[tuple[str, str]], defaults: dict[str, str]):
    """(code, exact) for a spelling: exact when the import already reads it (a code, a label,
    a built-in spelling), else the closest label above the threshold, else (None, False)."""
    wanted = key(spelling)
    for code, label in choices:
        if wanted in (key(code), key(label)):
            return code, True
    if wanted in defaults:
        return defaults[wanted], True
    labels = {code: key(label) for code, label in choices}
    labels.update({f"{code}\x1f{k}": k for k, code in defaults.items()})
    found = process.extractOne(wanted, labels, scorer=fuzz.token_set_ratio)
    if found and found[1] >= VALUE_THRESHOLD:
        return found[2].split("\x1f")[0], False
    return None, False


def _words(text: str) -> set[str]:
    return {w[:-1] if w.endswith("s") else w for w in re.findall(r"[a-z]{4,}", key(text))}


def _hs_chapter(name: str, chapters: dict[str, str]) -> str:
    """The one HS chapter whose description shares a word with the commodity's name
    ("Pharmaceuticals" -> 30 "Pharmaceutical products"), or "" when none or several do
    ("Chemicals": 28, 29 and 38): a chapter is proposed only when the words say so."""
    wanted = _words(name)
    found = [code for code, text in chapters.items() if wanted & _words(text)]
    return found[0] if len(found) == 1 else ""


def suggest_mapping(table: list[list[str]], vocab: SuggestVocabulary) -> Suggestion:
    header_row = _find_header_row(table)
    header = [str(c) for c in table[header_row - 1]] if table else []
    header_keys = [key(c) for c in header]
    body = [
        row
        for row in table[header_row:]
        if any(str(c).strip() for c in row) and [key(c) for c in row] != header_keys
    ]
    columns = []
    for i, heading in enumerate(header):
        cells = [str(row[i]).strip() if i < len(row) else "" for row in body]
        counts = Counter(c for c in cells if c)
        columns.append(
            ColumnProfile(
                number=i + 1,
                heading=heading,
                values=counts.most_common(),
                filled=sum(counts.values()),
                empty=len(cells) - sum(counts.values()),
            )
        )
    # Headings to fields, best match first, each field once; the cells settle date-or-flag.
    taken: set[str] = set()
    candidates = []
    for column in columns:
        name, score = _best_field(column.heading, set())
        if name:
            candidates.append((score, column, name))
    for score, column, name in sorted(candidates, key=lambda c: -c[0]):
        cells = [v for v, _ in column.values]
        if name == "hsi_notified" and _looks_like_dates(cells):
            name = "hsi_notified_on"
        if name == "hsi_notified_on" and _looks_like_flags(cells):
            name = "hsi_notified"
        if name in taken:
            name, score = _best_field(column.heading, taken)
            if not name:
                continue
        column.fields = [name]
        column.why = (
            "its heading names it" if score == 100 else f"its heading is {score}% like the field's"
        )
        taken.add(name)
    for column in columns:
        if not column.fields:
            column.why = "no field recognised"
    title_template = ""
    if "title" not in taken:
        parts = [f"{{{f}}}" for f in ("manufacturer", "commodity", "source_country") if f in taken]
        if len(parts) >= 2:
            title_template = " – ".join(parts)
        elif "legacy_number" in taken:
            for column in columns:
                if column.fields == ["legacy_number"]:
                    column.fields = ["legacy_number", "title"]
                    column.why += "; also the title (the sheet has no title column)"
    values: dict[str, dict[str, str]] = {}
    unmatched: dict[str, list[str]] = {}
    for column in columns:
        for name in column.fields:
            spellings = [v for v, _ in column.values]
            mapped, missing = _value_map(name, spellings, vocab)
            if mapped:
                values.setdefault(name, {}).update(mapped)
            if missing:
                unmatched.setdefault(name, []).extend(missing)
    date_formats = []
    for column in columns:
        if any(f in DATE_FIELDS for f in column.fields):
            for value, _ in column.values[:50]:
                if parse_date(value, DATE_FORMATS) is None and re.fullmatch(
                    r"\d{1,2}\.\d{1,2}\.\d{4}", value
                ):
                    date_formats = ["%d.%m.%Y"]
    return Suggestion(header_row, columns, values, unmatched, title_template, date_formats)


def _value_map(name: str, spellings: list[str], vocab: SuggestVocabulary):
    mapped: dict[str, str] = {}
    missing: list[str] = []
    if name == "source_country":
        for spelling in spellings:
            code = vocab.country(spelling)
            exact = code and (spelling.strip().upper() == code)
            if code and not exact:
                mapped[spelling] = _toml(code)
            elif not code:
                missing.append(spelling)
    elif name in ("assigned_analyst", "supervisor"):
        for spelling in spellings:
            users = vocab.users.get(name, [])
            username = _user_map(spelling, users)
            known = any(key(spelling) in (key(u), key(f)) for u, f in users)
            if username:
                mapped[spelling] = _toml(username)
            elif not known:
                missing.append(spelling)
    elif name == "commodity":
        names = {c: key(c) for c in vocab.commodities}
        for spelling in spellings:
            if key(spelling) in names.values():
                continue
            found = process.extractOne(key(spelling), names, scorer=fuzz.token_set_ratio)
            if found and found[1] >= VALUE_THRESHOLD:
                mapped[spelling] = _toml(found[2])
            elif chapter := _hs_chapter(spelling, vocab.hs_chapters):
                mapped[spelling] = f"{{ create = true, hs_code = {_toml(chapter)} }}"
            else:
                missing.append(spelling)
    elif name in ("stage", "phase", "status"):
        known = list(DEFAULT_STAGES)
        for spelling in spellings:
            wanted = key(spelling)
            if wanted in DEFAULT_STAGES or wanted.replace(" ", "_") in (
                "initiation",
                "investigation",
                "legal_review",
                "implementation",
            ):
                continue
            found = process.extractOne(wanted, known, scorer=fuzz.token_set_ratio)
            if found and found[1] >= VALUE_THRESHOLD:
                stage = DEFAULT_STAGES[found[0]]
                parts = [f"{k} = {_toml(v)}" for k, v in vars(stage).items() if v]
                mapped[spelling] = "{ " + ", ".join(parts) + " }"
            else:
                missing.append(spelling)
    elif name in FLAG_FIELDS:
        for spelling in spellings:
            if key(spelling) not in TRUE_WORDS | FALSE_WORDS:
                missing.append(spelling)
    elif name in vocab.codes or name in ("priority", "evidence_sources"):
        choices = vocab.codes.get(name, [])
        defaults = DEFAULT_VALUES.get(name, {})
        items = spellings
        if name == "evidence_sources":
            separators = f"[{re.escape(LIST_SEPARATORS)}]"
            parts = {p.strip() for s in spellings for p in re.split(separators, s)}
            items = sorted(parts - {""})
        for spelling in items:
            code, exact = _vocab_map(spelling, choices, defaults)
            if code and not exact:
                mapped[spelling] = _toml(code)
            elif not code:
                missing.append(spelling)
    return mapped, missing


def mapping_text(suggestion: Suggestion, *, file_name: str = "") -> str:
    """The proposal as a TOML mapping file, with comments saying what to check."""
    out = [
        f"# Mapping proposed for {file_name or 'the sheet'}: read it, correct it, then run a dry",
        "# run with it (docs/migration.md). Nothing below is imported until you pass this file.",
        "",
        "[columns]",
    ]
    for column in suggestion.columns:
        if not column.heading.strip():
            continue
        if column.fields:
            target = (
                _toml(column.fields[0])
                if len(column.fields) == 1
                else "[" + ", ".join(_toml(f) for f in column.fields) + "]"
            )
            out.append(f"{_toml(column.heading)} = {target}  # {column.why}")
        else:
            sample = ", ".join(v for v, _ in column.values[:3])
            out.append(
                f'{_toml(column.heading)} = "ignore"  # no field recognised; e.g. {sample[:60]}'
            )
    if suggestion.title_template:
        out += [
            "",
            "# The sheet has no title column: each case's title is composed from these.",
            "[title]",
            f"compose = {_toml(suggestion.title_template)}",
        ]
    for name in sorted(set(suggestion.values) | set(suggestion.unmatched)):
        out += ["", f"[values.{name}]"]
        if name == "commodity":
            out.append("# create = true adds a commodity to the list: check its HS chapter.")
        for spelling, value in sorted(suggestion.values.get(name, {}).items()):
            out.append(f"{_toml(spelling)} = {value}")
        for spelling in suggestion.unmatched.get(name, []):
            hint = {
                "law_enforcement_sensitive": "neither yes nor no: imported as sensitive until "
                "reviewed; map it to true or false",
                "caatsa": "neither yes nor no: map it to true or false",
                "hsi_notified": "neither yes nor no: map it to true or false",
                "suspension_reason": "not a reason of the list: imported as Other with these "
                "words kept as the detail, or map it to a reason",
                "assigned_analyst": "no single analyst has this name or these initials: give "
                "the user name",
                "supervisor": "no single supervisor has this name or these initials: give the "
                "user name",
            }.get(name, "no match found: map it by hand")
            if name == "commodity":
                out.append(
                    f'# {_toml(spelling)} = {{ create = true, hs_code = "NN" }}  (not on the '
                    "list: map it to a commodity of the list, or add it with its HS chapter)"
                )
                continue
            out.append(f"# {_toml(spelling)} = ?  ({hint})")
    options = []
    if suggestion.header_row != 1:
        options.append(f"header_row = {suggestion.header_row}")
    if suggestion.date_formats:
        options.append(f"date_formats = {json.dumps(suggestion.date_formats)}")
    if options:
        out += ["", "[options]", *options]
    return "\n".join(out) + "\n"


def profile_lines(suggestion: Suggestion) -> list[str]:
    """Each column as the assistant read it: heading, proposed field, and its values."""
    out = []
    for column in suggestion.columns:
        target = " + ".join(column.fields) or "—"
        out.append(
            f"column {column.number} “{column.heading}” → {target} ({column.why}); "
            f"{column.filled} filled, {column.empty} empty, {len(column.values)} distinct"
        )
        for value, count in column.values[:SHOWN_VALUES]:
            out.append(f"    {count:>5} × {value[:70]}")
        if len(column.values) > SHOWN_VALUES:
            out.append(f"    … {len(column.values) - SHOWN_VALUES} more")
    return out
