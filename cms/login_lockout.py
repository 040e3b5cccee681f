"""The admin sign-in page when django-axes has locked a username and address out (`AXES_LOCKOUT_CALLABLE`).

Axes lets the login view answer (its form says the password was wrong) and then asks for the lockout answer:
the same sign-in page, its one error replaced by why and for how long, with status 429 and `Retry-After`. Every
attempt during the lockout starts the wait again (axes' default), so the wait is the whole cool-off time.
"""

from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .rate_limits import wait_text


def lockout_message() -> str:
    wait = wait_text(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return _(
        "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini dari alamat Anda. "
        "Demi keamanan, coba lagi dalam %(wait)s."
    ) % {"wait": wait}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    message = lockout_message()
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None:
        form.errors.clear()  # "wrong password" would be misleading: the password was not even checked
        form.errors[NON_FIELD_ERRORS] = form.error_class([message])
        response = TemplateResponse(request, original_response.template_name, context, status=429)
        response.render()
    else:
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=429)
    response["Retry-After"] = str(seconds)
    return response
