"""What every JSON API endpoint of the site shares (API v1, composed in livinglab/api_v1.py): the error answer
`{"error": reason, "errors": {parameter: reason}}` in Indonesian or, under `?lang=en`, English; the `lang`
parameter; and the OpenAPI description of query parameters that our own code parses (search/params.py,
casestudies/api.py), so the schema says what the code accepts."""

import functools
import re
from typing import Literal

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ninja import Query, Schema

# The languages of the answers (settings.LANGUAGES; tests/api/test_errors.py checks they agree).
LANGUAGES = ("id", "en")
Language = Literal["id", "en"]
# An endpoint's `lang: Language = LANG` parameter (the language itself is switched by in_request_language).
LANG = Query("id", description="Language of labels, reasons and errors: id (Bahasa Indonesia, default) or en.")


class ApiError(Exception):
    """Raised by an endpoint: answered as `{"error": error, "errors": errors}` with `status`."""

    def __init__(self, status: int, error: str, errors: dict[str, str] | None = None):
        super().__init__(error)
        self.status, self.error, self.errors = status, error, errors or {}


class ErrorOut(Schema):
    """Every 4xx answer of the API."""

    error: str
    errors: dict[str, str]


def error_response(status: int, error: str, errors: dict[str, str] | None = None, **headers) -> JsonResponse:
    response = JsonResponse({"error": error, "errors": errors or {}}, status=status, json_dumps_params=UNICODE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


UNICODE = {"ensure_ascii": False}


def in_request_language(view):
    """Run `view` (and whatever error it answers) in the language of `?lang=` — Indonesian unless `en` — whatever
    the browser's Accept-Language says (the API lives outside the language-prefixed URLs). An unknown `lang` is
    refused by the endpoint's own parameter check, in Indonesian."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "id")
        with translation.override(lang if lang in LANGUAGES else "id"):
            return view(request, *args, **kwargs)

    return wrapper


def nul_parameters(params) -> list[str]:
    """The names of the query parameters with a NUL in their name or a value (cms.middleware.RefuseNulMiddleware)."""
    return sorted({name for name, values in params.lists() if any("\x00" in v for v in [name, *values])})


def validation_errors(details: list[dict]) -> tuple[str, dict[str, str]]:
    """django-ninja's (pydantic's) validation errors → the reason and one reason per parameter."""
    errors = {}
    for detail in details:
        name = str(detail["loc"][-1]) if detail.get("loc") else "request"
        errors.setdefault(name, _reason(detail))
    error = _("Bahasa tidak dikenal.") if set(errors) == {"lang"} else _("Parameter tidak valid.")
    return error, errors


def _reason(detail: dict) -> str:
    kind, context = detail.get("type", ""), detail.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        values = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return _("nilai yang dikenal: %(values)s") % {"values": ", ".join(values)}
    if kind == "missing":
        return _("wajib diisi")
    if kind.startswith("int_"):
        return _("harus bilangan bulat")
    return _("tidak valid")


def query_parameter(name: str, schema: dict, description: str, *, example=None, explode: bool | None = None) -> dict:
    """One query parameter of an operation's `openapi_extra`: parsed by our code from `request.GET`, described
    here from the same constants."""
    parameter = {"in": "query", "name": name, "required": False, "schema": schema, "description": description}
    if example is not None:
        parameter["example"] = example
    if explode is not None:
        parameter.update(style="form", explode=explode)
    return parameter


def integer(low: int, high: int, **extra) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high, **extra}


def integers(low: int, high: int, max_items: int) -> dict:
    """A repeated integer parameter (`indicator=1&indicator=2`; each value may also be a list, `1,2`)."""
    return {"type": "array", "items": integer(low, high), "maxItems": max_items}


def strings(max_length: int, max_items: int, *, enum=None) -> dict:
    item = {"type": "string", "enum": list(enum)} if enum else {"type": "string", "maxLength": max_length}
    return {"type": "array", "items": item, "maxItems": max_items}
