// Entry point esbuild bundles into three.bundle.min.js (see REFRESH_THREE.md).
export * from 'three';
export { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
