import pytest
from hypothesis import given
from hypothesis import strategies as st

from interx.data.ids import SequenceId, is_valid_id, parse_id_list
from interx.data.splits import official_ids
from interx.errors import FormatError

ids = st.builds(
    SequenceId,
    group=st.integers(1, 59),
    take=st.integers(0, 999),
    action=st.integers(0, 39),
    repetition=st.integers(0, 999),
)


@given(ids)
def test_format_parse_round_trip(sid):
    text = str(sid)
    assert len(text) == 16 and text[0] == "G" and text[4] == "T" and text[8] == "A" and text[12] == "R"
    assert SequenceId.parse(text) == sid
    assert is_valid_id(text)


@given(st.text(max_size=20))
def test_parse_accepts_exactly_the_valid_ids(text):
    if is_valid_id(text):
        assert str(SequenceId.parse(text)) == text
    else:
        with pytest.raises(FormatError):
            SequenceId.parse(text)


def test_fields():
    sid = SequenceId.parse("G012T003A039R045")
    assert (sid.group, sid.take, sid.action, sid.repetition) == (12, 3, 39, 45)
    assert SequenceId(1, 0, 0, 0) < SequenceId(1, 0, 0, 1) < SequenceId(2, 0, 0, 0)


@pytest.mark.parametrize("bad", [
    "", "G001T000A000R00", "G001T000A000R0000", "g001t000a000r000", "G000T000A000R000",
    "G060T000A000R000", "G001T000A040R000", "G001T000A000R000\n", " G001T000A000R000", "G001-T000A000R000",
    "G001T000A0x0R000",
])
def test_malformed_ids_are_refused_with_a_clear_message(bad):
    assert not is_valid_id(bad)
    with pytest.raises(FormatError) as info:
        SequenceId.parse(bad, "splits/train.txt")
    message = str(info.value)
    assert "splits/train.txt" in message and "[id]" in message and "GgggTtttAaaaRrrr" in message


def test_constructor_checks_ranges():
    with pytest.raises(ValueError, match="action"):
        SequenceId(1, 0, 40, 0)
    with pytest.raises(ValueError, match="group"):
        SequenceId(0, 0, 0, 0)
    with pytest.raises(TypeError):
        SequenceId(1, 0, "3", 0)


def test_non_string_is_not_an_id():
    assert not is_valid_id(None)
    assert not is_valid_id(1)
    with pytest.raises(FormatError):
        SequenceId.parse(12)


def test_every_official_id_is_valid():
    all_ids = official_ids("all")
    assert len(all_ids) == 11388
    assert all(str(SequenceId.parse(i)) == i for i in all_ids)


def test_id_list_names_the_bad_line():
    assert parse_id_list("G001T000A000R000\n\nG001T000A000R001\n", "x.txt") == ["G001T000A000R000", "G001T000A000R001"]
    with pytest.raises(FormatError, match=r"x\.txt \[line 2\]"):
        parse_id_list("G001T000A000R000\nG001T000A050R001\n", "x.txt")
