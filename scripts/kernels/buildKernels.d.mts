/** Types of buildKernels.mjs (plain JavaScript, so `npm run prepare`-style hooks need no TypeScript runner). */

/** Repository root. */
export declare const REPO_ROOT: string;
/** Where the .wasm files go, relative to the repository root. */
export declare const OUTPUT_DIR: string;
/** The kernels: one AssemblyScript source, one .wasm per memory variant. */
export declare const KERNELS: readonly {
  readonly source: string;
  readonly outputs: readonly { readonly file: string; readonly flags: readonly string[] }[];
}[];

export interface BuildKernelsOptions {
  /** Repository root (default: two levels above the script). */
  readonly root?: string;
  /** Build even when the manifest says the outputs are up to date. */
  readonly force?: boolean;
  /** Do not print the written files. */
  readonly quiet?: boolean;
}

export interface BuildKernelsResult {
  /** False when the outputs were already up to date. */
  readonly built: boolean;
  /** Absolute path of the output directory. */
  readonly outputDir: string;
  /** Absolute paths of the .wasm outputs. */
  readonly files: readonly string[];
  readonly milliseconds: number;
}

/** Build the kernels (or do nothing if they are up to date); see the file comment of buildKernels.mjs. */
export declare function buildKernels(options?: BuildKernelsOptions): Promise<BuildKernelsResult>;

/**
 * Throws unless a compiled module (its text format) imports only env.memory, has no data segment and
 * never writes a global or grows memory: what lets workers share one memory.
 */
export declare function checkThreadSafe(name: string, text: string): void;
