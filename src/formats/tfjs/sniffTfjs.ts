/**
 * Recognise a TF.js JSON file by its first bytes and name. A TF.js model is plain JSON (tfjs-core
 * `io/types.ts` `ModelJSON`): an object whose writers put `format`, `modelTopology` or `weightsManifest` first
 * (tfjs-converter writes `{"format": "graph-model", …`, `LayersModel.save` `{"modelTopology": …`), or, for a
 * weights-only release, a bare `WeightsManifestConfig`: an array of `{"paths": […], "weights": […]}` groups.
 */
import { isSafetensorsIndexName, isTfjsJsonName } from './tfjsFileNames';

/** Keys or values that only TF.js model files put at the start of their JSON. */
const OBJECT_HINTS = /"(?:modelTopology|weightsManifest)"|"format"\s*:\s*"(?:layers|graph)-model"/;
/** A weights manifest: an array whose first group starts with `paths` or `weights`. */
const MANIFEST_START = /^\[\s*\{\s*"(?:paths|weights)"/;

/** The head as text, after a UTF-8 byte order mark and leading JSON whitespace (bytes above 0x7f kept as Latin-1). */
function headText(head: Uint8Array): string {
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (at < head.length && (head[at] === 0x20 || head[at] === 0x09 || head[at] === 0x0a || head[at] === 0x0d)) at++;
  return String.fromCharCode(...head.subarray(at));
}

/**
 * Whether a file is a TF.js `model.json` or weights manifest: its first non-blank byte is `{` or `[`, and
 * either its name says so (`model.json`, `*weights_manifest.json`) or its first bytes carry a TF.js key
 * (`"modelTopology"`, `"weightsManifest"`, `"format": "layers-model"`/`"graph-model"`, or `[{"paths"`/`[{"weights"`).
 * Never claims `*.safetensors.index.json`. Cheap, pure, never throws. A damaged file whose JSON is cut
 * after those bytes still matches, so that `open` can say where the JSON breaks.
 *
 * @param head the first bytes of the file (the registry passes 64)
 * @param name the file name
 */
export function sniffTfjs(head: Uint8Array, name: string): boolean {
  if (isSafetensorsIndexName(name)) return false;
  const text = headText(head);
  const first = text[0];
  if (first !== '{' && first !== '[') return false;
  if (isTfjsJsonName(name)) return true;
  return first === '{' ? OBJECT_HINTS.test(text) : MANIFEST_START.test(text);
}
