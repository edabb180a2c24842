"""The viewer's server: its own assets and id-checked JSON, nothing else; the export is self-contained."""

from __future__ import annotations

import base64
import http.client
import json
import re
import threading

import numpy as np
import pytest

from interx.viz.server import ViewerData, export_page, make_server
from interx.viz.sources import open_source


@pytest.fixture(scope="module")
def served(example_root, processed_root):
    """A running server on a free port: the example release, compared with the processed file."""
    data = ViewerData([open_source(example_root), open_source(processed_root / "motions" / "test.h5")])
    server = make_server(data, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, data
    server.shutdown()
    server.server_close()


def get(server, path: str) -> tuple[int, bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", path)  # http.client sends the path as given: no normalization of ../
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_binds_loopback_by_default(served):
    server, _ = served
    assert server.server_address[0] == "127.0.0.1"


def test_serves_the_page_and_its_assets(served):
    server, _ = served
    status, page = get(server, "/")
    assert status == 200 and b"<canvas" in page
    for name in re.findall(rb'(?:src|href)="assets/([^"]+)"', page):
        assert get(server, "/assets/" + name.decode())[0] == 200


@pytest.mark.parametrize("path", [
    "/assets/../server.py", "/assets/%2e%2e/server.py", "/assets/..%2fserver.py", "/assets/%2E%2E%2Fserver.py",
    "/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/REFRESH_THREE.md", "/assets/", "/server.py",
    "/api/sequence?id=../../etc/passwd", "/api/sequence?id=..%2F..%2Fetc%2Fpasswd", "/api/sequence?id=",
    "/api/sequence?id=G001T000A000R000&source=2", "/api/sequence?id=G001T000A000R000&source=..",
    "/api/../assets/app.js", "//etc/passwd", "/assets/app.js/..",
])
def test_nothing_outside_its_assets_and_ids_is_served(served, path):
    server, _ = served
    status, body = get(server, path)
    assert status == 404, path
    assert b"root:" not in body and b"import" not in body


def test_list_holds_every_id_with_texts_and_labels(served, example_root, example_ids):
    server, _ = served
    status, body = get(server, "/api/list")
    catalogue = json.loads(body)
    assert status == 200 and len(catalogue["sources"]) == 2
    assert [item["id"] for item in catalogue["items"]] == example_ids
    first = catalogue["items"][0]
    assert len(first["texts"]) == 3 and first["action"] and first["familiarity"] in (1, 2, 3, 4)


def test_sequence_joints_decode_to_the_clip_in_millimetres(served, example_ids):
    server, data = served
    status, body = get(server, f"/api/sequence?id={example_ids[0]}")
    assert status == 200
    payload = json.loads(body)
    joints = np.frombuffer(base64.b64decode(payload["joints"]), "<i2").reshape(2, payload["frames"], 55, 3)
    clip = data.sources[0].clip(example_ids[0], 30)
    assert payload["fps"] == 30 and payload["frames"] == clip.num_frames
    assert np.abs(joints * payload["scale"] - clip.joints).max() <= 0.0006


def test_compare_source_answers_for_its_ids_only(served, example_ids):
    server, _ = served
    held = sorted(example_ids[:3])[0]
    assert get(server, f"/api/sequence?id={held}&source=1")[0] == 200
    missing = [i for i in example_ids if i not in set(example_ids[:3])][0]
    assert get(server, f"/api/sequence?id={missing}&source=1")[0] == 404


def test_export_is_one_self_contained_page(served, example_ids):
    _, data = served
    page = export_page(data, example_ids[:2])
    assert not re.search(r'<(script|link)[^>]+(src|href)="(?!data:)', page)  # nothing fetched, no CDN
    blob = re.search(r'<script type="application/json" id="interx-data">(.*?)</script>', page, re.S).group(1)
    payload = json.loads(blob)
    assert [item["id"] for item in payload["catalogue"]["items"]] == example_ids[:2]
    assert set(payload["sequences"][0]) == set(example_ids[:2])
    assert "THREE" in page and "OrbitControls" in page


def test_cli_export_writes_the_chosen_sequences(example_root, example_ids, tmp_path):
    from typer.testing import CliRunner

    from interx.cli import app

    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["view", str(example_root), "--export", str(out), "--id", example_ids[1]])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert example_ids[1] in page and example_ids[0] not in page
    bad = CliRunner().invoke(app, ["view", str(example_root), "--export", str(out), "--id", "G001T000A000R999"])
    assert bad.exit_code == 2 and "G001T000A000R999" in bad.output


def test_a_sequence_with_missing_texts_stays_in_the_list(small_release):
    from interx.data.raw import RawRelease

    with RawRelease(small_release) as release:
        ids = release.ids()
    (small_release / "texts" / f"{ids[1]}.txt").unlink()
    items = ViewerData([open_source(small_release)]).catalogue()["items"]
    assert [item["id"] for item in items] == ids
    assert "texts unreadable" in items[1]["texts"][0] and len(items[0]["texts"]) == 3
