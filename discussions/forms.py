"""The ask and answer forms: plain POST forms that work without JavaScript."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import BODY_MAX, TITLE_MAX


class PostForm(forms.Form):
    # A fresh key per rendered form: sending it twice finds the first post.
    submit_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submit_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class QuestionForm(PostForm):
    title = forms.CharField(label=_("Your question"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Details (optional)"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["title", "body", "submit_key"]


class AnswerForm(PostForm):
    body = forms.CharField(
        label=_("Your answer"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["body", "submit_key"]
