"""The data-version stamp's row: one counter every process reads (cms.data_version)."""

from django.db import models


class DataVersion(models.Model):
    """A single row (id 1) whose counter grows with every committed change to what derived reads depend on.

    Kept in the database so that every process — gunicorn workers, `db_worker`, management commands, several
    machines — sees the same stamp with nothing else to run; with `REDIS_URL` the stamp lives in Redis instead.
    """

    counter = models.BigIntegerField(default=0)

    def __str__(self):
        return f"data version {self.counter}"
