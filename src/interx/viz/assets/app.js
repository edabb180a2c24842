// interx viewer: list, search, 3-D playback of two-person motion, compare mode.
// Data comes from the interx server (api/list, api/sequence) or, in an exported
// page, from the JSON block #interx-data. three.js is the vendored global THREE.
(function () {
  'use strict';

  const embedded = document.getElementById('interx-data');
  const store = embedded ? JSON.parse(embedded.textContent) : null;
  const $ = (id) => document.getElementById(id);
  const FINGER_RADIUS = 0.007, BONE_RADIUS = 0.022, JOINT_RADIUS = 0.03;

  async function fetchCatalogue() {
    if (store) return store.catalogue;
    const response = await fetch('api/list');
    if (!response.ok) throw new Error('api/list: HTTP ' + response.status);
    return response.json();
  }

  async function fetchSequence(id, source) {
    if (store) return (store.sequences[source] || {})[id] || null;
    const response = await fetch('api/sequence?id=' + encodeURIComponent(id) + '&source=' + source);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error('api/sequence: HTTP ' + response.status);
    return response.json();
  }

  // Joints arrive as little-endian int16 millimetres, laid out (persons, frames, joints, 3).
  function decodeJoints(seq) {
    const bytes = Uint8Array.from(atob(seq.joints), (c) => c.charCodeAt(0));
    const ints = new Int16Array(bytes.buffer);
    const out = new Float32Array(ints.length);
    for (let i = 0; i < ints.length; i++) out[i] = ints[i] * seq.scale;
    return out;
  }

  // ---------------------------------------------------------------- 3-D scene
  const canvas = $('canvas');
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(window.devicePixelRatio || 1);
  renderer.setScissorTest(true);
  const camera = new THREE.PerspectiveCamera(38, 1, 0.05, 200);
  const controls = new THREE.OrbitControls(camera, canvas);
  controls.enableDamping = false;
  const up = new THREE.Vector3(0, 1, 0);
  const unitCylinder = new THREE.CylinderGeometry(1, 1, 1, 10);
  const unitSphere = new THREE.SphereGeometry(1, 12, 8);

  class Panel {
    constructor() {
      this.scene = new THREE.Scene();
      this.scene.background = new THREE.Color(0xf6f6f3);
      this.scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8a80, 2.2));
      const sun = new THREE.DirectionalLight(0xffffff, 1.6);
      sun.position.set(-2, 5, 3);
      this.scene.add(sun);
      this.floor = new THREE.Group();
      const plane = new THREE.Mesh(new THREE.PlaneGeometry(40, 40),
        new THREE.MeshLambertMaterial({ color: 0xd6d6d0 }));
      plane.rotation.x = -Math.PI / 2;
      const grid = new THREE.GridHelper(40, 80, 0x9a9a94, 0xb4b4ae);
      grid.position.y = 0.002;
      this.floor.add(plane, grid);
      this.scene.add(this.floor);
      this.figures = [];
      this.seq = null;
    }

    setSequence(seq) {
      for (const f of this.figures) { this.scene.remove(f.bones, f.joints); f.bones.dispose(); f.joints.dispose(); }
      this.figures = [];
      this.seq = seq;
      if (!seq) return;
      this.points = decodeJoints(seq);
      const J = seq.num_joints;
      for (let p = 0; p < seq.persons.length; p++) {
        const material = new THREE.MeshStandardMaterial({ color: seq.colours[p], roughness: 0.7 });
        const bones = new THREE.InstancedMesh(unitCylinder, material, seq.bones.length);
        const joints = new THREE.InstancedMesh(unitSphere, material, J);
        bones.frustumCulled = false;
        joints.frustumCulled = false;
        this.scene.add(bones, joints);
        this.figures.push({ bones, joints });
      }
      this.floor.position.y = seq.floor;
    }

    show(frame) {
      const seq = this.seq;
      if (!seq) return;
      const f = Math.min(frame, seq.frames - 1), J = seq.num_joints, T = seq.frames;
      const m = new THREE.Matrix4(), q = new THREE.Quaternion(), s = new THREE.Vector3();
      const a = new THREE.Vector3(), b = new THREE.Vector3(), mid = new THREE.Vector3(), dir = new THREE.Vector3();
      this.figures.forEach((fig, p) => {
        const base = (p * T + f) * J * 3;
        const at = (j, v) => v.set(this.points[base + 3 * j], this.points[base + 3 * j + 1], this.points[base + 3 * j + 2]);
        seq.bones.forEach(([i, j], k) => {
          at(i, a); at(j, b);
          dir.subVectors(b, a);
          const length = dir.length();
          mid.addVectors(a, b).multiplyScalar(0.5);
          q.setFromUnitVectors(up, length > 1e-6 ? dir.divideScalar(length) : up);
          const r = seq.fine[k] ? FINGER_RADIUS : BONE_RADIUS;
          m.compose(mid, q, s.set(r, length, r));
          fig.bones.setMatrixAt(k, m);
        });
        q.identity();
        for (let j = 0; j < J; j++) {
          const r = seq.fine_joints[j] ? FINGER_RADIUS * 1.2 : JOINT_RADIUS;
          m.compose(at(j, a), q, s.set(r, r, r));
          fig.joints.setMatrixAt(j, m);
        }
        fig.bones.instanceMatrix.needsUpdate = true;
        fig.joints.instanceMatrix.needsUpdate = true;
      });
    }
  }

  const panels = [new Panel(), new Panel()];

  function frameCamera(seq) {
    const [lo, hi] = seq.bounds;
    const centre = new THREE.Vector3((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2);
    const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], 1.0);
    const side = new THREE.Vector3(seq.view[0], 0, seq.view[2]).normalize();
    const distance = 0.75 * extent / Math.tan(THREE.MathUtils.degToRad(camera.fov / 2));
    camera.position.copy(centre).addScaledVector(side, distance * 0.95).add(new THREE.Vector3(0, distance * 0.3, 0));
    controls.target.copy(centre);
    controls.update();
  }

  // ---------------------------------------------------------------- playback
  // Draw only when something changed: software WebGL (and laptops) stay idle while paused.
  const state = { playing: false, time: 0, speed: 1, frames: 1, fps: 30, comparing: false, selected: null,
    dirty: true, shown: -1 };
  controls.addEventListener('change', () => { state.dirty = true; });
  window.addEventListener('resize', () => { state.dirty = true; });

  function currentFrame() { return Math.floor(state.time * state.fps) % state.frames; }

  function setPlaying(playing) {
    state.playing = playing;
    $('play').textContent = playing ? 'pause' : 'play';
  }

  function resize() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.floor(w * renderer.getPixelRatio()) || canvas.height !== Math.floor(h * renderer.getPixelRatio())) {
      renderer.setSize(w, h, false);
    }
    camera.aspect = (state.comparing ? w / 2 : w) / Math.max(h, 1);
    camera.updateProjectionMatrix();
  }

  let last = performance.now();
  function loop(now) {
    const dt = Math.min((now - last) / 1000, 0.1);
    last = now;
    if (state.playing) state.time = (state.time + dt * state.speed) % (state.frames / state.fps);
    const frame = currentFrame();
    requestAnimationFrame(loop);
    if (!state.dirty && frame === state.shown) return;
    state.dirty = false;
    state.shown = frame;
    $('scrub').value = frame;
    $('frame').textContent = (frame + 1) + ' / ' + state.frames;
    resize();
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const shown = state.comparing ? 2 : 1;
    for (let k = 0; k < shown; k++) {
      const x = k * w / shown;
      renderer.setViewport(x, 0, w / shown, h);
      renderer.setScissor(x, 0, w / shown, h);
      panels[k].show(frame);
      renderer.render(panels[k].scene, camera);
    }
  }

  // ---------------------------------------------------------------- panels of text
  function describe(item, seq) {
    $('title').textContent = item.id + (item.action ? ' · ' + item.action : '');
    const actor = item.actor === 0 ? 'P1' : item.actor === 1 ? 'P2' : 'unknown';
    const familiarity = item.familiarity == null ? 'unknown' : item.familiarity + ' of 4';
    $('labels').innerHTML = '';
    for (const [name, value] of [['action', item.action || 'unknown'], ['actor', actor], ['familiarity', familiarity]]) {
      const span = document.createElement('span');
      span.textContent = name + ': ' + value;
      $('labels').appendChild(span);
    }
    $('legend').innerHTML = '';
    if (seq) seq.persons.forEach((name, p) => {
      const span = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = seq.colours[p];
      span.append(swatch, name);
      $('legend').appendChild(span);
    });
    $('texts').innerHTML = '';
    for (const text of item.texts) {
      const li = document.createElement('li');
      li.textContent = text;
      $('texts').appendChild(li);
    }
  }

  function panelNames(names) {
    $('panel-names').innerHTML = '';
    for (const name of names) {
      const span = document.createElement('span');
      span.textContent = name;
      $('panel-names').appendChild(span);
    }
  }

  let catalogue = { sources: [], items: [] };

  async function select(item) {
    state.selected = item;
    for (const li of $('list').children) li.classList.toggle('selected', li.dataset.id === item.id);
    const first = await fetchSequence(item.id, 0);
    const second = state.comparing ? await fetchSequence(item.id, 1) : null;
    if (state.selected !== item) return;  // a later click won
    panels[0].setSequence(first);
    panels[1].setSequence(second);
    state.frames = Math.max(first ? first.frames : 1, second ? second.frames : 1);
    state.fps = first ? first.fps : 30;
    state.time = Math.min(state.time, (state.frames - 1) / state.fps);
    $('scrub').max = state.frames - 1;
    if (first) frameCamera(first);
    state.dirty = true;
    describe(item, first);
    const names = [catalogue.sources[0]];
    if (state.comparing) names.push(second ? catalogue.sources[1] : catalogue.sources[1] + ': no ' + item.id);
    panelNames(state.comparing ? names : []);
  }

  function matches(item, terms) {
    if (!item._haystack) item._haystack = [item.id, item.action || '', ...item.texts].join(' ').toLowerCase();
    return terms.every((t) => item._haystack.includes(t));
  }

  function showList() {
    const terms = $('search').value.toLowerCase().split(/\s+/).filter(Boolean);
    const found = catalogue.items.filter((item) => matches(item, terms));
    const limit = 400;
    $('list').innerHTML = '';
    for (const item of found.slice(0, limit)) {
      const li = document.createElement('li');
      li.dataset.id = item.id;
      li.textContent = item.id;
      const small = document.createElement('small');
      small.textContent = item.action || '';
      li.appendChild(small);
      if (state.selected && state.selected.id === item.id) li.classList.add('selected');
      li.addEventListener('click', () => select(item));
      $('list').appendChild(li);
    }
    $('count').textContent = found.length + ' of ' + catalogue.items.length + ' sequences' +
      (found.length > limit ? ' (first ' + limit + ' shown)' : '');
  }

  // ---------------------------------------------------------------- wiring
  $('play').addEventListener('click', () => setPlaying(!state.playing));
  $('scrub').addEventListener('input', () => {
    setPlaying(false);
    state.time = Number($('scrub').value) / state.fps;
    state.dirty = true;
  });
  $('speed').addEventListener('change', () => { state.speed = Number($('speed').value); });
  $('search').addEventListener('input', showList);
  $('compare').addEventListener('change', () => {
    state.comparing = $('compare').checked;
    if (state.selected) select(state.selected);
  });
  document.addEventListener('keydown', (event) => {
    if (event.target === $('search')) return;
    if (event.code === 'Space') { event.preventDefault(); setPlaying(!state.playing); }
  });

  fetchCatalogue().then((data) => {
    catalogue = data;
    $('compare-label').hidden = catalogue.sources.length < 2;
    showList();
    if (catalogue.items.length) select(catalogue.items[0]);
    else $('title').textContent = 'no sequences';
  }).catch((error) => { $('title').textContent = 'could not load: ' + error.message; });
  requestAnimationFrame(loop);
})();
