"""The news in the Wagtail admin: authors, categories, and the comment moderation queue."""

from __future__ import annotations

import django_filters
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import EditView, SnippetViewSetGroup

from base.viewsets import SnippetViewSet
from cms import services
from cms.forms import ModerationForm
from cms.models import ArticleCategory, Comment, Person
from lms.operations import BootstrapRefused


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "role", "locale"]
    search_fields = ["name", "role"]


class ArticleCategoryViewSet(SnippetViewSet):
    model = ArticleCategory
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "slug", "locale"]


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Comment.Status.choices, empty_label=_("Any status")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Written"), widget=DateRangePickerWidget
    )
    locale = django_filters.ChoiceFilter(
        label=_("Language"),
        field_name="article__locale__language_code",
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        empty_label=_("Any language"),
    )

    class Meta:
        model = Comment
        fields = ["status", "created_at", "locale"]


class CommentEditView(EditView):
    def save_instance(self):
        services.comment_moderate(
            comments=[self.object],
            status=self.form.cleaned_data["status"],
            moderator=self.request.user,
        )
        self.object.refresh_from_db()
        return self.object


def _excerpt(comment: Comment) -> str:
    return Truncator(comment.body).chars(80)


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    edit_view_class = CommentEditView
    filterset_class = CommentFilterSet
    list_per_page = 50
    ordering = ["-created_at"]
    search_fields = ["name", "email", "body"]
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="wagtailsnippets_cms_comment:edit"),
        Column("excerpt", label=_("Comment"), accessor=_excerpt),
        Column("article", label=_("Article")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Written")),
    ]
    list_export = ["name", "email", "body", "article", "status", "created_at", "ip_address"]
    edit_handler = ObjectList(
        [
            FieldPanel("article", read_only=True),
            FieldPanel("name", read_only=True),
            FieldPanel("email", read_only=True),
            FieldPanel("body", read_only=True),
            FieldPanel("created_at", read_only=True),
            FieldPanel("status"),
        ],
        base_form_class=ModerationForm,
    )

    def get_queryset(self, request):
        return Comment.objects.select_related("article")


class NewsViewSetGroup(SnippetViewSetGroup):
    items = (CommentViewSet, PersonViewSet, ArticleCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("News")
    menu_order = 250


hooks.register("register_admin_viewset")(lambda: NewsViewSetGroup())


class ModerateBulkAction(SnippetBulkAction):
    """Approve, reject or mark as spam every selected comment at once."""

    models = [Comment]
    status = ""
    template_name = "cms/admin/confirm_bulk_moderate.html"

    def check_perm(self, comment):
        return self.request.user.has_perm("cms.change_comment")

    @classmethod
    def execute_action(cls, objects, **kwargs):
        action = kwargs["self"]
        changed = services.comment_moderate(
            comments=objects, status=cls.status, moderator=action.request.user
        )
        return changed, 0

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "decision": self.display_name}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d comment changed.", "%(count)d comments changed.", num_parent_objects
        ) % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerateBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    status = Comment.Status.APPROVED
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectBulkAction(ModerateBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected comments")
    status = Comment.Status.REJECTED
    action_priority = 20


@hooks.register("register_bulk_action")
class SpamBulkAction(ModerateBulkAction):
    display_name = _("Spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    status = Comment.Status.SPAM
    action_priority = 25


@hooks.register("bootstrap_site")
def home_pages_bootstrapped(*, hostname: str, port: int):
    """``bootstrap_site`` (lms.operations) on a new database: the home pages in three
    languages, the default Site at ``hostname``:``port``."""
    try:
        return services.home_pages_ensure(hostname=hostname, port=port)
    except services.SiteNotEmpty as exc:
        raise BootstrapRefused(f"{exc}. bootstrap_site prepares an empty database only.") from exc
