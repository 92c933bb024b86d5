"""civic.params: the one reader of ids and numbers from a request."""

import pytest
from django import forms

from civic.params import MAX_ID, IdConverter, IdField, parse_id, parse_ids, parse_int

HOSTILE = ["", " ", "0", "-1", "²", "٣", "1.5", "1e3", "abc", "\x00", '1"', "9" * 25, str(MAX_ID + 1), "+1", None]


@pytest.mark.parametrize("value", HOSTILE)
def test_parse_id_refuses_what_no_primary_key_can_be(value):
    assert parse_id(value) is None


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("42", 42), (" 7 ", 7), (str(MAX_ID), MAX_ID), (5, 5)])
def test_parse_id_reads_ascii_digits_within_bounds(value, expected):
    assert parse_id(value) == expected


def test_parse_int_bounds_and_default():
    assert parse_int("-3", min_value=-5, max_value=5) == -3
    assert parse_int("6", min_value=-5, max_value=5, default=0) == 0
    assert parse_int("x", default=1) == 1
    assert parse_int(True) is None


def test_parse_ids_keeps_valid_ids_in_order_once_and_bounded():
    assert parse_ids(["3", "²", "1", "3", "9" * 30, "2"]) == [3, 1, 2]
    assert parse_ids([str(n) for n in range(1, 100)], limit=5) == [1, 2, 3, 4, 5]


def test_id_field_gives_a_translated_error():
    class Form(forms.Form):
        pk = IdField()

    for value in ["²", "9" * 30, "0", "-4"]:
        form = Form(data={"pk": value})
        assert not form.is_valid()
        assert form.errors["pk"]
    form = Form(data={"pk": "12"})
    assert form.is_valid() and form.cleaned_data["pk"] == 12


def test_id_converter_refuses_a_huge_number():
    converter = IdConverter()
    assert converter.to_python("12") == 12
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))


def test_parse_text_refuses_nul_and_overlong():
    from civic.params import parse_text

    assert parse_text("mobilite") == "mobilite"
    assert parse_text("a\x00b") is None
    assert parse_text("x" * 256) is None
    assert parse_text("") is None
    assert parse_text(None, default="") == ""
