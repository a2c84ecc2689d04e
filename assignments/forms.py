"""The trainer's forms: the queue's filters and the marking screen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import AssignmentPage, Submission


class QueueFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(None, label=_("Cohort"), required=False)
    assignment = forms.TypedChoiceField(label=_("Assignment"), required=False, coerce=str)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            (Submission.State.SUBMITTED, _("waiting for marking")),
            (Submission.State.RETURNED, _("returned for revision")),
            (Submission.State.MARKED, _("marked")),
        ],
    )

    def __init__(self, *args, cohorts, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["assignment"].choices = [("", "---------")] + [
            (str(key), title) for key, title in assignments
        ]


class MarkForm(forms.Form):
    """A level per rubric criterion (their index, the points are the server's), or a
    mark; a comment; an annotated file; return or mark."""

    comment = forms.CharField(
        label=_("Comment for the learner"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    feedback_file = forms.FileField(
        label=_("Annotated file (optional)"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG, checked like the learner's files."),
    )

    def __init__(self, *args, page: AssignmentPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.criterion_fields = []
        if page.marking == AssignmentPage.Marking.RUBRIC:
            for criterion in page.criteria:
                name = f"criterion-{criterion.id}"
                self.fields[name] = forms.ChoiceField(
                    label=criterion.value["title"],
                    required=False,
                    widget=forms.RadioSelect,
                    choices=[
                        (str(index), f"{level['label']} ({level['points']})")
                        for index, level in enumerate(criterion.value["levels"])
                    ],
                )
                self.criterion_fields.append((criterion.id, name))
        else:
            self.fields["points"] = forms.DecimalField(
                label=_("Mark (out of %(max)s)") % {"max": page.max_points},
                required=False,
                max_digits=7,
                decimal_places=2,
            )
        self.order_fields([name for _id, name in self.criterion_fields] + ["points", "comment"])

    def levels(self) -> dict[str, str]:
        return {cid: self.cleaned_data.get(name) for cid, name in self.criterion_fields}
