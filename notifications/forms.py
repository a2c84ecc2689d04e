from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ContactSettings


class ContactSettingsForm(forms.ModelForm):
    """The phone (when SMS is offered) and the quiet hours."""

    # Free text here: the model's validator checks the number once it is normalised.
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=24,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "placeholder": "+77011234567"}
        ),
        help_text=_("For SMS: +7 and ten digits."),
    )

    class Meta:
        model = ContactSettings
        fields = ["phone", "quiet_start", "quiet_end"]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_end": _(
                "Almaty time. Messages to your phone wait until the quiet hours end; "
                "the same time in both fields turns them off."
            ),
        }

    def __init__(self, *args, sms: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not sms:
            del self.fields["phone"]

    def clean_phone(self) -> str:
        # People type spaces, dashes and brackets, or 8 for +7.
        phone = "".join(
            ch for ch in self.cleaned_data.get("phone", "") if ch.isdigit() or ch == "+"
        )
        if phone.startswith("8") and len(phone) == 11:
            phone = "+7" + phone[1:]
        elif phone.startswith("7") and len(phone) == 11:
            phone = "+" + phone
        return phone
