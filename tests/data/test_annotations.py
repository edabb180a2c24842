import pickle

import numpy as np
import pytest

from interx.data.annotations import (
    big_five_of_group,
    official_action_names,
    read_action_names,
    read_big_five,
    read_familiarity,
    read_interaction_order,
    write_action_names,
    write_big_five,
    write_familiarity,
    write_interaction_order,
)
from interx.errors import FormatError, UnsafePickleError

LEVELS = [1, 4, 2, 3, 3]
EXPECTED = {1: 1, 2: 4, 3: 2, 4: 3, 5: 3}


@pytest.mark.parametrize("text", [
    "1\n4\n2\n3\n3\n",
    "1\r\n4\r\n2\r\n3\r\n3",
    "familiarity\n1\n4\n2\n3\n3\n",
    "1 1\n2 4\n3 2\n4 3\n5 3\n",
    "G001 1\nG002 4\nG003 2\nG004 3\nG005 3\n",
    "group,level\n001,1\n002,4\n003,2\n004,3\n005,3\n",
    "group\tfamiliarity\n5\t3\n4\t3\n3\t2\n2\t4\n1\t1\n\n",
    "1.0\n4.0\n2.0\n3.0\n3.0\n",
])
def test_familiarity_layouts(tmp_path, text):
    path = tmp_path / "familiarity.txt"
    path.write_text(text)
    assert read_familiarity(path) == EXPECTED


@pytest.mark.parametrize("text,field", [
    ("1\n5\n", "line 2"),
    ("1\n0\n", "line 2"),
    ("1\nhigh\n", "line 2"),
    ("1 2 3\n", "line 1"),
    ("1 2\n2\n", "line 2"),
    ("G060 1\n", "line 1"),
    ("1 1\n1 2\n", "line 2"),
    ("", None),
    ("\n".join(["1"] * 60), "lines"),
])
def test_familiarity_errors_name_file_and_line(tmp_path, text, field):
    path = tmp_path / "familiarity.txt"
    path.write_text(text)
    with pytest.raises(FormatError) as info:
        read_familiarity(path)
    assert str(path) in str(info.value)
    if field:
        assert f"[{field}]" in str(info.value)


def test_familiarity_writer_round_trip(tmp_path):
    path = tmp_path / "familiarity.txt"
    write_familiarity(path, EXPECTED)
    assert path.read_text() == "1\n4\n2\n3\n3\n"
    assert read_familiarity(path) == EXPECTED
    write_familiarity(path, LEVELS)
    assert read_familiarity(path) == EXPECTED
    with pytest.raises(ValueError, match="gaps"):
        write_familiarity(path, {1: 2, 3: 1})
    with pytest.raises(ValueError):
        write_familiarity(path, [1, 5])


TABLE = np.arange(3 * 2 * 5, dtype=np.float64).reshape(3, 2, 5) + 0.5


@pytest.mark.parametrize("layout", [
    TABLE,
    TABLE.reshape(3, 10),
    TABLE.reshape(6, 5),
    np.concatenate([np.zeros((3, 2, 1)), TABLE], axis=2),
    np.concatenate([np.arange(1, 4)[:, None], TABLE.reshape(3, 10)], axis=1),
    np.concatenate([np.arange(6)[:, None], TABLE.reshape(6, 5)], axis=1),
    TABLE.reshape(3, 10).astype(np.float32),
])
def test_big_five_layouts(tmp_path, layout):
    path = tmp_path / "big_five.npy"
    np.save(path, layout)
    table = read_big_five(path)
    assert table.shape == (3, 2, 5) and table.dtype == np.float64
    assert np.allclose(table, TABLE)
    assert np.allclose(big_five_of_group(table, 2), TABLE[1])
    assert big_five_of_group(table, 4) is None


def test_big_five_integers_accepted(tmp_path):
    path = tmp_path / "big_five.npy"
    np.save(path, np.arange(20).reshape(2, 10))
    assert read_big_five(path)[1, 1, 4] == 19


@pytest.mark.parametrize("shape", [(3, 7), (7, 5), (5,), (3, 3, 5), (2, 2, 2, 5), (60, 10), (0, 10)])
def test_big_five_bad_shape_names_file_and_shape(tmp_path, shape):
    path = tmp_path / "big_five.npy"
    np.save(path, np.zeros(shape))
    with pytest.raises(FormatError) as info:
        read_big_five(path)
    message = str(info.value)
    assert str(path) in message and str(shape) in message and "(G, 2, 5)" in message


def test_big_five_bad_values(tmp_path):
    path = tmp_path / "big_five.npy"
    np.save(path, np.array([["a"] * 10]))
    with pytest.raises(FormatError, match="numeric"):
        read_big_five(path)
    bad = TABLE.copy()
    bad[0, 0, 0] = np.inf
    np.save(path, bad)
    with pytest.raises(FormatError, match="Inf"):
        read_big_five(path)
    np.save(path, np.array([{"a": 1}], dtype=object))
    with pytest.raises(FormatError, match="object"):
        read_big_five(path)
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(FormatError, match="big_five.npy"):
        read_big_five(path)


def test_big_five_nan_marks_a_missing_group(tmp_path):
    table = TABLE.copy()
    table[1, 0, 2] = np.nan
    path = tmp_path / "big_five.npy"
    write_big_five(path, table)
    loaded = read_big_five(path)
    assert np.array_equal(loaded, table, equal_nan=True)
    assert big_five_of_group(loaded, 2) is None
    assert big_five_of_group(loaded, 1) is not None


def test_big_five_writer(tmp_path):
    path = tmp_path / "big_five.npy"
    write_big_five(path, TABLE)
    raw = np.load(path)
    assert raw.shape == (3, 2, 5) and raw.dtype == np.float64 and np.array_equal(raw, TABLE)
    with pytest.raises(ValueError):
        write_big_five(path, TABLE.reshape(3, 10))


def test_interaction_order_round_trip(tmp_path):
    path = tmp_path / "interaction_order.pkl"
    order = {"G001T000A000R000": 0, "G002T001A039R010": 1}
    write_interaction_order(path, order)
    assert read_interaction_order(path) == order
    with open(path, "rb") as handle:
        assert pickle.load(handle) == order


@pytest.mark.parametrize("obj,field", [
    (["G001T000A000R000"], None),
    ({"G001T000A000R000": 2}, "[G001T000A000R000]"),
    ({"G001T000A000R000": "0"}, "[G001T000A000R000]"),
    ({"G001T000A000R000": 1.0}, "[G001T000A000R000]"),
    ({"G001T000A000R000": True}, "[G001T000A000R000]"),
    ({"bad-id": 0}, "key 'bad-id'"),
])
def test_interaction_order_errors(tmp_path, obj, field):
    path = tmp_path / "interaction_order.pkl"
    path.write_bytes(pickle.dumps(obj))
    with pytest.raises(FormatError) as info:
        read_interaction_order(path)
    assert str(path) in str(info.value)
    if field:
        assert field in str(info.value)


def test_interaction_order_malicious(tmp_path):
    path = tmp_path / "interaction_order.pkl"
    path.write_bytes(b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.")
    with pytest.raises(UnsafePickleError, match="os.system"):
        read_interaction_order(path)


def test_action_names(tmp_path):
    path = tmp_path / "action_setting.txt"
    write_action_names(path, official_action_names())
    assert not path.read_text().endswith("\n")
    assert read_action_names(path) == official_action_names()
    path.write_text("\n".join(official_action_names()) + "\r\n")
    assert read_action_names(path) == official_action_names()
    path.write_text("\n".join(official_action_names()[:39]))
    with pytest.raises(FormatError, match=r"\[lines\].*40 category names.*39 lines"):
        read_action_names(path)
    names = official_action_names()
    names[5] = " "
    path.write_text("\n".join(names))
    with pytest.raises(FormatError, match=r"\[line 6\]"):
        read_action_names(path)
