"""Helpers the benchmarks share: percentiles and the local PostgreSQL server's throwaway databases."""

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_ADMIN = PG_SERVER + "postgres"


def percentile(samples, p):
    """The p-th percentile by nearest rank (what every table in docs/performance.md reports as p95)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def pg_recreate(name: str) -> str:
    """Drop and create database `name` on the local server; its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_SERVER + name


def pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
