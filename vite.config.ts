import { defineConfig } from 'vitest/config';
import { defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Cross-origin isolation (COOP same-origin + COEP require-corp) is on everywhere the app is served:
 * SharedArrayBuffer and shared WebAssembly memory need it (see README, "Cross-origin isolation").
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

export default defineConfig({
  plugins: [react()],
  base: './',
  // onnxruntime-web's own bundler condition: its entries then bundle no wasm and load the runtime files from
  // `env.wasm.wasmPaths`, which the probe worker points at copies served from our origin (workers/probe/workerRuntimes.ts).
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  // The probe worker's runtimes, pre-bundled at dev-server start: found later (the worker imports them), they
  // would make the dev server re-optimise and reload the page on the first probe.
  optimizeDeps: { include: ['@tensorflow/tfjs', 'onnxruntime-web/wasm'] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'cli/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
