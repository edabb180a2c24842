"""Golden bytes: one sequence of every category, hashed, so a change to the generated data is seen and deliberate.

When a change of bytes is intended, regenerate the record with
`python tests/synth/test_golden.py` and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

from interx.data.ids import SequenceId
from interx.synth.generate import select_ids, write_synthetic_release

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "synth_golden.json"
SEED = 0


def first_id_per_category() -> list[str]:
    first: dict[int, str] = {}
    for seq_id in select_ids("tiny"):
        first.setdefault(SequenceId.parse(seq_id).action, seq_id)
    return [first[a] for a in sorted(first)]


def release_digests(root: Path) -> dict[str, str]:
    """One sha256 per sequence over its files (motions, skeletons, texts), and one for the rest."""
    digests = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        key = relative.parts[1].split(".")[0] if relative.parts[0] in ("motions", "skeletons", "texts") else "release"
        digests.setdefault(key, hashlib.sha256()).update(str(relative).encode() + path.read_bytes())
    return {key: value.hexdigest() for key, value in sorted(digests.items())}


def generate_digests(workers: int = 2) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "golden"
        report = write_synthetic_release(out, "tiny", seed=SEED, ids=first_id_per_category(), workers=workers)
        assert not report.failed, report.failed
        return release_digests(out)


def test_every_category_gives_the_recorded_bytes():
    expected = json.loads(GOLDEN.read_text())
    actual = generate_digests()
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert not changed, (
        f"synthetic bytes changed for {changed}; if deliberate, run `python tests/synth/test_golden.py` "
        "and say so in the commit"
    )


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(generate_digests(), indent=1) + "\n")
    sys.stdout.write(f"wrote {GOLDEN}\n")
