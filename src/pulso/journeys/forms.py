from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.forms import CleanTextMixin
from pulso.journeys.models import BLUEPRINT_FIELDS, Journey, Stage, Touchpoint


class JourneyForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Journey
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("The name cannot be blank."))
        return name


class StageForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TouchpointForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = [
            "name",
            "channel",
            "interaction_type",
            "owner_unit",
            "is_moment_of_truth",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner_unit"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = OrgUnit.objects.filter(is_active=True).order_by("path")


class BlueprintForm(CleanTextMixin, forms.ModelForm):
    """The service blueprint lanes of one touchpoint."""

    class Meta:
        model = Touchpoint
        fields = BLUEPRINT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in BLUEPRINT_FIELDS
            if name != "responsible"
        }
