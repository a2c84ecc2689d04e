"""The learner's survey form (built from the survey's items) and the results filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import LIKERT_SCORES, Survey

FIELD_PREFIX = "item-"
TEXT_MAX_LENGTH = 2000


def likert_choices(item) -> list[tuple[str, str]]:
    """1..5, the two ends with their labels ("1 — not at all")."""
    labels = {LIKERT_SCORES[0]: item.low_label, LIKERT_SCORES[-1]: item.high_label}
    return [
        (str(score), f"{score} — {labels[score]}" if labels.get(score) else str(score))
        for score in LIKERT_SCORES
    ]


class SurveyForm(forms.Form):
    """A field per item, in the items' order: radio buttons for a scale (a fieldset
    with the question as its legend), a text box for a free text."""

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item.is_likert:
                field = forms.TypedChoiceField(
                    label=item.text,
                    choices=likert_choices(item),
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=item.required,
                )
            else:
                field = forms.CharField(
                    label=item.text,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=TEXT_MAX_LENGTH,
                    required=item.required,
                )
            if not item.required:
                field.help_text = _("Optional.")
            self.fields[f"{FIELD_PREFIX}{item.pk}"] = field

    def answers(self) -> dict[int, int | str | None]:
        return {
            int(name.removeprefix(FIELD_PREFIX)): value for name, value in self.cleaned_data.items()
        }


class ResultsFilterForm(forms.Form):
    survey = forms.ModelChoiceField(
        label=_("Course"), queryset=Survey.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, surveys, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = surveys
