"""The surveys in the admin (methodologists design one per course), the results in the
Reports menu, and the survey's panel on the learner's dashboard."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views.generic import models as generic

from base.viewsets import ModelViewSet
from evaluations import admin_views
from evaluations.models import Survey
from evaluations.panels import PendingSurveysPanel


class SurveyDeleteView(generic.DeleteView):
    """A survey with answers stays (they are the course's record): close it instead."""

    def form_valid(self, form):
        if self.object.responses.exists():
            # gettext, not the lazy _: the message is rendered into the messages cookie
            # after the view, once the admin's language is no longer active.
            messages.error(
                self.request,
                gettext("This survey has answers and cannot be deleted; close it instead."),
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class SurveyViewSet(ModelViewSet):
    model = Survey
    url_prefix = "evaluations/surveys"
    icon = "form"
    menu_label = _("Course surveys")
    menu_order = 254
    add_to_admin_menu = True
    delete_view_class = SurveyDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["course", "is_open"]
    panels = [
        FieldPanel("course"),
        FieldPanel("is_open"),
        MultiFieldPanel(
            [FieldPanel("intro_kk"), FieldPanel("intro_ru"), FieldPanel("intro_en")],
            heading=_("Introduction"),
        ),
        InlinePanel(
            "items",
            heading=_("Questions"),
            label=_("Question"),
            panels=[
                FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
                FieldPanel("text_kk"),
                FieldPanel("text_ru"),
                FieldPanel("text_en"),
                FieldRowPanel(
                    [
                        FieldPanel("low_label_kk"),
                        FieldPanel("low_label_ru"),
                        FieldPanel("low_label_en"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("high_label_kk"),
                        FieldPanel("high_label_ru"),
                        FieldPanel("high_label_en"),
                    ]
                ),
            ],
        ),
    ]


@hooks.register("register_admin_viewset")
def register_survey_viewset():
    return SurveyViewSet("evaluations_survey")


@hooks.register("register_admin_urls")
def register_results_url():
    return [
        path("evaluations/results/", admin_views.ResultsView.as_view(), name="evaluations_results")
    ]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_see_results(request.user)


@hooks.register("register_reports_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        _("Course evaluation"), reverse("evaluations_results"), icon_name="form", order=810
    )


@hooks.register("construct_learner_dashboard_panels")
def pending_surveys_panel(request, panels) -> None:
    panels.append(PendingSurveysPanel(user=request.user))
