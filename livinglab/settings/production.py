"""Production: everything secret or host-specific comes from the environment (docs/deploy.md, .env.example).

Refuses to start without `SECRET_KEY` or a valid public address (`WAGTAILADMIN_BASE_URL`). TLS ends at the proxy
(nginx or a load balancer), which says so in `X-Forwarded-Proto`; `manage.py check --deploy --fail-level WARNING`
passes with the documented environment.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_int, env_list, env_str

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

# The public address: links in e-mails, the sitemap, feeds and exports are built on it (cms/public_urls.py), so a
# forgotten value would send readers to the development default.
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL")
_public = urlsplit(WAGTAILADMIN_BASE_URL)
if _public.scheme not in ("http", "https") or not _public.hostname or _public.path not in ("", "/") or _public.query:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be set to the site's public address, scheme and host only "
        f"(e.g. https://livinglab.example.go.id); got {WAGTAILADMIN_BASE_URL!r}."
    )
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# The public host is allowed unless ALLOWED_HOSTS lists the hosts itself (add the names or addresses a load
# balancer's health check sends, when it sends any other).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_public.hostname]

# HTTPS. The proxy's header is trusted: gunicorn must only be reachable through it (deploy/gunicorn.conf.py).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check health over plain HTTP
# HSTS for a year, this host and its subdomains. Preloading is a promise for the whole registrable domain
# (example.go.id and every name under it), so it is the domain owner's decision: off unless asked for, and
# Django's reminder that it is off (security.W021) is silenced only while it is.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page may be framed. Wagtail's admin preview frames its own preview views, and those answer
# X-Frame-Options: SAMEORIGIN whatever this says (wagtail.utils.decorators.xframe_options_sameorigin_override),
# so the editor's live preview keeps working (tests/deploy/test_frames.py).
X_FRAME_OPTIONS = "DENY"

# E-mail goes out through SMTP (EMAIL_HOST, EMAIL_PORT, …). base.py's console default is for development; here
# another backend (console included) is used only when EMAIL_BACKEND names it.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or f"Living Lab <noreply@{_public.hostname}>"

# Search indexing runs in the background in production unless told otherwise (worker: `manage.py db_worker`).
SEARCH_INDEX_IN_BACKGROUND = env_bool("SEARCH_INDEX_IN_BACKGROUND", True)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if SEARCH_INDEX_IN_BACKGROUND
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# nginx stands in front of gunicorn (docs/deploy.md) and appends the client's address to X-Forwarded-For: the
# limits and the admin login lockout count that address, not nginx's.
LIVINGLAB_TRUSTED_PROXIES = env_int("TRUSTED_PROXY_COUNT", 1)

# Demo accounts with a public password and invented scores never reach a production database.
LIVINGLAB_DEMO_DATA_ALLOWED = False
