"""Views of the public site that are not pages: posting a comment, replying, search."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from cms import page_cache, services
from cms.forms import CommentForm
from cms.models import ArticlePage, Comment

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 10


def paginate(request: HttpRequest, items, *, per_page: int, allow_empty: bool = True):
    """The page of ``items`` that ``?page=`` asks for; one that is not there is a 404.

    With ``allow_empty=False`` an empty list is a 404 too (an archive month without news).
    """
    paginator = Paginator(items, per_page, allow_empty_first_page=allow_empty)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error


def _article_with_form(request, article: ArticlePage, form, status: int, error: str = ""):
    response = article.render(
        request, context_overrides={"comment_form": form, "comment_error": error}
    )
    response.status_code = status
    return response


def comment_post(request: HttpRequest, *, article: ArticlePage) -> HttpResponse:
    """Take a comment (or a reply) for moderation, then back to the article."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _article_with_form(request, article, form, 400)
    data = form.cleaned_data
    try:
        services.comment_submit(
            article=article,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            parent_id=data["parent"],
            honeypot=data["website"],
            seconds_on_form=page_cache.seconds_since_started(request.POST.get("started", "")),
            request=request,
        )
    except services.CommentsClosed:
        return _article_with_form(
            request, article, form, 403, _("Comments on this article are closed.")
        )
    except services.CommentRateLimited:
        response = _article_with_form(
            request,
            article,
            form,
            429,
            _("You have sent several comments in a short time. Please try again later."),
        )
        response["Retry-After"] = "600"
        return response
    except ValidationError as error:
        form.add_error(None, error)
        return _article_with_form(request, article, form, 400)
    messages.success(
        request, _("Thank you. Your comment is awaiting moderation and will appear once approved.")
    )
    return redirect(f"{article.get_url(request)}#comments", permanent=False)


def comment_reply(request: HttpRequest, *, article: ArticlePage, comment_id: int) -> HttpResponse:
    """A page with one approved comment and a form to answer it."""
    if request.method not in ("GET", "HEAD") or not article.comments_open:
        raise Http404
    parent = (
        Comment.objects.filter(
            pk=comment_id, article=article, parent__isnull=True, status=Comment.Status.APPROVED
        )
        .only("id", "name", "body_html", "created_at")
        .first()
    )
    if parent is None:
        raise Http404("No such comment")
    form = CommentForm(initial={"parent": parent.pk})
    context = {"page": article, "self": article, "parent": parent, "comment_form": form}
    response = TemplateResponse(request, "cms/comment_reply.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the news and the course catalogue of the visitor's language.

    Only live, public articles and course overviews are searched: never lessons, tests
    or drafts, whoever asks.
    """
    from courses.models import CoursePage

    query = request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]
    # Words only: quotes and operators would reach the full-text engine's own syntax
    # (SQLite's FTS5 fails on a stray quote).
    words = " ".join(re.findall(r"\w+", query)[:SEARCH_MAX_WORDS])
    results = None
    if words:
        pages = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .type(ArticlePage, CoursePage)
        )
        results = paginate(request, pages.search(words), per_page=SEARCH_RESULTS_PER_PAGE)
        specific = {
            page.pk: page
            for page in Page.objects.filter(
                pk__in=[page.pk for page in results.object_list]
            ).specific()
        }
        results.object_list = [
            specific[page.pk] for page in results.object_list if page.pk in specific
        ]
    response = render(request, "cms/search.html", {"query": query, "results": results})
    response["X-Robots-Tag"] = "noindex"
    return response
