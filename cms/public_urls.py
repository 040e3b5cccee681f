"""Absolute URLs on the site's public address, `WAGTAILADMIN_BASE_URL` (the one setting that names it).

Links that leave the site (sitemap, feeds, CSV and JSON exports, e-mails, OpenGraph tags) must not come from the
request's Host header (a proxy may send an internal name; a client may send anything ALLOWED_HOSTS lets through)
nor from the Wagtail Site record (a fresh site says `http://localhost`). The public address is an origin:
`https://livinglab.example.go.id`, without a path (production refuses anything else).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def public_base_url() -> str:
    """`scheme://host[:port]` of the public address, without a trailing slash."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def public_url(url: str) -> str:
    """`url` (a path, or an absolute URL of this site) on the public address: path, query and fragment kept.

    An absolute URL takes the public scheme and host: Wagtail builds full page URLs from its Site record, which
    this turns into the address readers use.
    """
    parts = urlsplit(url)
    base = urlsplit(public_base_url())
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))
