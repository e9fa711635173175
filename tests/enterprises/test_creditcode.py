import pytest
from django.core.exceptions import ValidationError

from apps.enterprises.creditcode import check_character, make_credit_code, validate_credit_code


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The messages are asserted in English; the Chinese test overrides this."""
    from django.utils import translation

    with translation.override("en"):
        yield


VALID = ["91350100M000100Y43", "91110000710925243K", "911100001000079554"]


@pytest.mark.parametrize("code", VALID)
def test_accepts_known_valid_codes(code: str) -> None:
    validate_credit_code(code)


def test_accepts_lowercase_and_surrounding_space() -> None:
    validate_credit_code(" 91350100m000100y43 ")


@pytest.mark.parametrize("code", VALID)
def test_rejects_a_changed_check_character(code: str) -> None:
    wrong = "1" if code[-1] != "1" else "2"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code[:-1] + wrong)
    assert exc.value.code == "checksum"
    assert f"should be {code[-1]}" in exc.value.messages[0]
    assert f"not {wrong}" in exc.value.messages[0]


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_rejects_each_forbidden_letter_and_names_it(letter: str) -> None:
    code = "9135010" + letter + "M000100Y43"[0:]  # 18 characters with the letter at 8
    code = code[:18]
    assert len(code) == 18
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "forbidden_letter"
    assert f"letter {letter}" in exc.value.messages[0]
    assert "Character 8" in exc.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y431", ""])
def test_rejects_wrong_length_and_says_how_long(code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "length"
    assert f"this one has {len(code)}" in exc.value.messages[0]


def test_rejects_punctuation() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100-43")
    assert exc.value.code == "bad_character"


def test_message_is_localised_in_chinese() -> None:
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y4")
    assert "18" in exc.value.messages[0]
    assert "位" in exc.value.messages[0]


def test_make_credit_code_round_trips() -> None:
    for code in VALID:
        assert make_credit_code(code[:17]) == code
        assert check_character(code[:17]) == code[17]
