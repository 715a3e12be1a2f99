"""Follow-up codes: made at random, shown once, stored only as a keyed hash, compared in constant
time. A code has 100 random bits, so a keyed hash (HMAC with SECRET_KEY) is enough; a slow
password hash would add nothing but delay."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 5
GROUP_LENGTH = 4
_HMAC_SALT = "withhold.intake.follow-up-code"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def follow_up_code_new() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def follow_up_code_normalise(code: str) -> str:
    """Upper case, without spaces or dashes, with look-alike letters read as digits."""
    text = "".join((code or "").upper().split()).replace("-", "")
    return text.translate(_READ_AS)


def follow_up_code_hash(code: str) -> str:
    return salted_hmac(_HMAC_SALT, follow_up_code_normalise(code), algorithm="sha256").hexdigest()


def follow_up_code_matches(code: str, stored_hash: str) -> bool:
    return constant_time_compare(follow_up_code_hash(code), stored_hash or "")


def receipt_number_normalise(text: str) -> str:
    return "".join((text or "").upper().split())
