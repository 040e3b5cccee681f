"""The one place settings read the environment.

Every variable is listed in `.env.example`. Nothing here has a secret default that
would be safe to forget in production: `production.py` refuses to start without them.
"""

import os

import dj_database_url


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(value: str) -> tuple[int, int]:
    """`COUNT/PERIOD` → (count, seconds): `5/1h`, `120/1m`, `30/600s`, `10/d` (a bare period counts as one unit,
    a bare number as seconds). Limits on repetition (cms/rate_limits.py) are written like this."""
    count, sep, period = value.strip().replace(" ", "").partition("/")
    unit = period[-1:].lower() if period[-1:].isalpha() else "s"
    amount = period[:-1] if period[-1:].isalpha() else period
    if not (sep and count.isascii() and count.isdigit() and unit in RATE_UNITS):
        raise ValueError(f"a rate is COUNT/PERIOD, like 5/1h or 120/1m; got {value!r}")
    if amount and not (amount.isascii() and amount.isdigit()):
        raise ValueError(f"a rate is COUNT/PERIOD, like 5/1h or 120/1m; got {value!r}")
    seconds = int(amount or 1) * RATE_UNITS[unit]
    if int(count) < 1 or seconds < 1:
        raise ValueError(f"a rate needs a count and a period of at least 1; got {value!r}")
    return int(count), seconds


# SQLite shared by several processes (the web server, `db_worker`, commands): readers never wait for a writer
# (WAL), a writer waits for another instead of failing with "database is locked" (timeout), and a transaction
# takes the write lock when it starts (IMMEDIATE), so it cannot fail half-way when it first writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_config(default_sqlite_path) -> dict:
    """`DATABASE_URL` if set (postgres://… in production), else the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL")
    config = (
        dj_database_url.parse(url, conn_max_age=60)
        if url
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config
