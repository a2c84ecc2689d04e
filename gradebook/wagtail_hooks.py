"""The grading schemes in the admin (methodologists set one per course), the cohort's
gradebook under Learning → Cohorts, the learner's dashboard panel, and the course total
the certificate records."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn

from base.viewsets import ModelViewSet
from gradebook import admin_views, selectors
from gradebook.forms import GradingSchemeForm
from gradebook.models import CourseGradingScheme
from gradebook.panels import MyGradesPanel


class GradingSchemeViewSet(ModelViewSet):
    model = CourseGradingScheme
    url_prefix = "gradebook/schemes"
    icon = "table"
    menu_label = _("Grading schemes")
    menu_order = 255
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["course"]
    edit_handler = ObjectList(
        [
            FieldPanel("course"),
            InlinePanel(
                "weights",
                heading=_("Weights"),
                label=_("Weight"),
                help_text=_(
                    "Each item of a kind counts this many times in the course total; "
                    "a kind not listed counts once."
                ),
                panels=[FieldRowPanel([FieldPanel("kind"), FieldPanel("weight")])],
            ),
            InlinePanel(
                "bands",
                heading=_("Bands"),
                label=_("Band"),
                help_text=_(
                    "From the lowest up, for example F from 0, C from 50, B from 70, A from "
                    "85; or Fail from 0 and Pass from 60."
                ),
                panels=[FieldRowPanel([FieldPanel("label"), FieldPanel("lower_bound")])],
            ),
        ],
        base_form_class=GradingSchemeForm,
    )


@hooks.register("register_admin_viewset")
def register_scheme_viewset():
    return GradingSchemeViewSet("gradebook_scheme")


@hooks.register("register_admin_urls")
def register_gradebook_urls():
    return [
        path(
            "learning/cohorts/<int:pk>/gradebook/",
            admin_views.GradebookView.as_view(),
            name="gradebook_cohort",
        ),
        path(
            "learning/cohorts/<int:pk>/gradebook/<int:enrolment>/<str:item_key>/",
            admin_views.CellView.as_view(),
            name="gradebook_cell",
        ),
    ]


@hooks.register("cohort_list_columns")
def gradebook_column():
    return TitleColumn(
        "gradebook",
        label=_("Gradebook"),
        get_url=lambda cohort: reverse("gradebook_cohort", args=[cohort.pk]),
        accessor=lambda cohort: _("Open the gradebook"),
    )


@hooks.register("construct_learner_dashboard_panels")
def my_grades_panel(request, panels) -> None:
    panels.append(MyGradesPanel(user=request.user))


@hooks.register("certificate_course_totals")
def certificate_course_totals(*, enrolments):
    return selectors.course_totals_for(enrolments=enrolments)
