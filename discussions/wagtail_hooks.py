"""The Q&A panel under each lesson, the admin's "Lesson Q&A" menu (the trainer's lists
on the site, and which courses premoderate)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import models as generic

from base.viewsets import IndexView, ModelViewSet
from courses.forms import TaughtCourseForm
from courses.reports import cohorts_visible_to
from courses.selectors import can_see_all_cohorts
from discussions.models import CourseQuestionRule
from discussions.panels import LessonQuestionsPanel


@hooks.register("construct_lesson_panels")
def lesson_questions_panel(request, page, panels) -> None:
    if getattr(request, "learning_access", None) is not None:
        panels.append(LessonQuestionsPanel(request=request, page=page))


def _visible_rules(user):
    return CourseQuestionRule.objects.filter(
        course__in=cohorts_visible_to(user).values("course")
    ).select_related("course")


class QuestionRuleIndexView(IndexView):
    def get_base_queryset(self):
        return _visible_rules(self.request.user)


class QuestionRuleEditView(generic.EditView):
    def get_queryset(self):
        return _visible_rules(self.request.user)


class QuestionRuleViewSet(ModelViewSet):
    model = CourseQuestionRule
    icon = "help"
    menu_label = _("Q&A moderation")
    menu_order = 254
    add_to_admin_menu = True
    index_view_class = QuestionRuleIndexView
    edit_view_class = QuestionRuleEditView
    copy_view_enabled = False
    # The panels carry the form class: a viewset's own base_form_class is not used.
    edit_handler = ObjectList(
        [FieldPanel("course"), FieldPanel("premoderation")], base_form_class=TaughtCourseForm
    )
    list_display = ["course", "premoderation"]


@hooks.register("register_admin_viewset")
def register_question_rules():
    return QuestionRuleViewSet("discussions_rule")


class TrainerMenuItem(MenuItem):
    # Permissions, not a query for the user's cohorts: the menu is drawn on every admin
    # page, and their permissions are already loaded.
    def is_shown(self, request):
        user = request.user
        return user.has_perm("discussions.view_coursequestionrule") or can_see_all_cohorts(user)


@hooks.register("register_admin_menu_item")
def register_unanswered_menu_item():
    return TrainerMenuItem(
        _("Unanswered questions"),
        reverse("discussions_unanswered"),
        icon_name="help",
        order=255,
    )
