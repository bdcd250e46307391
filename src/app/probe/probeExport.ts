/**
 * The probe's results as files a researcher can take elsewhere: a JSON with everything needed to recompute the
 * views (σ, every input's aggregate projection, class profiles, Jaccard matrices, class overlap) and a long-format
 * CSV of the class profiles (one row per layer × influential direction × class). Pure: no DOM.
 */
import type { ClassProfile } from '../../analysis/profiles';
import { classOverlap, classProfiles, jaccardMatrix } from '../../analysis/profiles';
import type { LayerRecord } from '../../../workers/layerRecords';
import { toCsv } from '../../../workers/layerRecords';

/** One probed layer, by the name the scan shows. */
export interface ExportedLayer {
  readonly tensor: string;
  readonly definition: string;
  readonly rank: number;
  readonly sigma: Float64Array;
  readonly aggregates: Float64Array;
}

export interface ProbeExportInput {
  readonly model: string;
  readonly runtime: string;
  readonly aggregate: 'mean' | 'max';
  readonly threshold: number;
  /** The probed layers in depth order. */
  readonly layers: readonly ExportedLayer[];
  readonly classes: readonly string[];
  readonly labels: readonly number[];
  readonly names: readonly string[];
}

const DEFINITION =
  'SCIENCE.md §3 (DeepDataProfiler SVD neurons): P = Uᵀ(A − b) per input, aggregated over positions; influential directions = the 0.1-style cumulative threshold plus one, ' +
  'weights c_k/c_last; class profile = the sum over its inputs. direction k is 1-based (σ_k, descending). class_overlap = mean pairwise Jaccard over classes with inputs (ours).';

const profilesOf = (l: ExportedLayer, input: ProbeExportInput): ClassProfile[] => classProfiles(l.aggregates, input.labels.length, l.rank, input.labels, input.classes, input.threshold);
const rows = (data: Float64Array, width: number): number[][] => Array.from({ length: width === 0 ? 0 : data.length / width }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));

/** Everything the probe computed, as JSON (numbers as float64 decimal). */
export function probeJson(input: ProbeExportInput): string {
  const c = input.classes.length;
  return JSON.stringify(
    {
      model: input.model,
      runtime: input.runtime,
      definition: DEFINITION,
      options: { aggregate: input.aggregate, threshold: input.threshold },
      classes: input.classes,
      inputs: input.names.map((name, i) => ({ name, class: input.classes[input.labels[i] as number] })),
      layers: input.layers.map((l) => {
        const profiles = profilesOf(l, input);
        return {
          layer: l.tensor,
          definition: l.definition,
          rank: l.rank,
          sigma: Array.from(l.sigma),
          class_overlap: { jaccard: nullIfNaN(classOverlap(profiles, false)), weighted_jaccard: nullIfNaN(classOverlap(profiles, true)) },
          class_profiles: Object.fromEntries(profiles.map((p) => [p.label, { count: p.count, weights: Array.from(p.weights) }])),
          jaccard: rows(jaccardMatrix(profiles, false), c),
          weighted_jaccard: rows(jaccardMatrix(profiles, true), c),
          aggregates: rows(l.aggregates, l.rank),
        };
      }),
    },
    null,
    1,
  );
}

const nullIfNaN = (v: number) => (Number.isNaN(v) ? null : v);

/** The class profiles as long-format CSV: one row per layer × direction × class, for directions some class relies on. */
export function probeCsv(input: ProbeExportInput): string {
  const records: LayerRecord[] = [];
  for (const l of input.layers) {
    const profiles = profilesOf(l, input);
    for (let k = 0; k < l.rank; k++) {
      if (!profiles.some((p) => (p.weights[k] as number) > 0)) continue;
      for (const p of profiles) {
        const w = p.weights[k] as number;
        records.push({ layer: l.tensor, definition: l.definition, direction_k: k + 1, sigma: l.sigma[k] as number, class: p.label, inputs: p.count, weight: w, mean_weight: p.count > 0 ? w / p.count : 0 });
      }
    }
  }
  return toCsv(records, CSV_COLUMNS);
}

const CSV_COLUMNS = ['layer', 'definition', 'direction_k', 'sigma', 'class', 'inputs', 'weight', 'mean_weight'];
