/**
 * What a parsed TF.js JSON file is (tfjs-core `io/types.ts` `ModelJSON`, tfjs-converter output):
 *
 * - a layers model: `{format?: "layers-model", modelTopology: {class_name, config, keras_version?, …}
 *   (or `{model_config: …}` from the Keras converter), weightsManifest, generatedBy?, convertedBy?}`;
 * - a graph model: `{format: "graph-model", modelTopology: {node: [...], library?, versions?}, weightsManifest, signature?, …}`;
 * - a bare weights manifest: the `weightsManifest` array alone (weights-only releases such as face-api.js).
 */
import { FormatError } from '../formatError';
import { describeJsonValue, isPlainObject, primitiveText } from './jsonValues';
import type { ManifestGroup } from './tfjsManifest';
import { parseWeightsManifest } from './tfjsManifest';

/** The kind of TF.js file. */
export type TfjsModelKind = 'layers-model' | 'graph-model' | 'weights-manifest';

/** A TF.js JSON file, interpreted. */
export interface TfjsModelJson {
  readonly kind: TfjsModelKind;
  readonly groups: readonly ManifestGroup[];
  /** `modelTopology` as written (layers config or GraphDef JSON); `undefined` for a bare manifest. */
  readonly topology: unknown;
  /** Descriptive fields as strings (format, generatedBy, convertedBy, model class, Keras version, …). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The kind of a model.json object from `format` and the topology's shape. */
function kindOf(json: Record<string, unknown>): TfjsModelKind {
  const topology = json.modelTopology;
  if (json.format === 'graph-model' || (isPlainObject(topology) && Array.isArray(topology.node))) return 'graph-model';
  return topology === undefined || topology === null ? 'weights-manifest' : 'layers-model';
}

/** Metadata strings from the fields TF.js writers fill in (only primitives are kept). */
function metadataOf(json: Record<string, unknown>, kind: TfjsModelKind, groups: readonly ManifestGroup[]): Record<string, string> {
  const entries: [string, string | undefined][] = [['format', primitiveText(json.format) ?? kind]];
  entries.push(['generatedBy', primitiveText(json.generatedBy)], ['convertedBy', primitiveText(json.convertedBy)]);
  const topology = isPlainObject(json.modelTopology) ? json.modelTopology : {};
  const config = isPlainObject(topology.model_config) ? topology.model_config : topology;
  entries.push(['model_class', primitiveText(config.class_name)], ['keras_version', primitiveText(topology.keras_version)]);
  entries.push(['backend', primitiveText(topology.backend)]);
  if (Array.isArray(topology.node)) entries.push(['graph_nodes', String(topology.node.length)]);
  const versions = isPlainObject(topology.versions) ? primitiveText(topology.versions.producer) : undefined;
  entries.push(['graph_producer_version', versions]);
  entries.push(['weight_groups', String(groups.length)]);
  if (isPlainObject(json.userDefinedMetadata)) {
    for (const [key, value] of Object.entries(json.userDefinedMetadata)) entries.push([`user:${key}`, primitiveText(value)]);
  }
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * Interpret a parsed TF.js JSON file.
 *
 * @param json the parsed file
 * @param file its name, for errors
 * @throws FormatError `BAD_STRUCTURE` when it is neither a model.json object with a `weightsManifest` nor a
 *   manifest array (a topology-only model.json says so), and the errors of {@link parseWeightsManifest}
 */
export function interpretTfjsJson(json: unknown, file: string): TfjsModelJson {
  if (Array.isArray(json)) {
    const groups = parseWeightsManifest(json, file);
    return { kind: 'weights-manifest', groups, topology: undefined, metadata: { format: 'weights manifest', weight_groups: String(groups.length) } };
  }
  if (!isPlainObject(json)) {
    throw new FormatError(
      'BAD_STRUCTURE',
      `"${file}" is JSON but not a TF.js model: expected an object with "modelTopology" and "weightsManifest", or a weights manifest (a list of groups), found ${describeJsonValue(json)}.`,
      { file },
    );
  }
  if (json.weightsManifest === undefined || json.weightsManifest === null) {
    const what =
      json.modelTopology === undefined
        ? 'has neither "modelTopology" nor "weightsManifest", so it is not a TF.js model.json'
        : 'has a "modelTopology" but no "weightsManifest": it describes an architecture without weights';
    throw new FormatError('BAD_STRUCTURE', `"${file}" ${what}.`, {
      file,
      remedy: 'Open the model.json that lists the weight files (its "weightsManifest"), together with those files.',
    });
  }
  const kind = kindOf(json);
  const groups = parseWeightsManifest(json.weightsManifest, file);
  return { kind, groups, topology: json.modelTopology ?? undefined, metadata: metadataOf(json, kind, groups) };
}
