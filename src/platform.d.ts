/**
 * The few web-platform globals the pure layers (`src/analysis`, `src/model`, `src/formats`) may use.
 * They exist in browsers, workers and Node alike; everything else (DOM, `window`, `document`) is
 * deliberately absent from `tsconfig.core.json`, so a stray DOM reference fails typechecking.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
