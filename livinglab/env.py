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
