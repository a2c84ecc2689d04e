"""The "Quizzes" menu of the Wagtail admin: quizzes, the question bank, results."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.admin.widgets.button import MenuItem as ButtonMenuItem

from base.menus import PermissionMenuItem
from base.viewsets import IndexView, ModelViewSet
from notifications.events import Event
from quizzes import admin_views, forms, i18n, selectors, services
from quizzes.models import Category, Question, Quiz, Scale

# Inline panels that keep their order ------------------------------------------------


class SortOrderChildFormSet(BaseChildFormSet):
    """Writes the order the items were arranged in into their ``sort_order`` field."""

    def save(self, commit=True):
        if self.can_order:
            for index, form in enumerate(self.ordered_forms):
                form.instance.sort_order = index
        return super().save(commit=commit)


class OrderedInlinePanel(InlinePanel):
    """An InlinePanel for child models with a ``sort_order`` field but no
    ``sort_order_field`` declaration (Choice, QuizSlot): items can be moved up and
    down, and the order is saved. ``form`` gives the child forms a base class."""

    def __init__(self, *args, form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child_form = form

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "form": self.child_form}

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        formset["can_order"] = True
        formset["formset"] = SortOrderChildFormSet
        if self.child_form is not None:
            formset["form"] = self.child_form
        return options


# Texts in three languages -----------------------------------------------------------


def per_language(*fields: str) -> list[MultiFieldPanel]:
    """A group per language (kk, ru, en) holding that language's column of each field,
    so a trainer writes or checks one language at a time."""
    return [
        MultiFieldPanel([FieldPanel(f"{field}_{code}") for field in fields], heading=name)
        for code, name in settings.LANGUAGES
    ]


def columns_of(*fields: str) -> list[FieldPanel]:
    """Each field's columns side by side (kk, ru, en): for the short texts of a choice."""
    return [FieldPanel(column) for field in fields for column in i18n.columns(field)]


# The question bank ----------------------------------------------------------------


class CategoryNamesMixin:
    """Listings that name categories, in rows and in a filter's choices, with their
    parents (Budget › Revenues): the parents come in the same query."""

    category_filter = ""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(self.category_path)

    @cached_property
    def filters(self):
        filters = super().filters
        if filters is not None and self.category_filter in filters.form.fields:
            filters.form.fields[self.category_filter].queryset = forms.categories_with_parents()
        return filters


class CategoryIndexView(CategoryNamesMixin, generic.IndexView):
    category_path = "parent__parent__parent"
    category_filter = "parent"


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    url_prefix = "quizzes/categories"
    index_view_class = CategoryIndexView
    list_display = ["name", "parent", "description"]
    search_fields = [*i18n.columns("name"), *i18n.columns("description")]
    list_filter = ["parent"]
    edit_handler = ObjectList(
        [FieldPanel("parent"), *per_language("name", "description")],
        base_form_class=forms.CategoryForm,
    )


class QuestionIndexView(CategoryNamesMixin, IndexView):
    category_path = "category__parent__parent"
    category_filter = "category"


CHOICE_PANELS = [
    *columns_of("text"),
    FieldPanel("fraction"),
    *columns_of("feedback"),
    FieldPanel("scale"),
]
ACCEPTED_ANSWER_PANELS = [
    *columns_of("text"),
    FieldPanel("tolerance"),
    FieldPanel("fraction"),
    *columns_of("feedback"),
]


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    url_prefix = "quizzes/questions"
    index_view_class = QuestionIndexView
    copy_view_enabled = False  # the copy would not carry the choices over
    list_display = ["name", "category", "type", "default_mark", "updated_at"]
    list_filter = ["category", "type"]
    search_fields = ["name", *i18n.columns("text")]
    list_export = ["name", "category", "type", "text", "default_mark"]
    edit_handler = ObjectList(
        [
            FieldPanel("category"),
            FieldPanel("type"),
            FieldPanel("name"),
            FieldPanel("default_mark"),
            *per_language("text", "feedback_correct", "feedback_incorrect", "explanation"),
            MultiFieldPanel(
                [
                    FieldPanel("shuffle_choices"),
                    FieldPanel("correct_bool"),
                    FieldPanel("rating_max"),
                    FieldPanel("rating_points"),
                ],
                heading=_("Options of some question types"),
            ),
            OrderedInlinePanel(
                "choices",
                panels=CHOICE_PANELS,
                form=forms.ChoiceForm,
                heading=_("Choices"),
                label=_("Choice"),
                help_text=_("For single choice, multiple response and self-assessment questions."),
            ),
            OrderedInlinePanel(
                "accepted_answers",
                panels=ACCEPTED_ANSWER_PANELS,
                form=forms.AcceptedAnswerForm,
                heading=_("Accepted answers"),
                label=_("Accepted answer"),
                help_text=_("For short-answer and numeric questions."),
            ),
        ],
        base_form_class=forms.QuestionForm,
    )


class ScaleViewSet(ModelViewSet):
    model = Scale
    icon = "sliders"
    menu_label = _("Scales")
    url_prefix = "quizzes/scales"
    list_display = ["name", "description"]
    search_fields = i18n.columns("name")
    edit_handler = ObjectList(per_language("name", "description"), base_form_class=forms.ScaleForm)


# Quizzes --------------------------------------------------------------------------


def _preview_url(quiz) -> str:
    return reverse("quizzes_quiz:preview", args=[quiz.pk])


class QuizIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ButtonMenuItem(
                _("Preview as a learner"), url=_preview_url(instance), icon_name="view", priority=5
            )
        )
        if admin_views.may_see_item_statistics(self.request.user):
            buttons.append(
                ButtonMenuItem(
                    _("Item statistics"),
                    url=reverse("quizzes_quiz:statistics", args=[instance.pk]),
                    icon_name="table",
                    priority=6,
                )
            )
        return buttons


class QuizEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                _("Preview as a learner"),
                url=_preview_url(self.object),
                icon_name="view",
                priority=10,
            )
        ]
        if admin_views.may_see_item_statistics(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Item statistics"),
                    url=reverse("quizzes_quiz:statistics", args=[self.object.pk]),
                    icon_name="table",
                    priority=20,
                )
            )
        return buttons


SLOT_PANELS = [
    FieldPanel("question"),
    FieldPanel("random_category"),
    FieldPanel("random_count"),
    FieldPanel("include_subcategories"),
    FieldPanel("mark"),
]


class QuizViewSet(ModelViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Quizzes")
    url_prefix = "quizzes/quizzes"
    index_view_class = QuizIndexView
    edit_view_class = QuizEditView
    copy_view_enabled = False  # the copy would not carry the questions over
    list_display = [
        "title",
        "kind",
        BooleanColumn("published", label=_("Published")),
        "pass_mark",
        Column("attempts_allowed", label=_("Attempts allowed")),
        TitleColumn(
            "preview",
            label=_("Preview"),
            get_url=_preview_url,
            accessor=lambda quiz: _("Preview as a learner"),
        ),
    ]
    list_filter = ["kind", "published"]
    search_fields = [*i18n.columns("title"), *i18n.columns("description")]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("published"),
                    FieldPanel("shuffle_questions"),
                    FieldPanel("max_questions"),
                ],
                heading=_("General"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("pass_mark"),
                    FieldPanel("grading"),
                    FieldPanel("attempts_allowed"),
                    FieldPanel("exam_paper"),
                ],
                heading=_("Grading"),
            ),
            *per_language("title", "description", "success_text", "fail_text"),
            MultiFieldPanel(
                [
                    FieldPanel("opens_at"),
                    FieldPanel("closes_at"),
                    FieldPanel("time_limit_minutes"),
                    FieldPanel("allow_offline_attempts"),
                ],
                heading=_("Timing"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("review_when"),
                    FieldPanel("review_answers"),
                    FieldPanel("review_correct"),
                    FieldPanel("review_marks"),
                    FieldPanel("review_feedback"),
                ],
                heading=_("Review options"),
            ),
            OrderedInlinePanel(
                "slots",
                panels=SLOT_PANELS,
                form=forms.QuizSlotForm,
                heading=_("Questions"),
                label=_("Question"),
                help_text=_("Each place holds a chosen question or random ones from a category."),
            ),
        ],
        base_form_class=forms.QuizForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/", admin_views.QuizPreviewView.as_view(), name="preview"),
            path(
                "statistics/<int:pk>/",
                admin_views.QuizStatisticsView.as_view(),
                name="statistics",
            ),
        ]


# Results --------------------------------------------------------------------------


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        # Asked more than once per admin page; the answer costs a query for trainers.
        if not hasattr(request, "_may_read_quiz_results"):
            request._may_read_quiz_results = selectors.may_read_results(request.user)
        return request._may_read_quiz_results


class ResultsViewSet(ViewSet):
    """Every learner's results and the essays waiting for a mark."""

    icon = "tasks"
    menu_label = _("Results and marking")
    url_prefix = "quizzes/results"
    menu_item_class = ResultsMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ResultsView.as_view(), name="index"),
            path("answers/<int:pk>/mark/", admin_views.MarkEssayView.as_view(), name="mark"),
        ]


class QuizzesMenu(ModelViewSetGroup):
    menu_label = _("Quizzes")
    menu_icon = "form"
    menu_order = 260
    items = [
        QuizViewSet("quizzes_quiz"),
        QuestionViewSet("quizzes_question"),
        CategoryViewSet("quizzes_category"),
        ScaleViewSet("quizzes_scale"),
        ResultsViewSet("quizzes_results"),
    ]


@hooks.register("register_admin_viewset")
def register_quizzes_menu():
    return QuizzesMenu()


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("quizzes/import/", admin_views.QuestionImportView.as_view(), name="quizzes_import"),
        path(
            "quizzes/import/<int:pk>/",
            admin_views.QuestionImportRunView.as_view(),
            name="quizzes_import_run",
        ),
        path(
            "quizzes/import/<int:pk>/import/",
            admin_views.QuestionImportConfirmView.as_view(),
            name="quizzes_import_confirm",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import questions"),
        reverse("quizzes_import"),
        permission="quizzes.add_question",
        icon_name="upload",
        order=261,
    )


@hooks.register("register_notification_events")
def notification_events():
    return [Event(key=services.ESSAY_MARKED, label=_("Essay marked"))]
