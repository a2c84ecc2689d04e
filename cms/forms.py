"""The moderator's decision on a comment. The comment form readers fill in is in
``page_forms.py``: the article page uses it, and this module imports the models."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import Comment


class ModerationForm(forms.ModelForm):
    """A moderator decides; they do not rewrite what the reader wrote."""

    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in Comment.Status.choices if c[0] != Comment.Status.PENDING],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Comment
        fields = ["status"]
