import os
import pickle
import sys

import numpy as np
import pytest

from interx.data.safe_pickle import dump_plain_pickle, dumps_plain_pickle, load_plain_pickle
from interx.errors import FormatError, UnsafePickleError


class _RunsShell:
    """Pickles to a call of os.system: what an attacker's pickle would do."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class _WritesFile:
    """Pickles to a call of a builtin that writes a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("obj", [
    {"G001T000A000R000": 0, "G001T000A000R001": 1},
    ["a", 1, 2.5, None, True, (1, "x"), {"nested": [1, 2]}],
    {1: "one", 2: "two"},
    {"set": {1, 2}, "frozen": frozenset({"a"})},
])
@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_plain_round_trip(tmp_path, obj, protocol):
    path = tmp_path / "x.pkl"
    if protocol < 4 and "set" in obj:
        with pytest.raises(UnsafePickleError, match="set"):  # sets need a global before protocol 4
            dump_plain_pickle(obj, path, protocol=protocol)
        assert not path.exists()
        return
    dump_plain_pickle(obj, path, protocol=protocol)
    assert load_plain_pickle(path) == obj
    assert load_plain_pickle(path.read_bytes(), "mem") == obj


def test_plain_data_from_plain_pickle_module_loads(tmp_path):
    path = tmp_path / "order.pkl"
    path.write_bytes(pickle.dumps({"G001T000A000R000": 1}, protocol=pickle.HIGHEST_PROTOCOL))
    assert load_plain_pickle(path) == {"G001T000A000R000": 1}


@pytest.mark.parametrize("payload", [_RunsShell, _WritesFile])
def test_malicious_pickle_is_refused_and_nothing_runs(tmp_path, payload):
    marker = tmp_path / "pwned"
    path = tmp_path / "interaction_order.pkl"
    path.write_bytes(pickle.dumps({"G001T000A000R000": payload(marker)}, protocol=2))
    with pytest.raises(UnsafePickleError) as info:
        load_plain_pickle(path)
    message = str(info.value)
    assert str(path) in message and "[global]" in message and "plain containers" in message
    assert ("system" in message) or ("open" in message)
    assert not marker.exists()


def test_numpy_objects_are_refused(tmp_path):
    path = tmp_path / "idx.pkl"
    path.write_bytes(pickle.dumps({"word": np.int64(3)}))
    with pytest.raises(UnsafePickleError, match="numpy"):
        load_plain_pickle(path)


def test_persistent_ids_are_refused():
    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return "ext" if obj == "secret" else None

    import io

    buffer = io.BytesIO()
    Pickler(buffer, protocol=2).dump(["secret"])
    with pytest.raises(UnsafePickleError, match="persistent id"):
        load_plain_pickle(buffer.getvalue(), "p.pkl")


def test_bytes_values_are_refused():
    with pytest.raises(UnsafePickleError, match="bytes"):
        load_plain_pickle(pickle.dumps({"k": b"raw"}, protocol=4), "b.pkl")


@pytest.mark.parametrize("cut", [0, 1, 10])
def test_truncated_or_empty_pickle(tmp_path, cut):
    data = pickle.dumps({f"w{i}": i for i in range(100)}, protocol=4)
    path = tmp_path / "t.pkl"
    path.write_bytes(data[:cut] if cut else b"")
    with pytest.raises(FormatError) as info:
        load_plain_pickle(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(FormatError, match="no such file"):
        load_plain_pickle(tmp_path / "none.pkl")


def test_writer_refuses_non_plain_data(tmp_path):
    with pytest.raises(UnsafePickleError):
        dumps_plain_pickle({"a": np.float32(1.0)})
    with pytest.raises(UnsafePickleError):
        dump_plain_pickle([object()], tmp_path / "x.pkl")
    assert not (tmp_path / "x.pkl").exists()
    with pytest.raises(ValueError):
        dumps_plain_pickle({}, protocol=1)


def test_nothing_was_imported_by_a_refused_pickle():
    name = "xml.dom.minidom"
    sys.modules.pop(name, None)
    data = b"\x80\x02cxml.dom.minidom\nparseString\nq\x00."
    with pytest.raises(UnsafePickleError):
        load_plain_pickle(data, "evil.pkl")
    assert name not in sys.modules
