"""Admin: "Tanya daerah ini" — an officer asks another region about a case study or a step of an indicator; the
asked region's officers answer; moderators publish useful pairs on the case study's page (casestudies.questions).

Who sees a question: the officers of the two regions and the moderators; anyone else gets 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cms.rate_limits import hit, too_many_requests

from .models import CaseStudyPage, Framework, Indicator, Question, Region
from .models.questions import ANSWER_MAX, TEXT_MAX
from .models.taxonomy import is_step
from .questions import (
    PUBLISH_PERMISSION,
    VIEW_PERMISSION,
    ask_refusal,
    can_answer,
    can_publish,
    question_answer,
    question_ask,
    question_publish,
    question_withdraw,
)
from .selectors import region_of_user

LIST_LIMIT = 100


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Pertanyaan Anda"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Tanyakan hal yang tidak ada di halaman: biaya, regulasi, kendala, siapa yang dilibatkan. "
            "Jangan tulis data pribadi warga. Paling banyak 2.000 karakter."
        ),
    )
    name_asking_region = forms.BooleanField(
        label=Question._meta.get_field("name_asking_region").verbose_name,
        required=False,
        help_text=Question._meta.get_field("name_asking_region").help_text,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Jawaban"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Penanya menerima jawaban Anda lewat e-mail. Paling banyak 4.000 karakter."),
    )


def _rate_limited(request):
    """Questions are counted per officer (an account, wherever it signs in from), not per address."""
    decision = hit("question", f"user:{request.user.pk}")
    if decision.allowed:
        return None
    message = _("Anda sudah mengirim banyak pertanyaan hari ini.")
    return too_many_requests(request, decision, api=False, message=message)


def _ask(request, *, region: Region | None, case_study=None, indicator=None, step_from=None):
    asking_region = region_of_user(request.user)
    refusal = ask_refusal(asking_region=asking_region, region=region, case_study=case_study)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        if refused := _rate_limited(request):
            return refused
        try:
            question = question_ask(
                user=request.user,
                asking_region=asking_region,
                case_study=case_study,
                indicator=indicator,
                step_from=step_from,
                region=region,
                text=form.cleaned_data["text"],
                name_asking_region=form.cleaned_data["name_asking_region"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Pertanyaan terkirim ke %(region)s. Jawabannya dikirim ke e-mail Anda.") % {"region": region.name},
            )
            return redirect("question_detail", question.pk)
    context = {
        "form": form,
        "refusal": refusal,
        "region": region,
        "asking_region": asking_region,
        "case_study": case_study,
        "indicator": indicator,
        "step_from": step_from,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "casestudies/admin/question_ask.html", context, status=status)


@require_http_methods(["GET", "POST"])
def ask_about_case_study(request, page_id: int):
    case_study = get_object_or_404(CaseStudyPage.objects.live(), pk=page_id)
    return _ask(request, region=case_study.region, case_study=case_study)


@require_http_methods(["GET", "POST"])
def ask_about_step(request, number: int, start: int, end: int, code: str):
    indicator = Indicator.objects.filter(framework=Framework.current(), number=number).first()
    region = Region.objects.filter(code=code).first()
    if indicator is None or region is None or not is_step(start, end):
        raise Http404(_("Indikator, langkah atau daerah tidak dikenal."))
    return _ask(request, region=region, indicator=indicator, step_from=start)


def _visible(user, user_region):
    """The questions this user may read: their region's (asked or received); every one for moderators."""
    questions = Question.objects.select_related("region", "asking_region", "case_study", "indicator", "asked_by")
    if user.has_perm(VIEW_PERMISSION):
        return questions
    if user_region is None:
        return questions.none()
    return questions.filter(Q(region=user_region) | Q(asking_region=user_region))


def question_list(request):
    user_region = region_of_user(request.user)
    moderator = request.user.has_perm(VIEW_PERMISSION)
    if user_region is None and not moderator:
        raise PermissionDenied
    visible = _visible(request.user, user_region)
    context = {"region": user_region, "moderator": moderator}
    if user_region is not None:
        received = visible.filter(region=user_region)
        context["received_open"] = list(received.filter(answered_at__isnull=True).order_by("created_at")[:LIST_LIMIT])
        context["received_answered"] = list(
            received.filter(answered_at__isnull=False).order_by("-answered_at")[:LIST_LIMIT]
        )
        context["asked"] = list(visible.filter(asking_region=user_region).order_by("-created_at")[:LIST_LIMIT])
    if moderator:
        # Answered questions about case studies: the ones a moderator may publish, unpublished first.
        context["publishable"] = list(
            visible.filter(answered_at__isnull=False, case_study__isnull=False).order_by(
                F("published_at").desc(nulls_first=True), "-answered_at"
            )[:LIST_LIMIT]
        )
    return TemplateResponse(request, "casestudies/admin/question_list.html", context)


@require_http_methods(["GET", "POST"])
def question_detail(request, question_id: int):
    user_region = region_of_user(request.user)
    question = _visible(request.user, user_region).filter(pk=question_id).first()
    if question is None:
        if Question.objects.filter(pk=question_id).exists():
            raise PermissionDenied
        raise Http404
    answering = can_answer(question, user_region)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer}) if answering else None
    if form is not None and question.is_answered:
        form.fields["answer"].label = _("Ubah jawaban")
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            first = not question.is_answered
            try:
                question_answer(
                    question=question, user=request.user, user_region=user_region, answer=form.cleaned_data["answer"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                done = _("Jawaban terkirim ke penanya.") if first else _("Jawaban diperbarui.")
                messages.success(request, done)
                return redirect("question_detail", question.pk)
    context = {
        "question": question,
        "form": form,
        "can_publish": can_publish(question, request.user),
        "is_moderator": request.user.has_perm(PUBLISH_PERMISSION),
        "user_region": user_region,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "casestudies/admin/question_detail.html", context, status=status)


PUBLISH_ACTIONS = {"publish": question_publish, "withdraw": question_withdraw}


@require_POST
def question_publication(request, question_id: int, action: str):
    """A moderator publishes an answered question on its case study's page, or withdraws it."""
    question = get_object_or_404(Question.objects.select_related("case_study"), pk=question_id)
    if action not in PUBLISH_ACTIONS or not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    try:
        PUBLISH_ACTIONS[action](question=question, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("Tanya jawab terbit di halaman praktik baik.")
            if action == "publish"
            else _("Tanya jawab ditarik dari halaman praktik baik.")
        )
        messages.success(request, done)
    return redirect("question_detail", question.pk)
