from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "apps.reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from apps.reviews import panels  # noqa: F401  (adds the review section to filing pages)
