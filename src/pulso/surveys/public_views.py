"""Public survey pages (no login): open link, per-unit link and personal invitation.

Server-rendered and usable without JavaScript: the flow goes page by page (see ``flow``),
partial answers are stored after every page, and the response is committed before the
thank-you page is shown. Forms are CSRF-exempt on purpose: there is no session to protect,
and respondents with blocked cookies or cached pages must still be able to answer; the
honeypot field and the per-IP rate limit guard against abuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from pulso.accounts.models import OrgUnit
from pulso.surveys import actions, flow
from pulso.surveys.answers import InvalidAnswers
from pulso.surveys.models import Branding, Channel, Invitation, Response, Survey, SurveyVersion
from pulso.surveys.public_lookup import public_survey
from pulso.surveys.ratelimit import limit_public_posts

LANGUAGES = ("es", "en")
HONEYPOT = "leave_blank"
PROGRESS_SALT = "pulso.surveys.progress"
PROGRESS_MAX_AGE = 7 * 24 * 3600
QUERY_CHANNELS = {"qr": Channel.QR, "kiosk": Channel.KIOSK}


@dataclass
class Respondent:
    """Who is answering which survey, through which link."""

    survey: Survey
    channel: str
    language: str
    org_unit: OrgUnit | None = None
    invitation: Invitation | None = None


def respondent_language(request: HttpRequest, preferred: str = "") -> str:
    """?lang=, else the customer's language, else the browser's; Spanish by default."""
    asked = (request.GET.get("lang") or "").lower()[:2]
    if asked in LANGUAGES:
        return asked
    if preferred in LANGUAGES:
        return preferred
    detected = (translation.get_language_from_request(request) or "es")[:2]
    return detected if detected in LANGUAGES else "es"


def _page(
    request: HttpRequest, template: str, language: str, status: int = 200, **context: Any
) -> HttpResponse:
    with translation.override(language):
        context |= {"branding": Branding.current(), "language": language}
        response = render(request, template, context, status=status)
    response.headers["Content-Language"] = language
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _page(request, "surveys/public/not_found.html", respondent_language(request), 404)


def _closed(request: HttpRequest, survey: Survey, language: str) -> HttpResponse:
    return _page(request, "surveys/public/closed.html", language, 410, survey=survey)


def _is_open(survey: Survey) -> bool:
    return survey.status == Survey.Status.LIVE and survey.current_version is not None


@csrf_exempt
@limit_public_posts
def open_survey(request: HttpRequest, token: str) -> HttpResponse:
    survey = public_survey(token)  # kept per process, checked on every request
    if survey is None:
        return _not_found(request)
    channel = QUERY_CHANNELS.get(request.GET.get("c", ""), Channel.LINK)
    return _answer(request, Respondent(survey, channel, respondent_language(request)))


@csrf_exempt
@limit_public_posts
def unit_survey(request: HttpRequest, token: str, code: str) -> HttpResponse:
    survey = public_survey(token)  # kept per process, checked on every request
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if survey is None or unit is None:
        return _not_found(request)
    if survey.org_unit is not None and not unit.is_within(survey.org_unit):
        return _not_found(request)
    channel = QUERY_CHANNELS.get(request.GET.get("c", ""), Channel.LINK)
    language = respondent_language(request)
    return _answer(request, Respondent(survey, channel, language, org_unit=unit))


@csrf_exempt
@limit_public_posts
def invitation_survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("customer", "org_unit", "survey__current_version")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return _not_found(request)
    language = respondent_language(request, invitation.customer.language)
    if invitation.status == Invitation.Status.ANSWERED:
        return _page(request, "surveys/public/already.html", language, survey=invitation.survey)
    if request.method != "POST":
        actions.do_mark_invitation_opened(invitation)
    respondent = Respondent(
        invitation.survey, invitation.channel, language, invitation.org_unit, invitation
    )
    return _answer(request, respondent)


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = Survey.objects.select_related("current_version").filter(public_token=token).first()
    if survey is None:
        return _not_found(request)
    language = respondent_language(request)
    version = survey.current_version
    text = version and ((version.thanks_en if language == "en" else "") or version.thanks_es)
    return _page(request, "surveys/public/thanks.html", language, survey=survey, text=text)


def _thanks_redirect(respondent: Respondent) -> HttpResponse:
    url = reverse("public:thanks", args=[respondent.survey.public_token])
    return redirect(f"{url}?lang={respondent.language}", permanent=False)


# --- The page-by-page flow --------------------------------------------------------------------


def _answer(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    if not _is_open(respondent.survey):
        return _closed(request, respondent.survey, respondent.language)
    with translation.override(respondent.language):
        if request.method == "POST":
            return _submit(request, respondent)
        partial = _invitation_partial(respondent)
        values = actions.stored_raw(partial) if partial else {}
        version = partial.version if partial else respondent.survey.current_version
        assert version is not None  # _is_open checked it
        return _render_page(request, respondent, version, 0, values, {}, partial)


def _invitation_partial(respondent: Respondent) -> Response | None:
    if respondent.invitation is None:
        return None
    return Response.objects.filter(invitation=respondent.invitation, is_complete=False).first()


def _progress_response(request: HttpRequest, respondent: Respondent) -> Response | None:
    """The response started on earlier pages (signed id in the form), if any."""
    try:
        pk = signing.loads(
            request.POST.get("progress", ""), salt=PROGRESS_SALT, max_age=PROGRESS_MAX_AGE
        )
    except signing.BadSignature:
        return _invitation_partial(respondent)
    return (
        Response.objects.select_related("version").filter(pk=pk, survey=respondent.survey).first()
    )


def _page_index(request: HttpRequest, count: int) -> int:
    try:
        return max(0, min(count - 1, int(request.POST.get("page", "0"))))
    except ValueError:
        return 0


def _submit(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    if request.POST.get(HONEYPOT, "").strip():
        return _thanks_redirect(respondent)  # a bot: pretend it worked, store nothing
    partial = _progress_response(request, respondent)
    if partial is not None and partial.is_complete:
        return _thanks_redirect(respondent)  # the final page was submitted twice
    version = partial.version if partial else respondent.survey.current_version
    assert version is not None
    pages = flow.split_pages(version.question_list())
    if not pages:
        return _closed(request, respondent.survey, respondent.language)
    stored = actions.stored_raw(partial) if partial else {}
    index = _page_index(request, len(pages))
    if "back" in request.POST:
        back = flow.previous_page(pages, index, stored)
        return _render_page(request, respondent, version, back, stored, {}, partial)
    raw = flow.raw_from_post(flow.visible(pages[index], stored), request.POST)
    try:
        return _advance(request, respondent, version, pages, index, stored, raw, partial)
    except InvalidAnswers as exc:  # nothing of this page was stored
        merged = stored | raw
        shown = flow.page_with_errors(pages, exc.errors, merged, index)
        return _render_page(request, respondent, version, shown, merged, exc.errors, partial)
    except actions.InvitationAlreadyUsed:
        survey = respondent.survey
        return _page(request, "surveys/public/already.html", respondent.language, survey=survey)


def _advance(
    request: HttpRequest,
    respondent: Respondent,
    version: SurveyVersion,
    pages: list[list[Any]],
    index: int,
    stored: dict[str, Any],
    raw: dict[str, Any],
    partial: Response | None,
) -> HttpResponse:
    """Store this page's answers once they are valid; show the next page, or complete and
    thank. Raises InvalidAnswers (and stores nothing) when the page is not valid."""
    values = flow.page_values(version, flow.visible(pages[index], stored), stored | raw)
    following = flow.next_page(pages, index, values)
    context: dict[str, Any] = {
        "channel": respondent.channel,
        "org_unit": respondent.org_unit,
        "invitation": respondent.invitation,
        "language": respondent.language,
        "response": partial,
        "audit": False,  # anonymous respondents: the response row is the record
    }
    if following is None:
        actions.do_record_response(respondent.survey, raw, complete=True, **context)
        return _thanks_redirect(respondent)
    partial = actions.do_save_partial_response(respondent.survey, raw, **context)
    stored = actions.stored_raw(partial)
    return _render_page(request, respondent, version, following, stored, {}, partial)


def _render_page(
    request: HttpRequest,
    respondent: Respondent,
    version: SurveyVersion,
    index: int,
    values: dict[str, Any],
    errors: dict[str, str],
    partial: Response | None,
) -> HttpResponse:
    pages = flow.split_pages(version.question_list())
    shown = flow.visible(pages[index], values) if pages else []
    context = page_context(version, shown, values, errors, respondent.language)
    context |= {
        "anonymous": respondent.survey.anonymous,
        "page": index,
        "has_previous": index > 0,
        "has_next": index < len(pages) - 1,
        "progress": signing.dumps(partial.pk, salt=PROGRESS_SALT) if partial else "",
        "switch_url": _language_switch_url(request, respondent.language),
        "honeypot": HONEYPOT,
    }
    status = 400 if errors else 200
    return _page(request, "surveys/public/form.html", respondent.language, status, **context)


def page_context(
    version: SurveyVersion,
    questions: list[Any],
    values: dict[str, Any],
    errors: dict[str, str],
    language: str,
) -> dict[str, Any]:
    """Title, introduction and question views of one page, in ``language``."""
    english = language == "en"
    views = [
        flow.question_view(q, values.get(q.key), errors.get(q.key, ""), language) for q in questions
    ]
    shown_keys = {q.key for q in questions}
    return {
        "version": version,
        "title": (version.title_en if english else "") or version.title_es,
        "intro": (version.intro_en if english else "") or version.intro_es,
        "questions": views,
        "other_errors": [msg for key, msg in errors.items() if key not in shown_keys],
        "error_count": len(errors),
    }


def _language_switch_url(request: HttpRequest, language: str) -> str:
    query = request.GET.copy()
    query["lang"] = "en" if language == "es" else "es"
    return f"{request.path}?{query.urlencode()}"
