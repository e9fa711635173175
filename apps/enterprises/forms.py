from django import forms

from apps.enterprises.models import Enterprise


class EnterpriseContactForm(forms.ModelForm[Enterprise]):
    """The only enterprise fields its own members may change."""

    class Meta:
        model = Enterprise
        fields = ["contact_name", "contact_phone", "contact_email", "address"]
