"""Production: everything secret or host-specific comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

# Search indexing runs in the background in production unless told otherwise (worker: `manage.py db_worker`).
SEARCH_INDEX_IN_BACKGROUND = env_bool("SEARCH_INDEX_IN_BACKGROUND", True)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if SEARCH_INDEX_IN_BACKGROUND
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# Demo accounts with a public password and invented scores never reach a production database.
LIVINGLAB_DEMO_DATA_ALLOWED = False
