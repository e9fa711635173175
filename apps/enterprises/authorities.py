"""The 38 supervising authorities of notice No. 79: SASAC, 31 provincial-level commissions
(GB/T 2260 codes), 5 cities with independent planning status, and the Corps.

Used by the data migration and by `authorities_ensure` (demo data, tests that flush the
database), so the list lives in one place. The city commissions under the provinces (GB/T
2260 six-digit codes) are not seeded: an administrator registers those a deployment needs
(admin page, `manage.py import_authorities`); `city_commission_ensure` adds one in code.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.enterprises.models import Authority

# (code, Chinese name, English name, kind)
AUTHORITIES = [
    (
        "SASAC",
        "国务院国资委",
        "State-owned Assets Supervision and Administration Commission of the State Council",
        "central",
    ),
    ("11", "北京市国资委", "Beijing SASAC", "provincial"),
    ("12", "天津市国资委", "Tianjin SASAC", "provincial"),
    ("13", "河北省国资委", "Hebei SASAC", "provincial"),
    ("14", "山西省国资委", "Shanxi SASAC", "provincial"),
    ("15", "内蒙古自治区国资委", "Inner Mongolia SASAC", "provincial"),
    ("21", "辽宁省国资委", "Liaoning SASAC", "provincial"),
    ("22", "吉林省国资委", "Jilin SASAC", "provincial"),
    ("23", "黑龙江省国资委", "Heilongjiang SASAC", "provincial"),
    ("31", "上海市国资委", "Shanghai SASAC", "provincial"),
    ("32", "江苏省国资委", "Jiangsu SASAC", "provincial"),
    ("33", "浙江省国资委", "Zhejiang SASAC", "provincial"),
    ("34", "安徽省国资委", "Anhui SASAC", "provincial"),
    ("35", "福建省国资委", "Fujian SASAC", "provincial"),
    ("36", "江西省国资委", "Jiangxi SASAC", "provincial"),
    ("37", "山东省国资委", "Shandong SASAC", "provincial"),
    ("41", "河南省国资委", "Henan SASAC", "provincial"),
    ("42", "湖北省国资委", "Hubei SASAC", "provincial"),
    ("43", "湖南省国资委", "Hunan SASAC", "provincial"),
    ("44", "广东省国资委", "Guangdong SASAC", "provincial"),
    ("45", "广西壮族自治区国资委", "Guangxi SASAC", "provincial"),
    ("46", "海南省国资委", "Hainan SASAC", "provincial"),
    ("50", "重庆市国资委", "Chongqing SASAC", "provincial"),
    ("51", "四川省国资委", "Sichuan SASAC", "provincial"),
    ("52", "贵州省国资委", "Guizhou SASAC", "provincial"),
    ("53", "云南省国资委", "Yunnan SASAC", "provincial"),
    ("54", "西藏自治区国资委", "Tibet SASAC", "provincial"),
    ("61", "陕西省国资委", "Shaanxi SASAC", "provincial"),
    ("62", "甘肃省国资委", "Gansu SASAC", "provincial"),
    ("63", "青海省国资委", "Qinghai SASAC", "provincial"),
    ("64", "宁夏回族自治区国资委", "Ningxia SASAC", "provincial"),
    ("65", "新疆维吾尔自治区国资委", "Xinjiang SASAC", "provincial"),
    ("2102", "大连市国资委", "Dalian SASAC", "city"),
    ("3702", "青岛市国资委", "Qingdao SASAC", "city"),
    ("3302", "宁波市国资委", "Ningbo SASAC", "city"),
    ("3502", "厦门市国资委", "Xiamen SASAC", "city"),
    ("4403", "深圳市国资委", "Shenzhen SASAC", "city"),
    ("XPCC", "新疆生产建设兵团国资委", "Xinjiang Production and Construction Corps SASAC", "corps"),
]


def authorities_ensure(authority_model: Any) -> int:
    """Create or refresh the 38 authorities; returns how many exist afterwards."""
    for order, (code, name_zh, name_en, kind) in enumerate(AUTHORITIES):
        authority_model.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "kind": kind, "sort_order": order},
        )
    return int(authority_model.objects.count())


def city_commission_ensure(
    *, code: str, name_zh: str, name_en: str, province_code: str
) -> "Authority":
    """Create or refresh a prefecture-level city commission (440100 广州市国资委) under its
    provincial commission, checked as the admin page checks it, sorted with its province."""
    from apps.enterprises.models import Authority, AuthorityKind

    province = Authority.objects.get(code=province_code)
    authority = Authority.objects.filter(code=code).first() or Authority(code=code)
    authority.name_zh, authority.name_en = name_zh, name_en
    authority.kind = AuthorityKind.PREFECTURE
    authority.parent = province
    authority.sort_order = province.sort_order
    authority.full_clean()
    authority.save()
    return authority
