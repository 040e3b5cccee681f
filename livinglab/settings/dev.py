"""Local development: DEBUG on, a throwaway secret key, console email."""

import contextlib

from .base import *  # noqa: F403
from .base import env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["*"]
# A new dict, so base.STORAGES stays as production has it.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F403
