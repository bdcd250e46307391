/** Vite asset imports used by the workers: `?url` gives the built file's URL (a `data:` URL when inlined). */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
