"""The anonymous answer page: the link's token is the only credential, and nothing else about
the person is read or kept."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from pulso.pulses import actions
from pulso.pulses.forms import AnswerForm


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = actions.open_invitation(token)
    except actions.InvalidToken:
        return render(request, "pulses/public_invalid.html", status=404)
    form = AnswerForm(request.POST or None, pulse=invitation.pulse)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_pulse_response(token, form.cleaned_data["enps"], form.scores())
        except actions.InvalidToken:
            return render(request, "pulses/public_invalid.html", status=404)
        return redirect("pulse_public:thanks")
    status = 422 if form.errors else 200
    context = {"pulse": invitation.pulse, "form": form}
    return render(request, "pulses/public_answer.html", context, status=status)


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "pulses/public_thanks.html")
