"""`interx view`: a small HTTP server for the browser viewer.

It serves exactly two kinds of things: the packaged assets named in `ASSETS`
(looked up by exact name, never joined to a path) and JSON for sequences whose
id is in the source's id list. Anything else is a 404, so no request can read
a file outside the package, whatever `../` or encoding it uses. It binds
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

import numpy as np

from interx.errors import InterXError
from interx.viz.camera import front_direction, pair_axis
from interx.viz.render import person_colours
from interx.viz.sources import Clip, Labels, Source

log = logging.getLogger(__name__)

ASSETS = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "vendor/three.bundle.min.js": "text/javascript; charset=utf-8",
    "vendor/three.LICENSE": "text/plain; charset=utf-8",
}
VIEW_FPS = 30.0
MILLIMETRE = 0.001


def asset_bytes(name: str) -> bytes:
    """A packaged viewer asset, by exact name only."""
    if name not in ASSETS:
        raise KeyError(name)
    return resources.files("interx.viz").joinpath("assets", *name.split("/")).read_bytes()


def encode_clip(clip: Clip) -> dict:
    """A clip as compact JSON: int16 millimetres in base64, (persons, frames, joints, 3)."""
    joints = np.nan_to_num(clip.joints, nan=0.0)
    packed = np.clip(np.round(joints / MILLIMETRE), -32767, 32767).astype("<i2")
    flat = joints.reshape(-1, 3)
    bones = np.asarray(clip.bones, dtype=np.int64).reshape(-1, 2)
    fine_joints = np.zeros(clip.joints.shape[2], bool)
    if clip.joints.shape[2] == 55:
        fine_joints[25:] = True
    else:
        fine_joints[15:35] = True
        fine_joints[39:59] = True
    front = front_direction(pair_axis(clip.joints.mean(axis=2)))
    return {
        "id": clip.labels.id,
        "fps": clip.fps,
        "frames": clip.num_frames,
        "num_joints": int(clip.joints.shape[2]),
        "persons": clip.labels.person_names(clip.num_persons),
        "colours": ["#{:02x}{:02x}{:02x}".format(*c) for c in person_colours(clip)],
        "bones": bones.tolist(),
        "fine": fine_joints[bones[:, 1]].tolist(),
        "fine_joints": fine_joints.tolist(),
        "floor": float(flat[:, 1].min()),
        "bounds": [flat.min(axis=0).round(4).tolist(), flat.max(axis=0).round(4).tolist()],
        "view": front.round(4).tolist(),
        "scale": MILLIMETRE,
        "joints": base64.b64encode(packed.tobytes()).decode("ascii"),
    }


class ViewerData:
    """What the viewer shows: a primary source and an optional one to compare with."""

    def __init__(self, sources: list[Source], fps: float = VIEW_FPS, markers: bool = False):
        self.sources = sources
        self.fps = fps
        self.markers = markers
        self._catalogue: dict | None = None
        self._lock = threading.Lock()

    def catalogue(self) -> dict:
        """Ids with their action, texts and labels, for the list and its search (built once)."""
        with self._lock:
            if self._catalogue is None:
                items = [self._item(i) for i in self.sources[0].ids]
                self._catalogue = {"sources": [s.name for s in self.sources], "items": items}
            return self._catalogue

    def _item(self, seq_id: str) -> dict:
        """One list entry; a sequence with unreadable texts stays in the list, with the problem as its text."""
        try:
            return self.sources[0].labels(seq_id).as_dict()
        except InterXError as exc:
            log.warning("%s: %s", seq_id, exc)
            return Labels(id=seq_id, texts=[f"(texts unreadable: {exc})"]).as_dict()

    def sequence(self, seq_id: str, which: int = 0) -> dict | None:
        """A sequence's JSON, or None when that source does not hold the id (checked against its id list)."""
        if not 0 <= which < len(self.sources):
            return None
        source = self.sources[which]
        if not source.holds(seq_id):
            return None
        with self._lock:  # h5 and zip handles are not thread-safe
            clip = source.clip(seq_id, self.fps, markers=self.markers)
        return encode_clip(clip)


class _Handler(BaseHTTPRequestHandler):
    data: ViewerData
    server_version = "interx-view"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        log.debug("%s - %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, content_type: str, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload) -> None:
        self._send(status, json.dumps(payload, separators=(",", ":")).encode("utf-8"), "application/json")

    def _not_found(self) -> None:
        self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        path = url.path
        try:
            if path in ("/", "/index.html"):
                self._send(HTTPStatus.OK, asset_bytes("index.html"), ASSETS["index.html"])
            elif path.startswith("/assets/") and path[len("/assets/"):] in ASSETS:
                name = path[len("/assets/"):]
                self._send(HTTPStatus.OK, asset_bytes(name), ASSETS[name], cache=name.startswith("vendor/"))
            elif path == "/api/list":
                self._json(HTTPStatus.OK, self.data.catalogue())
            elif path == "/api/sequence":
                query = parse_qs(url.query)
                seq_id = query.get("id", [""])[0]
                which = query.get("source", ["0"])[0]
                payload = self.data.sequence(seq_id, int(which)) if which in ("0", "1") else None
                if payload is None:
                    self._not_found()
                else:
                    self._json(HTTPStatus.OK, payload)
            else:
                self._not_found()
        except Exception as exc:  # a bad file must not kill the server: report it to the page
            log.exception("viewer request %s failed", self.path)
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": str(exc)})


def make_server(data: ViewerData, *, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A threaded server for `data` (port 0 picks a free port: read `server.server_address`)."""
    handler = type("ViewerHandler", (_Handler,), {"data": data})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def _inline_script(text: str) -> str:
    """Script text safe inside <script>: '</' cannot close the element early."""
    return text.replace("</", "<\\/")


def export_page(data: ViewerData, ids: list[str], *, progress=None) -> str:
    """One self-contained HTML page (assets and the sequences `ids` inlined) that opens offline."""
    catalogue = data.catalogue()
    wanted = set(ids)
    items = [item for item in catalogue["items"] if item["id"] in wanted]
    sequences: list[dict] = [{} for _ in data.sources]
    for k, item in enumerate(items):
        for which in range(len(data.sources)):
            payload = data.sequence(item["id"], which)
            if payload is not None:
                sequences[which][item["id"]] = payload
        if progress:
            progress(k + 1, len(items))
    blob = json.dumps({"catalogue": {"sources": catalogue["sources"], "items": items}, "sequences": sequences},
                      separators=(",", ":"))
    html = asset_bytes("index.html").decode("utf-8")
    css = asset_bytes("style.css").decode("utf-8")
    three = asset_bytes("vendor/three.bundle.min.js").decode("utf-8")
    app = asset_bytes("app.js").decode("utf-8")
    html = html.replace('<link rel="stylesheet" href="assets/style.css">', f"<style>\n{css}</style>")
    html = html.replace('<script src="assets/vendor/three.bundle.min.js"></script>',
                        _script_element(f"/* three.js, MIT licence: see three.LICENSE in interx */\n{three}"))
    html = html.replace('<script src="assets/app.js"></script>',
                        f'<script type="application/json" id="interx-data">{_inline_script(blob)}</script>\n'
                        + _script_element(app))
    return html


def _script_element(code: str) -> str:
    """A <script> element holding `code`."""
    return f"<script>{_inline_script(code)}</script>"
