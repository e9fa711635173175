"""The default score scale: 优秀 / 良好 / 合格 / 不合格 (Excellent / Good / Pass / Fail).

Kept here, taking the model classes, so that the data migration (with historical models),
the demo data and tests on a flushed database all add the same thing."""

from typing import Any

DEFAULT_SCALE = ("default", "四级评价", "Four-level rating")
# (code, Chinese label, English label, points, order)
DEFAULT_LEVELS = (
    ("excellent", "优秀", "Excellent", 90, 1),
    ("good", "良好", "Good", 75, 2),
    ("pass", "合格", "Pass", 60, 3),
    ("fail", "不合格", "Fail", 0, 4),
)


def score_scale_ensure(scale_model: Any, level_model: Any) -> Any:
    """Add the default scale and its levels where missing; what an administrator changed in
    the admin stays as it is. Returns the scale."""
    code, name_zh, name_en = DEFAULT_SCALE
    scale, _created = scale_model.objects.get_or_create(
        code=code,
        defaults={
            "name_zh": name_zh,
            "name_en": name_en,
            "is_default": not scale_model.objects.filter(is_default=True).exists(),
        },
    )
    for level_code, label_zh, label_en, points, order in DEFAULT_LEVELS:
        level_model.objects.get_or_create(
            scale=scale,
            code=level_code,
            defaults={"label_zh": label_zh, "label_en": label_en, "points": points, "order": order},
        )
    return scale
