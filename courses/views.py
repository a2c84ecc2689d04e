"""Learner-facing views: marking done, joining, the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.models import Page, Site

from courses import selectors, services
from courses.forms import JoinCohortForm
from courses.models import CoursePage, LessonPage, ModulePage
from lms.page_generation import DrawnMemo, GenerationMemo, request_generation
from lms.selectors import learner_profile
from quizzes import selectors as quiz_selectors


@require_POST
@login_required
def lesson_done(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    try:
        services.lesson_complete(learner=request.user, lesson=lesson)
    except services.NotEnrolled:
        raise Http404 from None
    except services.NotReleased:
        raise PermissionDenied from None
    messages.success(request, _("Lesson marked as done."))
    next_item = (
        lesson.get_next_siblings().live().only("id", "url_path", "path").first()
        if request.POST.get("go") == "next"
        else None
    )
    return redirect((next_item or lesson).get_url(request))


@never_cache
@require_GET
@login_required
def offline_list(request: HttpRequest, page_id: int) -> JsonResponse:
    """The files "Save for offline use" downloads for a module or a course, with their
    sizes (JSON); 404 for anyone who may not open its lessons."""
    page = get_object_or_404(
        Page.objects.live().type(ModulePage, CoursePage).specific(), pk=page_id
    )
    contents = selectors.offline_contents(user=request.user, page=page)
    if contents is None:
        raise Http404
    return JsonResponse(contents)


@require_POST
@login_required
def join_cohort(request: HttpRequest) -> HttpResponse:
    form = JoinCohortForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrolment_join(
                learner=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request,
                _("You have joined %(cohort)s.") % {"cohort": enrolment.cohort.local_name},
            )
            return redirect("dashboard")
    return dashboard(request, join_form=form, status=400)


# Each deadline's line as the dashboard shows it, by everything it is drawn from; kept
# in the process while the page generation stands (its link follows the page's place).
# Learners of one cohort share the lines; the key holds no learner.
_deadline_memo = GenerationMemo(size=2048)


def _deadline_lines(*, request: HttpRequest, deadlines, titles: dict, overdue: bool) -> list:
    """``courses/includes/deadline_line.html`` for each deadline, with its course's title."""
    generation = request_generation(request)
    site = Site.find_for_request(request)
    lines = []
    for deadline in deadlines:
        course_title = titles.get(deadline.cohort_id, "")
        key = (
            get_language(),
            timezone.get_current_timezone_name(),
            site.pk if site is not None else None,
            deadline.page.pk,
            deadline.title,
            deadline.kind,
            deadline.required,
            deadline.due_at,
            course_title,
            overdue,
        )
        lines.append(
            _deadline_memo.get(
                key,
                lambda deadline=deadline, course_title=course_title: render_to_string(
                    "courses/includes/deadline_line.html",
                    {
                        "deadline": deadline,
                        "course_title": course_title,
                        "past_due": overdue,
                        "request": request,
                    },
                ),
                generation=generation,
            )
        )
    return lines


# The blank "Join a cohort" fields, by language: the same for everyone.
_blank_join_fields = DrawnMemo(size=16)


def _join_fields() -> str:
    return _blank_join_fields.get(
        get_language(),
        lambda: render_to_string("includes/form_fields.html", {"form": JoinCohortForm()}),
    )


def _dashboard_panels(request: HttpRequest) -> list:
    """What other apps show the learner (their certificates, say), each app adding its
    panels through the ``construct_learner_dashboard_panels`` hook, like Wagtail's
    ``construct_homepage_panels``: ``fn(request, panels)`` appends components with an
    ``order``."""
    panels: list = []
    for fn in hooks.get_hooks("construct_learner_dashboard_panels"):
        fn(request, panels)
    return sorted(panels, key=lambda panel: panel.order)


@login_required
def dashboard(request: HttpRequest, join_form=None, status: int = 200) -> HttpResponse:
    """The learner's home: their courses with progress, what to do next, how to join."""
    profile = learner_profile(user=request.user)
    enrolments = selectors.visible_enrolments(learner=request.user)
    localized = selectors.enrolled_courses(enrolments=enrolments, request=request)
    pairs = [(localized[enrolment.cohort.course_id], enrolment) for enrolment in enrolments]
    summaries = selectors.course_summaries(courses=pairs, request=request)
    dates = selectors.learner_dates(
        enrolments=enrolments,
        request=request,
        done={
            enrolment.pk: summary.done_keys
            for (_c, enrolment), summary in zip(pairs, summaries, strict=True)
        },
    )
    starts, met, titles = [], set(), {}
    now = timezone.now()  # one moment for every module's and item's release
    for (course, enrolment), progress in zip(pairs, summaries, strict=True):
        cohort_dates = dates.for_cohort(enrolment.cohort)
        for module in progress.modules:
            module.release = cohort_dates.release(module_key=module.page.translation_key, now=now)
            if module.required and module.done >= module.required:
                met.add(module.page.translation_key)
        if enrolment.completed_at is not None:  # nothing is due in a completed course
            met.update(d.key for d in dates.deadlines if d.cohort_id == enrolment.cohort_id)
        titles[enrolment.cohort_id] = course.title
        closed = selectors.closed_items(dates=cohort_dates, modules=progress.modules, now=now)
        starts.append((enrolment, course, closed))
    courses = [
        {"enrolment": enrolment, "course": course, "progress": progress, "continue_url": url}
        for (course, enrolment), progress, url in zip(
            pairs,
            summaries,
            selectors.continue_urls(starts=starts, request=request, summaries=summaries),
            strict=True,
        )
    ]
    due_next, overdue = dates.split(met=met, now=now)
    context = {
        "profile": profile,
        "courses": courses,
        "due_next": [(d, titles.get(d.cohort_id, "")) for d in due_next],
        "overdue": [(d, titles.get(d.cohort_id, "")) for d in overdue],
        "due_next_lines": _deadline_lines(
            request=request, deadlines=due_next, titles=titles, overdue=False
        ),
        "overdue_lines": _deadline_lines(
            request=request, deadlines=overdue, titles=titles, overdue=True
        ),
        "quiz_results": quiz_selectors.recent_results(user=request.user, limit=5),
        "panels": _dashboard_panels(request),
        "join_form": join_form or JoinCohortForm(),
        # a form sent back with its errors is drawn anew; a blank one comes as it was
        "join_fields": None if join_form is not None else _join_fields(),
    }
    return render(request, "courses/dashboard.html", context, status=status)
