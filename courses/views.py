"""Learner-facing views of the courses app."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lms.models import LearnerProfile


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The learner's home: who they are and, as courses arrive, where they stand."""
    profile = (
        LearnerProfile.objects.select_related("region").filter(user=request.user).first()
    )
    return render(request, "courses/dashboard.html", {"profile": profile})
