/**
 * Format-neutral description of a model: what every reader in `src/formats` returns and every analysis consumes.
 * Pure types plus tiny helpers; this layer imports nothing.
 */

/**
 * Element type of a tensor's values. Readers map their format's names onto these; a quantized tensor that the
 * reader dequantizes (GGUF Q8_0, TF.js uint8) reports the float type it decodes to, with the stored form in `encoding`.
 */
export type DType =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U8'
  | 'U16'
  | 'U32'
  | 'U64'
  | 'BOOL'
  | 'F8_E4M3'
  | 'F8_E5M2'
  /** A dtype the reader does not recognise; the tensor's `unsupported` text names the stored dtype. */
  | 'UNKNOWN';

/** Dtypes whose values the app can decode to floating point for analysis. */
export const FLOAT_DTYPES: readonly DType[] = ['F64', 'F32', 'F16', 'BF16'];

/**
 * Memory layout of a 4-D convolution kernel.
 * OIHW: PyTorch / ONNX (c_out, c_in, kh, kw). HWIO: TensorFlow / TF.js / Keras (kh, kw, c_in, c_out).
 */
export type ConvLayout = 'OIHW' | 'HWIO';

/** Where a layout came from: stated by the file / op, or assumed from the format's convention. */
export type LayoutSource = 'file' | 'convention';

/** What a tensor is, as far as the analysis is concerned. */
export type TensorKind = 'dense' | 'conv2d' | 'stack' | 'vector' | 'scalar' | 'other';

/**
 * Anything with Blob's slicing API. `File` and `Blob` satisfy it structurally, so the pure layers
 * do not depend on the DOM library.
 */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): BlobLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A named input file (a dropped `File`, or a fetched sample wrapped with its name). */
export interface NamedBlob {
  readonly name: string;
  readonly blob: BlobLike;
}

/** Serializable description of one tensor (what crosses the worker boundary). */
export interface TensorInfo {
  /** Tensor name as stored in the file, e.g. `conv1.weight`. */
  readonly name: string;
  readonly dtype: DType;
  /** Shape as stored. */
  readonly shape: readonly number[];
  /** Product of the shape (1 for scalars). */
  readonly size: number;
  readonly kind: TensorKind;
  /** For 4-D conv kernels: the layout and where it came from. */
  readonly layout?: ConvLayout;
  readonly layoutSource?: LayoutSource;
  /** File the bytes live in (for sharded models). */
  readonly file: string;
  /** Byte length of the stored data. */
  readonly byteLength: number;
  /** Set when the dtype cannot be decoded; the tensor is listed but not analysed. */
  readonly unsupported?: string;
  /** The op that uses this weight when the file says so (ONNX `Conv`, `Gemm`, `MatMul`; Keras layer class). */
  readonly op?: string;
  /** The name of the node that uses this weight, when the file names it (ONNX); Netron shows nodes by it. */
  readonly node?: string;
  /** How the stored values become floats when that is not plain, e.g. `uint8 dequantized: min + scale·q`. */
  readonly encoding?: string;
  /**
   * Set on a virtual tensor that stands for a low-rank update stored as factors (a LoRA pair, `loraModel.ts`):
   * the tensor is ΔW = scale·B·A, its shape [out, in], and its singular values come from the factors.
   */
  readonly lowRank?: LowRankInfo;
  /** Set on a stored LoRA factor (A, B, kohya alpha, DoRA magnitude): the virtual tensor it is analysed in. */
  readonly loraFactorOf?: string;
}

/** What a virtual low-rank tensor is made of (serialisable; the factors' bytes stay with `TensorRef.factors`). */
export interface LowRankInfo {
  /** The adapter scheme: LoRA (Hu et al., ICLR 2022), named by its file convention. */
  readonly method: 'lora';
  readonly convention: 'peft' | 'kohya' | 'diffusers';
  /** 'conv': A has kernel dimensions and ΔW is the unfold matrix out × in·kh·kw; 'embedding': PEFT `lora_embedding_*`. */
  readonly layerKind: 'linear' | 'conv' | 'embedding';
  /** Stored tensor names of A (down, r × in) and B (up, out × r). */
  readonly a: string;
  readonly b: string;
  /** r: the inner dimension of B·A; ΔW has at most this many nonzero singular values. */
  readonly rank: number;
  /** The factor in ΔW = scale·B·A. */
  readonly scale: number;
  /** Where `scale` came from, in words, e.g. `adapter_config.json: lora_alpha = 16, r = 8 → 16/8`. */
  readonly scaleSource: string;
  /** False when no alpha was found and scale 1 is an assumption. */
  readonly scaleKnown: boolean;
  /** Kernel dimensions of a conv adapter. */
  readonly kernel?: readonly number[];
  /** PEFT: the base model's weight this update is added to (a guess from the name). */
  readonly targetWeight?: string;
  /** DoRA's magnitude vector, when the file has one: the full update is then not scale·B·A alone. */
  readonly magnitudeTensor?: string;
}

/** A tensor whose bytes are read on demand. */
export interface TensorRef extends TensorInfo {
  /** Read and decode the values to float32 (float64 for F64 sources). Reads only this tensor's bytes. */
  read(): Promise<Float32Array | Float64Array>;
  /**
   * The tensor's bytes exactly as stored, as a slice of the source file (nothing is read or copied), with their
   * safetensors dtype name (`BF16`, `I64`, `F8_E8M0`, …). Present only where the stored bytes already are
   * safetensors-ready (little-endian, dense, row-major): the safetensors reader. Lets an export copy untouched
   * tensors without decoding them.
   */
  storedBytes?(): { readonly dtype: string; readonly bytes: BlobLike };
  /**
   * For a virtual low-rank tensor (`lowRank` set): its stored factors, so σ can be computed without forming
   * the product (`read()` forms it). Not part of `TensorInfo`: it never crosses the worker boundary.
   */
  readonly factors?: { readonly a: TensorRef; readonly b: TensorRef };
}

/** Serializable description of an opened model. */
export interface ModelInfo {
  /** Format id, e.g. `safetensors`. */
  readonly format: string;
  /** Display name: the file name, or the common stem of a sharded set. */
  readonly name: string;
  readonly files: readonly { name: string; size: number }[];
  readonly tensors: readonly TensorInfo[];
  /** Free-form metadata the file carries (e.g. safetensors `__metadata__`). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** An opened model with lazy tensors. */
export interface Model extends Omit<ModelInfo, 'tensors'> {
  readonly tensors: readonly TensorRef[];
  /** Free what the open model holds (e.g. an HDF5 file in its worker). Tensors read afterwards fail. */
  dispose?(): void;
}

/** Product of a shape; 1 for a scalar. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Strip the lazy reader, leaving the serializable part. */
export function toModelInfo(model: Model): ModelInfo {
  return {
    format: model.format,
    name: model.name,
    files: model.files,
    metadata: model.metadata,
    tensors: model.tensors.map(({ read: _read, storedBytes: _storedBytes, factors: _factors, ...info }) => info),
  };
}
