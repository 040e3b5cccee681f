"""Questions between regions ("Tanya daerah ini"), the writes: ask, answer, publish or withdraw — each one
transaction, in Wagtail's audit log (on the question), with its e-mails sent after commit.

- An officer asks about a published case study (the question goes to the case study's region) or about a step of
  an indicator (to a region the officer picks, typically one that made the step). Never their own region, never a
  region without an active officer to answer.
- The asked region's officers answer (and may correct the answer until it is published); the asker is e-mailed.
- A moderator publishes an answered question about a case study on that case study's page, and can withdraw it;
  a reader's report on a published question that a moderator upholds withdraws it too (casestudies.reports).

Texts are plain: tags are stripped line by line (line breaks kept); templates escape what is left.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from cms.sanitize import plain_text

from .models import CaseStudyPage, Indicator, Question, Region
from .models.questions import ANSWER_MAX, TEXT_MAX
from .notifications import QUESTION_ANSWERED, QUESTION_ASKED, notify, officers_of_region

LOG_ASK = "livinglab.question.ask"
LOG_ANSWER = "livinglab.question.answer"
LOG_PUBLISH = "livinglab.question.publish"
LOG_WITHDRAW = "livinglab.question.withdraw"

PUBLISH_PERMISSION = "casestudies.change_question"
VIEW_PERMISSION = "casestudies.view_question"


def plain_lines(text: str | None) -> str:
    """Plain text with its line breaks: every line stripped of tags, runs of blank lines made one."""
    lines = [plain_text(line) for line in (text or "").splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def _text(value: str, *, limit: int, field: str) -> str:
    text = plain_lines(value)
    if not text:
        raise ValidationError({field: _("Tulis isinya dulu.")})
    if len(text) > limit:
        raise ValidationError({field: _("Paling banyak %(limit)d karakter.") % {"limit": limit}})
    return text


def ask_refusal(*, asking_region: Region | None, region: Region | None, case_study: CaseStudyPage | None = None):
    """Why this officer's region cannot ask `region` (about `case_study`), or None when it can."""
    if asking_region is None:
        return _("Hanya petugas daerah yang bisa bertanya, atas nama daerahnya.")
    if case_study is not None and not case_study.live:
        return _("Praktik baik ini belum terbit.")
    if region is None:
        return _("Praktik baik ini tidak tercatat milik satu daerah.")
    if region == asking_region:
        return _("Ini daerah Anda sendiri: tanyakan langsung kepada rekan Anda.")
    if not officers_of_region(region).exists():
        return _("%(region)s belum punya petugas aktif di Living Lab yang bisa menjawab.") % {"region": region.name}
    return None


@transaction.atomic
def question_ask(
    *,
    user,
    asking_region: Region | None,
    text: str,
    name_asking_region: bool = False,
    case_study: CaseStudyPage | None = None,
    indicator: Indicator | None = None,
    step_from: int | None = None,
    region: Region | None = None,
) -> Question:
    """Ask `case_study`'s region about it, or `region` about step `step_from` → `step_from + 1` of `indicator`."""
    if asking_region is None:
        raise PermissionDenied  # only a region's officers ask, in their region's name
    if case_study is not None:
        region, indicator, step_from = case_study.region, None, None
    elif indicator is None or step_from not in (1, 2, 3, 4) or region is None:
        raise ValidationError(_("Pilih praktik baik, atau indikator, langkah dan daerah yang ditanya."))
    if refusal := ask_refusal(asking_region=asking_region, region=region, case_study=case_study):
        raise ValidationError(refusal)
    question = Question(
        region=region,
        case_study=case_study,
        indicator=indicator,
        step_from=step_from,
        asking_region=asking_region,
        asked_by=user,
        text=_text(text, limit=TEXT_MAX, field="text"),
        name_asking_region=name_asking_region,
    )
    question.full_clean(exclude=["asked_by"])
    question.save()
    log(instance=question, action=LOG_ASK, user=user, data={"region": region.code, "from": asking_region.code})
    notify(QUESTION_ASKED, question.pk)  # the asked region's officers, once committed
    return question


def can_answer(question: Question, user_region: Region | None) -> bool:
    return user_region is not None and question.region_id == user_region.pk and not question.is_published


@transaction.atomic
def question_answer(*, question: Question, user, user_region: Region | None, answer: str) -> Question:
    """The asked region's officers answer; they may correct the answer until a moderator publishes it."""
    if user_region is None or question.region_id != user_region.pk:
        raise PermissionDenied
    if question.is_published:
        raise ValidationError(_("Tanya jawab ini sudah terbit; minta moderator menariknya sebelum mengubah jawaban."))
    first = not question.is_answered
    question.answer = _text(answer, limit=ANSWER_MAX, field="answer")
    question.answered_by = user
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    log(instance=question, action=LOG_ANSWER, user=user, data={"first": first})
    if first:
        notify(QUESTION_ANSWERED, question.pk)  # the asker, once committed
    return question


def can_publish(question: Question, user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION) and question.case_study_id is not None and question.is_answered


@transaction.atomic
def question_publish(*, question: Question, user) -> Question:
    """A moderator shows an answered question on its case study's page."""
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    if question.case_study_id is None:
        raise ValidationError(_("Hanya pertanyaan tentang satu praktik baik yang bisa diterbitkan di halamannya."))
    if not question.is_answered:
        raise ValidationError(_("Pertanyaan ini belum dijawab."))
    if not question.case_study.live:
        raise ValidationError(_("Praktik baiknya belum atau tidak lagi terbit."))
    if not question.is_published:
        question.published_at, question.published_by = timezone.now(), user
        question.save(update_fields=["published_at", "published_by"])
        log(instance=question, action=LOG_PUBLISH, user=user, data={"case_study": question.case_study_id})
    return question


@transaction.atomic
def question_withdraw(*, question: Question, user, reason: str = "") -> Question:
    """Take a published question off its case study's page (a moderator's decision, or an upheld report)."""
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    if question.is_published:
        question.published_at, question.published_by = None, None
        question.save(update_fields=["published_at", "published_by"])
        log(instance=question, action=LOG_WITHDRAW, user=user, data={"reason": reason} if reason else {})
    return question
