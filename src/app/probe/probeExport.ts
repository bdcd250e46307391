/**
 * The probe's results as files a researcher can take elsewhere: a JSON with everything needed to recompute the
 * views (σ, every input's aggregate projection, class profiles, Jaccard matrices, class overlap) and a long-format
 * CSV of the class profiles (one row per layer × influential direction × class). Pure: no DOM.
 */
import type { ClassProfile } from '../../analysis/profiles';
import { classOverlap, classProfiles, jaccardMatrix } from '../../analysis/profiles';

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
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The class profiles as long-format CSV: one row per layer × direction × class, for directions some class relies on. */
export function probeCsv(input: ProbeExportInput): string {
  const lines = ['layer,definition,direction_k,sigma,class,inputs,weight,mean_weight'];
  for (const l of input.layers) {
    const profiles = profilesOf(l, input);
    for (let k = 0; k < l.rank; k++) {
      if (!profiles.some((p) => (p.weights[k] as number) > 0)) continue;
      for (const p of profiles) {
        const w = p.weights[k] as number;
        lines.push([csvField(l.tensor), csvField(l.definition), k + 1, l.sigma[k], csvField(p.label), p.count, w, p.count > 0 ? w / p.count : 0].join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
