"""The form a learner answers one question with (plain HTML, works without script).

A choice is posted as its place in the attempt's own order of choices ("0", "1", …),
never as its database id: ids follow the order the author wrote the choices in (the
right one first, as a rule), so sorting them would give the key away. The place
says nothing the learner cannot see on the screen, and the same place is a different
choice in another attempt.
"""

import copy
import functools

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from quizzes import i18n, imports, selectors
from quizzes.interchange import split_category_path
from quizzes.models import Category, Choice, Question, QuestionImport, Quiz


def answer_form_class(
    question: Question,
    choice_order: list[int],
    *,
    locked: bool = False,
    choices: dict[int, Choice] | None = None,
):
    """A form for ``question``, its choices in the attempt's order.

    ``locked``: the answer was checked and cannot change; the fields are shown disabled.
    ``choices``: the choices by id when the caller read them already (a page of many
    questions reads them all at once).
    """
    if choices is None:
        choices = Choice.objects.in_bulk(choice_order)
    ordered = tuple(
        (str(place), _choice_label(choices[pk]))
        for place, pk in enumerate(choice_order)
        if pk in choices
    )
    top = question.rating_max or question.rating_points
    return _answer_form_class(question.type, ordered, top, locked)


@functools.lru_cache(maxsize=1024)
def _answer_form_class(kind: str, ordered: tuple, top: int, locked: bool):
    """The form class of one shape, made once per process: the same question type,
    choice labels, rating limit and lock give the same form."""
    fields: dict[str, forms.Field] = {}
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
        for place, text in ordered:
            fields[f"rating_{place}"] = forms.IntegerField(
                label=text, min_value=0, max_value=top, required=False
            )
    if locked:
        for field in fields.values():
            field.disabled = True
    return type("AnswerForm", (forms.Form,), fields)


def _choice_label(choice: Choice) -> str:
    """The choice's text in the page's language, or marked with the language it fell
    back to (for screen readers)."""
    shown = i18n.fallback(choice, "text")
    return format_html('<span lang="{}">{}</span>', shown, choice.text) if shown else choice.text


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


# Admin forms ----------------------------------------------------------------------


def categories_with_parents() -> QuerySet[Category]:
    """Categories for a choice list: each is named with its parents (Budget › Revenues),
    so fetch three levels of them in the same query."""
    return Category.objects.select_related("parent__parent__parent")


class TextsInSomeLanguageForm(WagtailAdminModelForm):
    """The texts in ``required_texts`` must be written in at least one language (each
    language's column is optional on its own: a translation may not be written yet)."""

    required_texts: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for field in self.required_texts:
            names = [name for name in i18n.columns(field) if name in self.fields]
            if names and not any((cleaned.get(name) or "").strip() for name in names):
                self.add_error(names[0], gettext("Write this in at least one language."))
        return cleaned


class CategoryForm(TextsInSomeLanguageForm):
    """A category cannot sit inside itself or inside one of its own subcategories."""

    required_texts = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = categories_with_parents()

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.pk in self.instance.descendant_ids():
            raise ValidationError(
                gettext("A category cannot be placed inside itself or one of its subcategories.")
            )
        return parent


class ScaleForm(TextsInSomeLanguageForm):
    required_texts = ("name",)


class ChoiceForm(TextsInSomeLanguageForm):
    required_texts = ("text",)


class AcceptedAnswerForm(TextsInSomeLanguageForm):
    required_texts = ("text",)


class QuestionForm(TextsInSomeLanguageForm):
    required_texts = ("text",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_with_parents()


class QuizForm(TextsInSomeLanguageForm):
    """A quiz that a course counts towards completion must show learners their result."""

    required_texts = ("title",)

    def clean(self):
        cleaned = super().clean()
        candidate = copy.copy(self.instance)  # the quiz as it would be saved
        for name in ("kind", "review_when", "review_marks", "closes_at"):
            if name in cleaned:
                setattr(candidate, name, cleaned[name])
        if selectors.required_by_host(candidate) and not selectors.shows_results_eventually(
            candidate
        ):
            raise ValidationError(
                gettext(
                    "A course counts this quiz towards completion, so learners must see "
                    "their result: let the review show the marks (at once, or after a "
                    "closing date)."
                ),
                code="results_hidden_from_required_quiz",
            )
        if cleaned.get("allow_offline_attempts") and selectors.final_exam_by_host(candidate):
            self.add_error(
                "allow_offline_attempts",
                gettext("A course holds this quiz as its final exam: it is taken online."),
            )
        return cleaned


class QuizSlotForm(WagtailAdminModelForm):
    """A place in a quiz holds a chosen question or random ones from a category."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["random_category"].queryset = categories_with_parents()

    def clean(self):
        cleaned = super().clean()
        fixed = cleaned.get("question") is not None
        drawn = cleaned.get("random_category") is not None
        if fixed == drawn:
            raise ValidationError(
                gettext("Choose either a question or a category to draw random questions from."),
                code="slot_is_fixed_or_random",
            )
        return cleaned


class ResultsFilterForm(forms.Form):
    quiz = forms.ModelChoiceField(Quiz.objects.all(), label=_("Quiz"), required=False)
    user = forms.CharField(label=_("Learner's e-mail"), max_length=254, required=False)
    needs_marking = forms.BooleanField(label=_("Only attempts awaiting marking"), required=False)


class EssayMarkForm(forms.Form):
    # The allowed range is the service's rule (essay_mark); its error is shown here.
    mark = forms.DecimalField(label=_("Mark"), max_digits=6, decimal_places=2)
    comment = forms.CharField(
        label=_("Comment for the learner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what was good and what is missing, against the rubric."),
    )


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=_("Question file"))
    format = forms.ChoiceField(label=_("Format"), choices=QuestionImport.Format.choices)
    category = forms.CharField(
        label=_("Import into category"),
        max_length=500,
        help_text=_('A path such as "Budget/Revenues"; missing categories are created.'),
    )
    language = forms.ChoiceField(
        label=_("Language of the file"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_(
            "The language its texts are written in. Texts marked up in several languages "
            "(Moodle's multilang) are imported in each of them."
        ),
    )
    as_translation = forms.BooleanField(
        label=_("Translations of questions already in the category"),
        required=False,
        help_text=_(
            "Adds the file's texts to the questions of the same name in the category, "
            "which must have the same answers; nothing else changes."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = upload.read(imports.IMPORT_MAX_BYTES + 1)
        if len(data) > imports.IMPORT_MAX_BYTES:
            raise ValidationError(gettext("The file is larger than 5 MB."), code="too_large")
        self.data_bytes = data
        return upload

    def clean_category(self):
        path = self.cleaned_data["category"]
        if not split_category_path(path):
            raise ValidationError(
                gettext("Name the category to import into, such as “Budget/Revenues”."),
                code="no_category",
            )
        return path
