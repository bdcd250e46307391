/**
 * Shard file names of sharded checkpoints, as written by Hugging Face `save_pretrained` / `huggingface_hub`
 * (`split_torch_state_dict_into_shards`, filename pattern `model{suffix}.safetensors` with suffix
 * `-{index:05d}-of-{total:05d}`): e.g. `model-00001-of-00003.safetensors`, 1-based.
 */

/** A parsed shard file name. */
export interface ShardName {
  /** The common stem, e.g. `model` or `diffusion_pytorch_model`. */
  readonly stem: string;
  /** 1-based shard number. */
  readonly index: number;
  /** Number of shards in the set. */
  readonly total: number;
  /** Digits used for the shard number (5 in Hugging Face files), to spell its siblings' names. */
  readonly indexDigits: number;
  /** The total as written (e.g. `00003`). */
  readonly totalText: string;
}

const SHARD_PATTERN = /^(.+)-(\d{1,5})-of-(\d{1,5})\.safetensors$/;

/** Parse `stem-0000k-of-0000N.safetensors` (up to 5 digits, as Hugging Face writes); `null` if `name` is not a shard name or k is not in 1..N. */
export function parseShardName(name: string): ShardName | null {
  const match = SHARD_PATTERN.exec(name);
  if (!match) return null;
  const [, stem, indexText, totalText] = match as unknown as [string, string, string, string];
  const index = Number(indexText);
  const total = Number(totalText);
  if (index < 1 || index > total) return null;
  return { stem, index, total, indexDigits: indexText.length, totalText };
}

/** The file name of shard `index` of the set `shard` belongs to. */
export function siblingShardName(shard: ShardName, index: number): string {
  return `${shard.stem}-${String(index).padStart(shard.indexDigits, '0')}-of-${shard.totalText}.safetensors`;
}

/** Whether `name` is a safetensors shard index (`model.safetensors.index.json`). */
export function isSafetensorsIndexName(name: string): boolean {
  return name.endsWith('.safetensors.index.json');
}
