"""The learner's end-of-course survey: once, after completing the course, anonymous."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evaluations import selectors, services
from evaluations.forms import SurveyForm


@login_required
def survey(request: HttpRequest, course_key: UUID) -> HttpResponse:
    """The survey of a course the learner completed; 404 for anyone else. Once
    answered, it only thanks them (a second submit records nothing)."""
    invitation = selectors.invitation_for(user=request.user, course_key=course_key)
    if invitation is None:
        raise Http404
    context = {"survey": invitation.survey, "course_title": _course_title(invitation)}
    if invitation.answered:
        return render(request, "evaluations/answered.html", context)
    items = list(invitation.survey.items.all())
    form = SurveyForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                invitation=invitation, answers=form.answers(), language=get_language() or "ru"
            )
        except services.AlreadyAnswered:
            return render(request, "evaluations/answered.html", context)
        messages.success(request, _("Thank you! Your answers are saved anonymously."))
        return redirect("dashboard")
    status = 400 if form.is_bound else 200
    return render(request, "evaluations/survey.html", {**context, "form": form}, status=status)


def _course_title(invitation) -> str:
    key = invitation.survey.course_key
    return selectors.course_titles(keys=[key]).get(key, "")
