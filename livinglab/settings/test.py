"""Test settings: fast hasher, locmem cache and email, plain static storage."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A new dict: base.STORAGES stays production's (tests/deploy/test_static_files.py uses it).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Tests run without `collectstatic`: WhiteNoise looks files up per request instead of scanning a STATIC_ROOT that
# does not exist (tests/deploy/test_static_files.py collects into a temporary one and serves as production does).
WHITENOISE_AUTOREFRESH = True
# Limits on repetition that unrelated tests never reach; tests of the limits set their own (override_settings).
LIVINGLAB_RATE_LIMITS = dict.fromkeys(LIVINGLAB_RATE_LIMITS, (100_000, 3600))  # noqa: F405
LIVINGLAB_RATE_LIMIT_STORE = "database"
# Django's test client signs in (`client.login`) without a request, which axes' backend refuses; this one lets
# that through and checks every real sign-in (the login form, the browser tests) as production does.
AUTHENTICATION_BACKENDS = ["tests.auth_backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
