import type { FileEntry } from '../../workers/protocol';
import type { LoadedSample } from '../state/appState';
import { parseTrainingLog } from '../analysis/checkpoints';

/** One built-in sample, as listed in `public/samples/samples.json`. */
export interface SampleEntry {
  readonly id: string;
  readonly title: string;
  /** The model file; for a study, its first checkpoint (what a list shows). */
  readonly file: string;
  /** A study sample (issue 9): its checkpoints, relative to the samples folder, and its training log. */
  readonly study?: { readonly checkpoints: readonly string[]; readonly log?: string };
  readonly description?: string;
  /** Another sample to draw behind this one for comparison (the random-init twin). */
  readonly twin?: string;
  /** The same model as a runnable TF.js layers model (for activation probes), relative to the samples folder. */
  readonly tfjs?: string;
}

const base = () => new URL(`${import.meta.env.BASE_URL}samples/`, document.baseURI);

function isSampleEntry(v: unknown): v is SampleEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.title === 'string' && typeof e.file === 'string';
}

/** The list of built-in samples. */
export async function listSamples(): Promise<SampleEntry[]> {
  const response = await fetch(new URL('samples.json', base()));
  if (!response.ok) throw new Error(`Could not load the sample list (HTTP ${response.status}).`);
  const json: unknown = await response.json();
  if (!Array.isArray(json)) throw new Error('The sample list is not a JSON array.');
  return json.filter(isSampleEntry);
}

/** Fetch a sample's file(s) from our own origin. */
export async function loadSample(id: string): Promise<LoadedSample> {
  const samples = await listSamples();
  const entry = samples.find((s) => s.id === id);
  if (!entry) throw Object.assign(new Error(`There is no built-in sample called "${id}".`), { code: 'NO_SUCH_SAMPLE' });
  if (entry.study) return loadStudySample(entry, entry.study);
  const response = await fetch(new URL(entry.file, base()));
  if (!response.ok) throw new Error(`Could not load sample ${entry.file} (HTTP ${response.status}).`);
  const files: FileEntry[] = [{ name: entry.file, blob: await response.blob() }];
  const twin = samples.find((s) => s.id === entry.twin);
  const probe = typeof entry.tfjs === 'string' ? await loadTfjsForm(entry.tfjs) : undefined;
  return { files, ...(twin ? { twin: { id: twin.id, title: twin.title } } : {}), ...(probe ? { probe } : {}) };
}

/** A study sample's checkpoints (fetched together) and its training log's curves. */
async function loadStudySample(entry: SampleEntry, study: NonNullable<SampleEntry['study']>): Promise<LoadedSample> {
  const fetchBlob = async (path: string) => {
    const response = await fetch(new URL(path, base()));
    if (!response.ok) throw new Error(`Could not load ${path} of sample ${entry.id} (HTTP ${response.status}).`);
    return response.blob();
  };
  const checkpoints = await Promise.all(
    study.checkpoints.map(async (path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      return { name, files: [{ name, blob: await fetchBlob(path) }] };
    }),
  );
  const log = study.log ? parseTrainingLog(JSON.parse(await (await fetchBlob(study.log)).text())) : { curves: [], milestones: {} };
  return { files: [], study: { title: entry.title, checkpoints, curves: log.curves, milestones: log.milestones } };
}

/**
 * A sample's TF.js form (model.json and its shards), for probes: the scanned safetensors form has no graph. Its
 * weights are the same tensors under Keras names, `conv1/kernel` for `conv1.weight` (how scripts/sample writes both).
 */
async function loadTfjsForm(modelJson: string): Promise<LoadedSample['probe']> {
  const url = new URL(modelJson, base());
  const response = await fetch(url);
  if (!response.ok) return undefined;
  const blob = await response.blob();
  const json: unknown = JSON.parse(await blob.text());
  const manifest = (json as { weightsManifest?: { paths?: unknown; weights?: { name?: unknown }[] }[] }).weightsManifest ?? [];
  const paths = manifest.flatMap((g) => (Array.isArray(g.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : []));
  const shards = await Promise.all(
    paths.map(async (p) => {
      const r = await fetch(new URL(p, url));
      if (!r.ok) throw new Error(`Could not load the sample's TF.js shard ${p} (HTTP ${r.status}).`);
      return { name: p, blob: await r.blob() };
    }),
  );
  const names: Record<string, string> = {};
  for (const g of manifest) for (const w of g.weights ?? []) if (typeof w.name === 'string' && w.name.endsWith('/kernel')) names[w.name] = `${w.name.slice(0, -'/kernel'.length)}.weight`;
  return { files: [{ name: url.pathname.slice(url.pathname.lastIndexOf('/') + 1), blob }, ...shards], names };
}

/** The file name a URL names (its last path segment, decoded), for format sniffing and messages. */
export function fileNameOfUrl(url: string): string {
  const path = new URL(url, document.baseURI).pathname;
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || 'model';
  } catch {
    return last || 'model';
  }
}

/** Fetch a model's files from URLs (a `?url=` link); a failure says which URL and what to do instead. */
export async function loadUrls(urls: readonly string[]): Promise<FileEntry[]> {
  return Promise.all(
    urls.map(async (url) => {
      const name = fileNameOfUrl(url);
      const fail = (why: string) =>
        Object.assign(new Error(`Could not fetch the model file ${url}: ${why}`), {
          code: 'URL_FETCH_FAILED',
          file: name,
          remedy: 'Download the file and drop it on the page instead (it stays on your machine).',
        });
      let response: Response;
      try {
        response = await fetch(new URL(url, document.baseURI), { mode: 'cors', credentials: 'omit' });
      } catch {
        throw fail('the server could not be reached or does not allow cross-origin reads (CORS).');
      }
      if (!response.ok) throw fail(`HTTP ${response.status}.`);
      return { name, blob: await response.blob() };
    }),
  );
}
