"""The learner's side of an assignment: save the draft, add and remove files, hand in,
download a file. Plain forms work without JavaScript; with it, the page's script sends
files one at a time (``file_upload``, JSON) and retries them on a broken link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments import selectors, services
from assignments.models import AssignmentPage
from courses.services import NotEnrolled


def _page(page_id: int) -> AssignmentPage:
    return get_object_or_404(AssignmentPage.objects.live(), pk=page_id)


@require_POST
@login_required
def work(request: HttpRequest, page_id: int) -> HttpResponse:
    """Save the text first, then each file, then hand in if asked: a refused file is
    reported and never costs the typed text."""
    page = _page(page_id)
    try:
        services.draft_save(learner=request.user, page=page, text=request.POST.get("text", ""))
        problems = []
        for upload in request.FILES.getlist("files"):
            try:
                services.file_add(learner=request.user, page=page, upload=upload)
            except ValidationError as error:
                problems.extend(error.messages)
        for problem in problems:
            messages.error(request, problem)
        if request.POST.get("action") == "submit" and not problems:
            try:
                services.submission_submit(learner=request.user, page=page)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("Your work is handed in. The trainer will read it."))
        elif not problems:
            messages.success(request, _("Your draft is saved."))
    except NotEnrolled:
        raise Http404 from None
    except services.NotOpen:
        raise PermissionDenied from None
    except services.NotEditable:
        messages.info(request, _("Your work is with the trainer: it cannot change now."))
    return redirect(page.get_url(request) + "#work")


@require_POST
@login_required
def file_upload(request: HttpRequest, page_id: int) -> JsonResponse:
    """One file, from the page's script: JSON with the file, or the reason it was
    refused (400). The script retries only on a broken connection, never on a 400."""
    page = _page(page_id)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("No file arrived. Try again.")}, status=400)
    try:
        stored = services.file_add(learner=request.user, page=page, upload=upload)
    except NotEnrolled:
        raise Http404 from None
    except services.NotOpen:
        raise PermissionDenied from None
    except services.NotEditable:
        return JsonResponse({"error": _("Your work is with the trainer.")}, status=409)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"id": stored.pk, "name": stored.name, "size": stored.size})


@require_POST
@login_required
def file_remove(request: HttpRequest, file_id: int) -> HttpResponse:
    try:
        services.file_remove(learner=request.user, file_id=file_id)
    except services.SubmissionFile.DoesNotExist:
        raise Http404 from None
    except services.NotEditable:
        raise PermissionDenied from None
    messages.success(request, _("The file is removed from your draft."))
    back = request.POST.get("page")
    page = AssignmentPage.objects.live().filter(pk=back).first() if back else None
    return redirect(page.get_url(request) + "#work" if page else "dashboard")


@require_GET
@login_required
def file_download(request: HttpRequest, file_id: int) -> FileResponse:
    """A handed-in or feedback file, for its learner, their cohort's trainers and staff
    (404 for anyone else), always as a download."""
    stored = selectors.file_for(user=request.user, file_id=file_id)
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
