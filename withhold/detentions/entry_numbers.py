"""CBP entry numbers, as 19 CFR 142.3a(b) writes them: FFF-NNNNNNN-C.

FFF is the entry filer code CBP assigns (three letters or digits), NNNNNNN the seven-digit number
the broker or importer assigns, and C a check digit "computed from the first 10 characters based
on a formula provided by Customs" (CATAIR Appendix E). That formula is not reproduced here
because no authoritative text of it could be confirmed, so the check digit is validated as a
digit only — a mistyped entry number with a well-formed shape is accepted.
"""

import re

ENTRY_NUMBER_RE = re.compile(r"^([A-Z0-9]{3})-?(\d{7})-?(\d)$")
FORMAT_HINT = "AB1-1234567-8 (3-character filer code, 7 digits, check digit)"


def entry_number_normalise(value: str) -> str:
    """The entry number as FFF-NNNNNNN-C (upper case, hyphens placed), or the input stripped and
    upper-cased when it does not have that shape."""
    compact = re.sub(r"\s+", "", value or "").upper()
    match = ENTRY_NUMBER_RE.match(compact)
    if not match:
        return compact
    return "-".join(match.groups())


def entry_number_problem(value: str) -> str | None:
    """A message saying what is wrong with an entry number, or None if it has the right shape."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return "Enter the entry number."
    if not ENTRY_NUMBER_RE.match(compact):
        return f"“{value}” is not an entry number; write it as {FORMAT_HINT}."
    return None
