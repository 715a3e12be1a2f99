"""Reading a number a person wrote in a file, a form or a query string: the one way every parser
converts text to ``int`` or ``Decimal``. Pure: no database.

What is accepted is what a person means by a number, and nothing that only Python's ``int()`` or
``Decimal()`` happens to accept:

- the ASCII digits 0-9, with an optional leading ``+`` or ``-``, surrounding spaces ignored;
- thousands separators as commas, only where they group three digits (``1,000,000``; not
  ``1,00`` or ``10,0000``, which are more likely a mistyped decimal comma than a thousand);
- for a decimal, one ``.`` (``12.50``, ``.5``, ``5.``); with ``currency=True`` also a
  ``$`` after the sign and a ``USD`` before or after the amount (``$1,200.00``, ``1200 USD``);
- a spreadsheet's numeric cell as it comes from openpyxl: an ``int``; a ``float`` (a whole one only
  for ``parse_int``) or a ``Decimal``.

Refused, with a ``NumberError`` naming the row and the column: superscripts and fractions
(``²``, ``½``, which ``str.isdigit`` calls digits but ``int()`` refuses), digits of other scripts
(``٣``, full-width ``３``, which ``int()`` would quietly read: a port file or a query string with
them is more likely damaged than meant, so they are not normalised), exponents (``1e30``, which is
what a spreadsheet writes when it has already rounded a long number), ``NaN`` and ``Infinity``,
``True``/``False``, more than ``MAX_DIGITS`` digits, and anything else.
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The largest id the database holds (a 64-bit signed integer); a larger one in a query string or
# a form is refused before it reaches the database driver, which would fail on it.
ID_MAX = 2**63 - 1
MAX_DIGITS = 30  # more digits than any column holds; keeps a hostile cell from costing time

_GROUPED = r"[0-9]{1,3}(?:,[0-9]{3})+"
_INTEGER = re.compile(rf"([+-]?)({_GROUPED}|[0-9]+)", re.ASCII)
_DECIMAL = re.compile(rf"([+-]?)({_GROUPED}|[0-9]+)?(?:\.([0-9]*))?", re.ASCII)
_CURRENCY = re.compile(r"^(?:usd\s*)?([+-]?)\s*\$?\s*(.*?)\s*(?:usd)?$", re.IGNORECASE)


class NumberError(ValueError):
    """A value that is not the number asked for. ``problem`` says what is wrong with the value;
    ``message`` (and ``str()``) also names the row, when there is one, and the column."""

    def __init__(self, value, problem: str, *, field: str, row: int | None = None):
        self.value = value
        self.problem = problem
        self.field = field
        self.row = row
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"Row {self.row}, column {self.field}" if self.row is not None else self.field
        return f"{where}: {self.problem}"


def _shown(value) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _check_range(number, value, *, field, row, minimum, maximum):
    if minimum is not None and number < minimum:
        raise NumberError(value, f"{number} is less than {minimum}.", field=field, row=row)
    if maximum is not None and number > maximum:
        raise NumberError(value, f"{number} is more than {maximum}.", field=field, row=row)
    return number


def parse_int(
    value, *, field: str, row: int | None = None, minimum: int | None = None, maximum=None
) -> int:
    """The whole number ``value`` means (text, or a spreadsheet cell), within ``minimum`` and
    ``maximum`` (both inclusive) when given; ``NumberError`` otherwise."""

    def refuse(problem: str):
        raise NumberError(value, problem, field=field, row=row)

    if value is None or isinstance(value, bool):
        refuse("Enter a whole number." if value is None else f"“{value}” is not a whole number.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        finite = math.isfinite(value) if isinstance(value, float) else value.is_finite()
        if not finite or value != int(value):
            refuse(f"“{_shown(value)}” is not a whole number.")
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            refuse("Enter a whole number.")
        found = _INTEGER.fullmatch(text)
        if not found:
            refuse(f"“{_shown(text)}” is not a whole number (use the digits 0-9).")
        digits = found.group(2).replace(",", "")
        if len(digits) > MAX_DIGITS:
            refuse(f"“{_shown(text)}” has more than {MAX_DIGITS} digits.")
        number = int(found.group(1) + digits)
    else:
        refuse(f"“{_shown(value)}” is not a whole number.")
    if abs(number) >= 10**MAX_DIGITS:  # a spreadsheet cell of 1E+300
        refuse(f"The number has more than {MAX_DIGITS} digits.")
    return _check_range(number, value, field=field, row=row, minimum=minimum, maximum=maximum)


def parse_decimal(
    value,
    *,
    field: str,
    row: int | None = None,
    minimum=None,
    maximum=None,
    places: int | None = None,
    currency: bool = False,
) -> Decimal:
    """The finite decimal number ``value`` means, rounded half up to ``places`` decimal places
    when given, within ``minimum`` and ``maximum`` (inclusive, checked after rounding);
    ``NumberError`` otherwise. ``currency`` also accepts a ``$`` and ``USD``."""

    def refuse(problem: str):
        raise NumberError(value, problem, field=field, row=row)

    if value is None or isinstance(value, bool):
        refuse("Enter a number." if value is None else f"“{value}” is not a number.")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            refuse(f"“{value}” is not a number.")
        number = Decimal(repr(value))  # 0.1 as written in the cell, not its binary expansion
    elif isinstance(value, Decimal):
        if not value.is_finite():
            refuse(f"“{value}” is not a number.")
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            refuse("Enter a number.")
        amount = text
        if currency:
            found = _CURRENCY.fullmatch(text)
            amount = (found.group(1) + found.group(2)) if found else text
        found = _DECIMAL.fullmatch(amount)
        if not found or not (found.group(2) or found.group(3)):
            refuse(f"“{_shown(text)}” is not a number (use the digits 0-9 and one “.”).")
        whole = (found.group(2) or "0").replace(",", "")
        fraction = found.group(3) or ""
        if len(whole) + len(fraction) > MAX_DIGITS:
            refuse(f"“{_shown(text)}” has more than {MAX_DIGITS} digits.")
        # From text, exactly: arithmetic (quantize) would stop at the context's 28 digits.
        number = Decimal(f"{found.group(1)}{whole}" + (f".{fraction}" if fraction else ""))
    else:
        refuse(f"“{_shown(value)}” is not a number.")
    if number and number.adjusted() >= MAX_DIGITS:
        refuse(f"“{_shown(value)}” is too large.")
    if places is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            refuse(f"“{_shown(value)}” is too large.")
    return _check_range(number, value, field=field, row=row, minimum=minimum, maximum=maximum)
