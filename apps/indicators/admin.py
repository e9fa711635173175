from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import IndicatorDefinition, IndicatorRequirement, WarningLine


class RequirementInline(admin.TabularInline):
    model = IndicatorRequirement
    extra = 0


class WarningLineInline(admin.TabularInline):
    model = WarningLine
    extra = 0


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    """A campaign's indicators: definitions, how they are judged, who must report them.
    Plans already filed keep the definitions they were filed under."""

    list_display = ("name_zh", "name_en", "code", "campaign", "kind", "direction", "unit")
    list_filter = ("campaign", "kind", "direction")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("campaign", "order")
    inlines = (RequirementInline, WarningLineInline)
    fieldsets = (
        (None, {"fields": ("campaign", "code", "order", "name_zh", "name_en")}),
        (_("Definition"), {"fields": ("definition_zh", "definition_en", "unit", "precision")}),
        (
            _("How it is judged"),
            {
                "fields": (
                    "kind", "direction", "band_lower", "band_upper", "warning_margin",
                    "minimum", "maximum",
                )
            },
        ),
    )  # fmt: skip
