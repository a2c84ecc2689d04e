"""Wagtail admin viewsets whose listings export safely: use these instead of Wagtail's
``ModelViewSet``/``SnippetViewSet`` for anything with ``list_export``, and subclass
``IndexView``/``SnippetIndexView`` for a custom listing (a test checks every viewset)."""

from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets import model
from wagtail.snippets.views import snippets

from base.exports import FormulaSafeExportMixin


class IndexView(FormulaSafeExportMixin, generic.IndexView):
    pass


class SnippetIndexView(FormulaSafeExportMixin, snippets.IndexView):
    pass


class ModelViewSet(model.ModelViewSet):
    index_view_class = IndexView


class SnippetViewSet(snippets.SnippetViewSet):
    index_view_class = SnippetIndexView
