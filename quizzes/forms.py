"""The form a learner answers one question with (plain HTML, works without script)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import Choice, Question


def answer_form_class(question: Question, choice_order: list[int]):
    """A form for ``question``, its choices in the attempt's order."""
    choices = Choice.objects.in_bulk(choice_order)
    ordered = [(pk, choices[pk].text) for pk in choice_order if pk in choices]
    fields: dict[str, forms.Field] = {}
    kind = question.type
    if kind == Question.Type.SINGLE:
        fields["choice"] = forms.TypedChoiceField(
            label=_("Your answer"),
            choices=ordered,
            coerce=int,
            widget=forms.RadioSelect,
            required=False,
        )
    elif kind == Question.Type.MULTIPLE:
        fields["choices"] = forms.TypedMultipleChoiceField(
            label=_("Choose all that apply"),
            choices=ordered,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
    elif kind == Question.Type.TRUE_FALSE:
        fields["value"] = forms.ChoiceField(
            label=_("Your answer"),
            choices=[("true", _("True")), ("false", _("False"))],
            widget=forms.RadioSelect,
            required=False,
        )
    elif kind in {Question.Type.SHORT, Question.Type.NUMERIC}:
        fields["text"] = forms.CharField(
            label=_("Your answer"),
            max_length=255,
            required=False,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal"} if kind == Question.Type.NUMERIC else {}
            ),
        )
    elif kind == Question.Type.ESSAY:
        fields["text"] = forms.CharField(
            label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 10})
        )
    elif kind == Question.Type.RATING:
        top = question.rating_max or question.rating_points
        for pk, text in ordered:
            fields[f"rating_{pk}"] = forms.IntegerField(
                label=text, min_value=0, max_value=top, required=False
            )
    return type("AnswerForm", (forms.Form,), fields)


def response_from_form(question: Question, data: dict) -> dict:
    """The form's cleaned data in the shape services.answer_save expects."""
    if question.type == Question.Type.RATING:
        return {
            "ratings": {
                name.removeprefix("rating_"): value
                for name, value in data.items()
                if name.startswith("rating_") and value is not None
            }
        }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def initial_from_response(question: Question, response: dict) -> dict:
    if question.type == Question.Type.RATING:
        return {f"rating_{pk}": value for pk, value in (response.get("ratings") or {}).items()}
    if question.type == Question.Type.TRUE_FALSE and "value" in response:
        return {"value": "true" if response["value"] else "false"}
    return dict(response)
