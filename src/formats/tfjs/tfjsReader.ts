import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { TFJS_FILE_ENDINGS, isTfjsShardName } from './tfjsFileNames';
import { sniffTfjs } from './sniffTfjs';

/**
 * The TF.js reader: layers models and graph models (`model.json` with `modelTopology` and `weightsManifest`)
 * and bare weights manifests (`*weights_manifest.json`), with their binary weight shards.
 *
 * - `sniff`: JSON that starts like a TF.js model or manifest, or is named like one (sniffTfjs.ts).
 * - `extensions`: the name endings `model.json` and `weights_manifest.json`, not every `.json` (see
 *   tfjsFileNames.ts: the extension fallback would otherwise claim `config.json` files dropped beside
 *   other models).
 * - `companion`: shard names that are recognisably TF.js (`group1-shard1of2.bin`, `group1-shard1of2`,
 *   `*-shard1`). Companions are decided before any reader sniffs, so a generic name (`weights.bin`, `model.bin`)
 *   is not claimed: it could be PyTorch, ONNX external data or even safetensors.
 * - `acceptsUnclaimedFiles`: a manifest may name its shards anything; unclaimed files are matched against
 *   the manifest's `paths` by base name, and the rest are ignored.
 * - `open`: `openTfjs` (openTfjs.ts), loaded on first use.
 */
export const tfjsReader: FormatReader = {
  id: 'tfjs',
  label: 'TF.js',
  extensions: TFJS_FILE_ENDINGS,
  note: 'with .bin weight shards',
  sniff: (head: Uint8Array, file: NamedBlob) => sniffTfjs(head, file.name),
  companion: (file: NamedBlob) => isTfjsShardName(file.name),
  acceptsUnclaimedFiles: true,
  open: async (files) => (await import('./openTfjs')).openTfjs(files),
};
