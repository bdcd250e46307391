/** Vite `?url` imports of onnxruntime-web's runtime files (the `.wasm` pattern is declared in workers/assets.d.ts). */
declare module '*.mjs?url' {
  const url: string;
  export default url;
}
