"""Query parameters and path values that become integers: ASCII decimal digits within bounds, nothing else.

`int()` accepts what no form or link sends ('٣', ' 3', '+3', '3_000') and refuses what `str.isdigit()` lets
through ('²', '²⁰²⁴'), and a number of more than 4,300 digits raises instead of answering: a caller that tested
with `isdigit()` and converted with `int()` answered 500. This is the one test and conversion."""

MAX_PK = 2**63 - 1  # the largest primary key (a bigint) a database can hold
# Leading zeros are allowed ("042" is 42) up to this many characters; no bound this code uses is longer.
MAX_DIGITS = 20


def ascii_int(raw: str | None, *, low: int, high: int) -> int | None:
    """`raw` as an int when it is ASCII digits only (no sign, no spaces) and `low <= value <= high`, else None."""
    if not raw or len(raw) > MAX_DIGITS or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if low <= value <= high else None
