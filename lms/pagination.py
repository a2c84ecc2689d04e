"""Paging a list by ``?page=`` the same way on every page that lists things."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest


def paginate(request: HttpRequest, items, *, per_page: int, allow_empty: bool = True) -> Page:
    """The page of ``items`` that ``?page=`` asks for; one that is not there is a 404.

    With ``allow_empty=False`` an empty list is a 404 too (an archive month without news).
    """
    paginator = Paginator(items, per_page, allow_empty_first_page=allow_empty)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
