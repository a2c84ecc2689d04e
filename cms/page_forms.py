"""The comment form under each article, which the article page shows and reads."""

from django import forms
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_CHARS = 2000


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=80)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Never published: only the moderators see it."),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to %(count)s characters. Links are allowed, other markup is removed.")
        % {"count": COMMENT_MAX_CHARS},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see (hidden by the stylesheet); simple bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
