/**
 * Layer classes from a Keras model config (Keras 2 root attribute `model_config`, Keras 3 `config.json` in a
 * `.keras` archive), so each weight can say which layer op uses it (`Conv2D`, `DepthwiseConv2D`, `Dense`, …).
 *
 * A model config is `{class_name, config: {name, layers: [{class_name, config: {name, …}}, …]}}`; nested
 * models (`Sequential`, `Functional`, `Model`) repeat that shape; Keras ≤ 2.2 Sequential configs are a bare
 * list of layers. Keras 3 also wraps everything in `{module, class_name, config, registered_name}`.
 */

/** Which class each layer is. */
export interface KerasLayerClasses {
  /** By layer name (what Keras 2 weight names and tf-keras `.keras` files use): `conv2d` → `Conv2D`. */
  readonly byName: ReadonlyMap<string, string>;
  /**
   * By Keras 3 weights-file path (`layers/conv2d_1`, `layers/functional/layers/dense`), in model order.
   * Keras 3 (`saving_lib._save_container_state`) names a layer's group after its class, snake-cased, with
   * `_1`, `_2`, … for repeats within one container, not after the layer's own name.
   */
  readonly byPath: ReadonlyMap<string, string>;
  /** The model's own class, e.g. `Sequential`. */
  readonly modelClass?: string;
}

/** Deepest nesting followed (hostile configs can nest without end). */
const MAX_DEPTH = 64;

/** Keras 3 `naming.to_snake_case`: `Conv2D` → `conv2d`, `DepthwiseConv2D` → `depthwise_conv2d`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The layer list of a model node, or null when it has none. */
function layersOf(node: Record<string, unknown>): unknown[] | null {
  const config = node.config;
  if (Array.isArray(config)) return config;
  const layers = record(config)?.layers;
  return Array.isArray(layers) ? layers : null;
}

/**
 * The layer classes in a parsed model config. Tolerant: anything unexpected is skipped, never thrown,
 * since the config only adds op names to weights found elsewhere.
 */
export function kerasLayerClasses(config: unknown): KerasLayerClasses {
  const byName = new Map<string, string>();
  const byPath = new Map<string, string>();
  const visit = (node: Record<string, unknown>, prefix: string, depth: number) => {
    const layers = layersOf(node);
    if (!layers || depth > MAX_DEPTH) return;
    const used = new Map<string, number>();
    for (const item of layers) {
      const layer = record(item);
      const className = layer?.class_name;
      if (!layer || typeof className !== 'string') continue;
      const name = record(layer.config)?.name ?? layer.name;
      if (typeof name === 'string' && !byName.has(name)) byName.set(name, className);
      const snake = toSnakeCase(className);
      const seen = used.get(snake);
      used.set(snake, seen === undefined ? 0 : seen + 1);
      const path = `${prefix}layers/${seen === undefined ? snake : `${snake}_${seen + 1}`}`;
      byPath.set(path, className);
      visit(layer, `${path}/`, depth + 1);
    }
  };
  const root = record(config);
  if (root) visit(root, '', 0);
  else if (Array.isArray(config)) visit({ config }, '', 0);
  const modelClass = root?.class_name;
  return typeof modelClass === 'string' ? { byName, byPath, modelClass } : { byName, byPath };
}

/** Parse config JSON text; `null` when it is not JSON (the weights still open, without op names). */
export function parseKerasConfig(text: string | undefined): KerasLayerClasses | null {
  if (text === undefined) return null;
  try {
    return kerasLayerClasses(JSON.parse(text));
  } catch {
    // A damaged config costs only the op names.
    return null;
  }
}
