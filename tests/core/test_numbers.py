"""The one way text becomes a number (``core.numbers``): what a person means, nothing more."""

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from withhold.core.numbers import ID_MAX, MAX_DIGITS, NumberError, parse_decimal, parse_int

from ..hostile import PARSER_SETTINGS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        ("7", 7),
        (" 12 ", 12),
        ("+3", 3),
        ("-3", -3),
        ("1,000", 1000),
        ("12,345,678", 12345678),
        ("007", 7),
        (5, 5),
        (5.0, 5),  # a spreadsheet's numeric cell
        (Decimal("40"), 40),
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
    ],
)
def test_parse_int_reads_what_a_person_means(value, expected):
    assert parse_int(value, field="n") == expected


@pytest.mark.parametrize(
    "value",
    [
        "²",  # str.isdigit() says yes; int() says no
        "1²",
        "½",
        "٣",  # Arabic-Indic three: int() would read it
        "３",  # full-width three
        "१२",  # Devanagari
        "1.5",
        "1.0",
        "1e3",
        "0x10",
        "1_000",
        "1,00",
        "10,0000",
        ",100",
        "1 000",
        "--1",
        "+",
        "",
        "   ",
        "NaN",
        "inf",
        "one",
        "9" * (MAX_DIGITS + 1),
        None,
        True,
        1.5,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("2.5"),
        1e300,  # a spreadsheet's 1E+300
        pytest.param(10**5000, id="10**5000"),  # more digits than str() of an int allows
        [1],
    ],
)
def test_parse_int_refuses_what_is_not_a_whole_number(value):
    with pytest.raises(NumberError) as exc:
        parse_int(value, field="entry_line", row=7)
    assert str(exc.value).startswith("Row 7, column entry_line: ")
    assert exc.value.row == 7 and exc.value.field == "entry_line"


def test_parse_int_range_is_inclusive_and_named():
    assert parse_int("1", field="n", minimum=1, maximum=3) == 1
    assert parse_int("3", field="n", minimum=1, maximum=3) == 3
    with pytest.raises(NumberError, match=r"^Row 2, column n: 0 is less than 1\.$"):
        parse_int("0", field="n", row=2, minimum=1)
    with pytest.raises(NumberError, match=r"^n: 4 is more than 3\.$"):
        parse_int("4", field="n", maximum=3)


def test_the_message_quotes_the_value_and_says_what_to_use():
    with pytest.raises(NumberError) as exc:
        parse_int("²", field="entry_line", row=4)
    assert exc.value.problem == "“²” is not a whole number (use the digits 0-9)."
    assert exc.value.message == f"Row 4, column entry_line: {exc.value.problem}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", Decimal("0")),
        ("12.50", Decimal("12.50")),
        (" -3.25 ", Decimal("-3.25")),
        ("+7", Decimal("7")),
        (".5", Decimal("0.5")),
        ("5.", Decimal("5")),
        ("1,234.5", Decimal("1234.5")),
        ("1,000,000", Decimal("1000000")),
        (12, Decimal("12")),
        (0.1, Decimal("0.1")),  # as the cell shows it, not 0.1000000000000000055...
        (1234.5, Decimal("1234.5")),
        (Decimal("3.14"), Decimal("3.14")),
        # Found by exploration: more digits than decimal arithmetic's 28 once crashed.
        ("9" * MAX_DIGITS, Decimal("9" * MAX_DIGITS)),
        ("1" * 20 + "." + "1" * 10, Decimal("1" * 20 + "." + "1" * 10)),
    ],
)
def test_parse_decimal_reads_what_a_person_means(value, expected):
    number = parse_decimal(value, field="n")
    assert number == expected and number.is_finite()


@pytest.mark.parametrize(
    "value",
    [
        "²",
        "1.²",
        "٣.5",
        "３",
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "1e3",
        "1E+400",
        "1.2.3",
        ".",
        "",
        "1,00.5",
        "$12",  # a dollar sign only where currency is meant
        "12 USD",
        "1_000",
        "9" * (MAX_DIGITS + 1),
        None,
        False,
        float("nan"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("1e40"),
    ],
)
def test_parse_decimal_refuses_what_is_not_a_number(value):
    with pytest.raises(NumberError) as exc:
        parse_decimal(value, field="value_usd", row=3)
    assert str(exc.value).startswith("Row 3, column value_usd: ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("$12", Decimal("12.00")),
        ("$1,200.5", Decimal("1200.50")),
        ("-$5", Decimal("-5.00")),
        ("12 USD", Decimal("12.00")),
        ("usd 3", Decimal("3.00")),
        ("0.125", Decimal("0.13")),  # half up, as a person rounds
        ("0.124", Decimal("0.12")),
    ],
)
def test_currency_and_places(value, expected):
    assert parse_decimal(value, field="n", currency=True, places=2) == expected


@pytest.mark.parametrize("value", ["$", "USD", "$$1", "1 $", "€5", "$NaN", "$²"])
def test_currency_refusals(value):
    with pytest.raises(NumberError):
        parse_decimal(value, field="n", currency=True)


def test_decimal_range_is_checked_after_rounding():
    assert parse_decimal("9.994", field="n", places=2, maximum=Decimal("9.99")) == Decimal("9.99")
    with pytest.raises(NumberError, match="more than"):
        parse_decimal("9.995", field="n", places=2, maximum=Decimal("9.99"))
    with pytest.raises(NumberError, match="less than"):
        parse_decimal("-0.01", field="n", minimum=0)


def test_id_max_is_the_largest_database_integer():
    assert ID_MAX == 2**63 - 1


@PARSER_SETTINGS
@given(st.text(max_size=12))
@example("²")
@example("٣")
@example("1,000")
def test_parse_int_agrees_with_int_on_plain_digits_and_never_raises_anything_else(text):
    """For any text: a ``NumberError``, or the number ``int()`` reads from its ASCII digits."""
    try:
        number = parse_int(text, field="n")
    except NumberError:
        return
    plain = text.strip().replace(",", "")
    assert plain.isascii() and number == int(plain)


@PARSER_SETTINGS
@given(st.one_of(st.text(max_size=12), st.floats(), st.decimals()))
@example("NaN")
@example(float("inf"))
@example("9" * MAX_DIGITS)
def test_parse_decimal_is_finite_or_refuses(value):
    try:
        number = parse_decimal(value, field="n", places=2)
    except NumberError:
        return
    assert number.is_finite()
