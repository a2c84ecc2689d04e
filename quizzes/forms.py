"""The form a learner answers one question with (plain HTML, works without script).

A choice is posted as its place in the attempt's own order of choices ("0", "1", …),
never as its database id: ids follow the order the author wrote the choices in (the
right one first, as a rule), so sorting them would give the key away. The place
says nothing the learner cannot see on the screen, and the same place is a different
choice in another attempt.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import Choice, Question


def answer_form_class(question: Question, choice_order: list[int], *, locked: bool = False):
    """A form for ``question``, its choices in the attempt's order.

    ``locked``: the answer was checked and cannot change; the fields are shown disabled.
    """
    choices = Choice.objects.in_bulk(choice_order)
    ordered = [
        (str(place), choices[pk].text) for place, pk in enumerate(choice_order) if pk in choices
    ]
    fields: dict[str, forms.Field] = {}
    kind = question.type
    if kind == Question.Type.SINGLE:
        fields["choice"] = forms.ChoiceField(
            label=_("Your answer"), choices=ordered, widget=forms.RadioSelect, required=False
        )
    elif kind == Question.Type.MULTIPLE:
        fields["choices"] = forms.MultipleChoiceField(
            label=_("Choose all that apply"),
            choices=ordered,
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
        for place, text in ordered:
            fields[f"rating_{place}"] = forms.IntegerField(
                label=text, min_value=0, max_value=top, required=False
            )
    if locked:
        for field in fields.values():
            field.disabled = True
    return type("AnswerForm", (forms.Form,), fields)


def _choice_at(choice_order: list[int], place) -> int | None:
    try:
        index = int(place)
    except (TypeError, ValueError):
        return None
    return choice_order[index] if 0 <= index < len(choice_order) else None


def response_from_form(question: Question, data: dict, choice_order: list[int]) -> dict:
    """The form's cleaned data in the shape services.answer_save expects (choice ids)."""
    kind = question.type
    if kind == Question.Type.SINGLE:
        choice = _choice_at(choice_order, data.get("choice"))
        return {"choice": choice} if choice is not None else {}
    if kind == Question.Type.MULTIPLE:
        picked = [_choice_at(choice_order, place) for place in data.get("choices") or []]
        return {"choices": [pk for pk in picked if pk is not None]}
    if kind == Question.Type.RATING:
        ratings = {}
        for name, value in data.items():
            pk = _choice_at(choice_order, name.removeprefix("rating_"))
            if name.startswith("rating_") and value is not None and pk is not None:
                ratings[str(pk)] = value
        return {"ratings": ratings}
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def initial_from_response(question: Question, response: dict, choice_order: list[int]) -> dict:
    """What the form shows for a saved answer: choice ids back to their places."""
    place = {pk: str(index) for index, pk in enumerate(choice_order)}
    kind = question.type
    if kind == Question.Type.SINGLE:
        return {"choice": place.get(response.get("choice"))}
    if kind == Question.Type.MULTIPLE:
        return {"choices": [place[pk] for pk in response.get("choices") or [] if pk in place]}
    if kind == Question.Type.RATING:
        return {
            f"rating_{place[int(pk)]}": value
            for pk, value in (response.get("ratings") or {}).items()
            if int(pk) in place
        }
    if kind == Question.Type.TRUE_FALSE and "value" in response:
        return {"value": "true" if response["value"] else "false"}
    return dict(response)
