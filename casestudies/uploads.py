"""Uploads in the admin with a preview and a confirmation: the mechanics the self-assessment (penilaian mandiri) and
the case-study upload share (casestudies/upload_views.py).

1. The file is checked: its type by name and content (cms/forms.py: text really is UTF-8 text, an .xlsx really is
   a workbook within the unpacked-size limits) and its size (`LIVINGLAB_ADMIN_UPLOAD_MAX_BYTES`).
2. The preview runs the import on it without writing (every error with its line and field, or what each line would
   do). When it is clean the bytes are kept in the database (`PendingUpload`, so that any web process can take
   the confirmation) and the page carries a signed token naming the row, its kind, its uploader and the SHA-256 of
   the bytes previewed.
3. The confirmation hands the token back: a tampered or expired token (`LIVINGLAB_ADMIN_UPLOAD_CONFIRM_MINUTES`),
   another user's, a row already confirmed or bytes that no longer hash the same are refused with a message. The
   row is locked, the same import runs again on the same bytes and writes (all or nothing), and the row is deleted
   in the same transaction: a second confirmation finds nothing.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.forms import SNIFF_BYTES, content_matches_extension, zip_problem_message
from cms.zip_documents import ZIP_CONTAINERS, zip_container_problem

from .exchange import ImportValidationError
from .models import PendingUpload

CONFIRM_SALT = "livinglab.uploads.confirm"  # a signing namespace (not a secret)


class UploadRefused(Exception):
    """A confirmation that cannot be taken (its message says why, for the page)."""


def max_bytes() -> int:
    return settings.LIVINGLAB_ADMIN_UPLOAD_MAX_BYTES


def confirm_window() -> timedelta:
    return timedelta(minutes=settings.LIVINGLAB_ADMIN_UPLOAD_CONFIRM_MINUTES)


def upload_problem(upload, *, suffixes: tuple[str, ...]) -> str | None:
    """The one message that says why an uploaded file is refused, or None when its type and size are right."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in suffixes:
        return _("%(name)s bukan berkas %(kinds)s. Simpan berkasnya sebagai %(kinds)s lalu unggah lagi.") % {
            "name": upload.name,
            "kinds": _(" atau ").join(suffixes),
        }
    if not upload.size:
        return _("%(name)s kosong.") % {"name": upload.name}
    if upload.size > max_bytes():
        return _("%(name)s terlalu besar: %(size)s, batasnya %(limit)s.") % {
            "name": upload.name,
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(max_bytes()),
        }
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    extension = suffix.lstrip(".")
    if not content_matches_extension(upload.name, head):
        if extension in ZIP_CONTAINERS:
            return _(
                "%(name)s bukan buku kerja Excel (.xlsx). Buka di program lembar kerja dan simpan sebagai .xlsx."
            ) % {"name": upload.name}
        return _("%(name)s bukan berkas teks %(kind)s (UTF-8): isinya berkas jenis lain.") % {
            "name": upload.name,
            "kind": suffix,
        }
    if extension in ZIP_CONTAINERS:
        problem = zip_container_problem(upload, extension)
        upload.seek(0)
        if problem is not None:
            return zip_problem_message(problem, upload.name, extension)
    return None


# ---------------------------------------------------------------- keeping the previewed bytes


def upload_keep(*, kind: str, user, name: str, content: bytes, options: dict | None = None) -> str:
    """Keep a previewed file for its uploader; returns the token its confirmation hands back. Drops every kept
    file older than the confirmation window."""
    PendingUpload.objects.filter(created_at__lt=timezone.now() - confirm_window()).delete()
    digest = hashlib.sha256(content).hexdigest()
    pending = PendingUpload.objects.create(kind=kind, user=user, name=name[:255], content=content, sha256=digest)
    payload = {"id": pending.pk, "kind": kind, "user": user.pk, "sha256": digest, "options": options or {}}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def upload_take(*, token: str, kind: str, user) -> tuple[PendingUpload, dict]:
    """The kept file a confirmation names (locked until the transaction ends) and the options of its preview.

    Call inside a transaction that deletes the row once written. Raises UploadRefused.
    """
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_window())
    except signing.SignatureExpired:
        raise UploadRefused(
            _("Pratinjau ini sudah kedaluwarsa (lebih dari %(minutes)s menit). Unggah berkasnya lagi.")
            % {"minutes": settings.LIVINGLAB_ADMIN_UPLOAD_CONFIRM_MINUTES}
        ) from None
    except signing.BadSignature:
        raise UploadRefused(_("Konfirmasi ini tidak sah. Unggah berkasnya lagi.")) from None
    if not isinstance(payload, dict) or payload.get("kind") != kind or payload.get("user") != user.pk:
        raise UploadRefused(_("Konfirmasi ini tidak sah. Unggah berkasnya lagi."))
    pending = PendingUpload.objects.select_for_update().filter(pk=payload.get("id"), kind=kind, user=user).first()
    if pending is None:
        raise UploadRefused(_("Berkas ini sudah disimpan atau kedaluwarsa. Unggah berkasnya lagi bila perlu."))
    content = bytes(pending.content)
    if not payload.get("sha256") == pending.sha256 == hashlib.sha256(content).hexdigest():
        raise UploadRefused(_("Isi berkas tidak sama dengan yang ditinjau. Unggah berkasnya lagi."))
    return pending, payload.get("options") or {}


# ---------------------------------------------------------------- the view


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas"))


@dataclass
class UploadFlow:
    """What one upload screen does with a file: `preview` and `write` run the same import (dry run, then for real)
    on (name, bytes, options), raise ImportValidationError, and return the preview's context / the success message."""

    kind: str
    suffixes: tuple[str, ...]
    template: str
    preview: Callable[[str, bytes, dict], dict]
    write: Callable[[str, bytes, dict], str]
    options: Callable[[dict], dict] = lambda post: {}  # the preview's choices, from the upload's POST
    context: dict = field(default_factory=dict)


def upload_flow_view(request, flow: UploadFlow):
    """GET: the upload form. POST with a file: its preview (errors, or the changes and a confirm button). POST with a
    token: the confirmation (written, or why not)."""
    context = {**flow.context, "form": UploadForm(), "accept": ",".join(flow.suffixes), "max_bytes": max_bytes()}
    if request.method != "POST":
        return TemplateResponse(request, flow.template, context)
    if "token" in request.POST:
        return _confirm(request, flow, context)
    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return TemplateResponse(request, flow.template, context, status=400)
    upload = form.cleaned_data["file"]
    problem = upload_problem(upload, suffixes=flow.suffixes)
    if problem:
        form.add_error("file", problem)
        return TemplateResponse(request, flow.template, context, status=400)
    content = upload.read()
    options = flow.options(request.POST)
    context.update(file_name=upload.name, options=options)
    try:
        context.update(flow.preview(upload.name, content, options))
    except ImportValidationError as exc:
        context["errors"] = exc.errors
        return TemplateResponse(request, flow.template, context, status=400)
    context["token"] = upload_keep(
        kind=flow.kind, user=request.user, name=upload.name, content=content, options=options
    )
    return TemplateResponse(request, flow.template, context)


def _confirm(request, flow: UploadFlow, context: dict):
    try:
        with transaction.atomic():
            pending, options = upload_take(token=request.POST["token"], kind=flow.kind, user=request.user)
            context.update(file_name=pending.name, options=options)
            message = flow.write(pending.name, bytes(pending.content), options)
            pending.delete()
    except UploadRefused as exc:
        context["refused"] = str(exc)
        return TemplateResponse(request, flow.template, context, status=400)
    except ImportValidationError as exc:  # the data changed since the preview; nothing was written
        context["errors"] = exc.errors
        return TemplateResponse(request, flow.template, context, status=400)
    except IntegrityError:  # someone wrote the same rows meanwhile; nothing was written
        context["refused"] = _("Data yang sama baru saja disimpan orang lain; tidak ada yang ditulis. Coba lagi.")
        return TemplateResponse(request, flow.template, context, status=409)
    messages.success(request, message)
    return redirect(request.path)
