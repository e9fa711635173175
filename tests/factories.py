import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import User
from apps.enterprises.authorities import authorities_ensure
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Membership, Role

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password(PASSWORD)


def authority(code: str) -> Authority:
    """The authorities come from a data migration; a transactional test's flush removes
    them, so make sure they are there."""
    found = Authority.objects.filter(code=code).first()
    if found is None:
        authorities_ensure(Authority)
        found = Authority.objects.get(code=code)
    return found


class EnterpriseFactory(DjangoModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: make_credit_code(f"91110000{n:09d}"))
    name_zh = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Enterprise {n} Co., Ltd.")
    authority = factory.LazyFunction(lambda: authority("SASAC"))
    category = FunctionalCategory.COMMERCIAL_1
    industry = "C"


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR
