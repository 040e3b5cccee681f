"""Settings shared by every environment; safe for production (DEBUG off, secrets from the environment)."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from csp.constants import NONCE, NONE, SELF

from livinglab.env import database_config, env_bool, env_int, env_list, env_str, parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "casestudies",
    "search",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Loads Django's Indonesian for `naturaltime` ("3 detik yang lalu"), which Wagtail's admin uses.
    "django.contrib.humanize",
    "csp",
    "axes",
    "ninja",  # API v1 (livinglab/api_v1.py): its docs page and the Swagger UI files it serves from our static
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (after `collectstatic`), compressed, hashed names cached for a year.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.middleware.CSPMiddleware",  # django-csp's, letting the admin frame page previews
    "cms.middleware.DataVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.middleware.RefuseNulMiddleware",  # after locale and auth: its 400 page is a page of the site
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our 429 page (cms/login_lockout.py).
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before any password is checked, then Django's own backend.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

ROOT_URLCONF = "livinglab.urls"
WSGI_APPLICATION = "livinglab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_nav",
            ],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}
# Where the data-version stamp lives, shared by every process (cms/data_version.py): a database row, or the
# shared cache when it is Redis. Never a process-local cache: other workers would answer from stale tables.
LIVINGLAB_DATA_VERSION_STORE = env_str("DATA_VERSION_STORE", "cache" if env_str("REDIS_URL") else "database")

# Limits on repetition (cms/rate_limits.py, docs/deploy.md "Limits on repetition"): COUNT/PERIOD per client
# address (and, for reports, per case study). Counted where every process sees them: the database by default,
# Redis when REDIS_URL is set (RATE_LIMIT_STORE). Above the limit the answer is 429 with Retry-After.
LIVINGLAB_RATE_LIMITS = {
    "report": parse_rate(env_str("RATE_LIMIT_REPORT", "5/1h")),  # reports of one case study from one address
    "csv": parse_rate(env_str("RATE_LIMIT_CSV", "30/1h")),  # CSV exports (open data and search), together
    "autocomplete": parse_rate(env_str("RATE_LIMIT_AUTOCOMPLETE", "120/1m")),  # a request per keystroke or so
    "question": parse_rate(env_str("RATE_LIMIT_QUESTION", "10/1d")),  # questions one officer asks other regions
}
LIVINGLAB_RATE_LIMIT_STORE = env_str("RATE_LIMIT_STORE", "cache" if env_str("REDIS_URL") else "database")
# How many proxies in front of the application append to X-Forwarded-For (nginx: 1; a load balancer before
# nginx: 2). 0 trusts no header: the client is REMOTE_ADDR. Used by the limits and the admin login lockout.
LIVINGLAB_TRUSTED_PROXIES = env_int("TRUSTED_PROXY_COUNT", 0)

# Admin login lockout (django-axes; attempts are rows of the database, shared by every process): after
# ADMIN_LOGIN_FAILURE_LIMIT failed sign-ins of one username from one address, that pair is refused for
# ADMIN_LOGIN_COOLOFF_MINUTES (every attempt meanwhile, the right password too, starts the wait again); a
# successful sign-in clears the count. Neither a colleague behind the same address nor a guesser elsewhere can
# lock an officer out.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.rate_limits.client_address"  # the same client address as the limits
AXES_LOCKOUT_CALLABLE = "cms.login_lockout.lockout_response"  # the sign-in page, a message in Indonesian, 429
AXES_ENABLE_ADMIN = False  # Django's admin is not installed (Wagtail's is the admin)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and .gz copies made by `collectstatic`; WhiteNoise serves them (dev and test: plain storage).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: console in development; production.py makes an unset EMAIL_BACKEND mean SMTP (EMAIL_* below).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if env_str("EMAIL_FILE_PATH"):  # the file backend's folder (the browser tests read invitations from it)
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds; Django's default waits forever for a silent SMTP server
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Living Lab <noreply@livinglab.local>")
# An officer's invitation link (casestudies/invitations.py) works once, for this many days.
LIVINGLAB_INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Uploads in the admin (penilaian mandiri, impor praktik baik): the largest file, and how long a preview may be
# confirmed (casestudies/uploads.py).
LIVINGLAB_ADMIN_UPLOAD_MAX_BYTES = env_int("ADMIN_UPLOAD_MAX_MB", 5) * 1024 * 1024
LIVINGLAB_ADMIN_UPLOAD_CONFIRM_MINUTES = env_int("ADMIN_UPLOAD_CONFIRM_MINUTES", 60)

# Wagtail
WAGTAIL_SITE_NAME = "Living Lab SPBE"
# The site's public address: admin links, e-mails, sitemap, feeds, exports, OpenGraph (cms/public_urls.py).
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The database backend, with queries reduced to their words (cms/wagtail_search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.wagtail_search"}}
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# Draftail with the sanitizer on both sides: it posts and opens only checked HTML (cms/rich_text_editor.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "cms.rich_text_editor.SanitizingDraftailRichTextArea"}}

# Uploads: an allow-list of document types and a size cap (type- and size-checked).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_MB", 20) * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", 10) * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128 * 1000 * 1000  # Wagtail's default, said here: cms/image_pixels.py names it
# Office/ODF documents are ZIP containers: refused when their entries add up to more than this once unpacked, or
# when they hold more entries than this (read from the archive's directory; nothing is extracted: cms/zip_documents.py).
LIVINGLAB_DOCUMENT_ZIP_MAX_UNCOMPRESSED = env_int("DOCUMENT_ZIP_MAX_UNCOMPRESSED_MB", 256) * 1024 * 1024
LIVINGLAB_DOCUMENT_ZIP_MAX_ENTRIES = env_int("DOCUMENT_ZIP_MAX_ENTRIES", 10_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
TAGGIT_CASE_INSENSITIVE = True
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.SafeDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.SafeImageForm"

# The peer link ("Belajar dari daerah yang sudah naik"): weights of the ranking score, see docs/peer-link.md.
LIVINGLAB_PEER_WEIGHTS = {
    "gain": 0.45,  # how much the peer improved (delta / 4)
    "similar_start": 0.25,  # how close the peer's starting point was to where the region is now
    "current": 0.15,  # how high the peer is now
    "same_type": 0.10,  # kabupaten↔kabupaten, kota↔kota (kabupaten↔kota counts half; province↔local none)
    "verified": 0.05,  # the peer has a case study whose level claim its scores confirm
}
# `load_demo_data` (public demo password, demo banner, invented scores): never in production (production.py).
LIVINGLAB_DEMO_DATA_ALLOWED = True
LIVINGLAB_PEER_WINDOW_YEARS = 2  # default span between the two evaluations compared
# No avatars from gravatar.com: the site must work on an intranet without outside requests.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Search (docs/search.md). Field weights: title > indicator names and tags > summary > body.
LIVINGLAB_SEARCH_WEIGHTS = {"title": 10.0, "indicators": 5.0, "tags": 5.0, "summary": 3.0, "body": 1.0}
LIVINGLAB_SEARCH_PEER_BOOST = 1.5  # text score × this for case studies of peers that improved on the aspect
# "database" (embedded: SQLite FTS5 / PostgreSQL full text) or "elasticsearch" (needs ELASTICSEARCH_URL).
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "elasticsearch" if env_str("ELASTICSEARCH_URL") else "database")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX = env_str("ELASTICSEARCH_INDEX", "livinglab-case-studies")
# Index changes inline (dev, tests, demo) or through the task queue (production: `manage.py db_worker`).
SEARCH_INDEX_IN_BACKGROUND = env_bool("SEARCH_INDEX_IN_BACKGROUND", False)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if SEARCH_INDEX_IN_BACKGROUND
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# Content-Security-Policy (django-csp) of the public site: this site's own scripts, styles, images, fonts and API
# only; no inline script, no style attribute (the dashboard's one inline <style>, the chart sizes, carries the
# response's nonce: cms/templatetags/livinglab_tags.py). Video embeds (cms.blocks, YouTube or Vimeo) frame their
# players. No page may be framed (as X-Frame-Options: DENY), except a page's preview by the admin's editor
# (cms/middleware.py). Wagtail's admin runs inline scripts and styles and is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
