import type { ProbeInputSpec } from '../../../workers/probeProtocol';
import type { InputPreprocessing, NormalisationPreset } from '../../analysis/probeInputs/inputSpec';
import { MAX_INPUT_SIDE, NORMALISATION_PRESETS, applyPreset, checkPreprocessing, presetOf, withChannels } from '../../analysis/probeInputs/inputSpec';
import type { ResizeMode } from './imageInputs';
import { NumberField, NumberListField } from './fields';
import { formatNumber } from './numberText';

/** The model's input as the file states it: `input_1: [N, 32, 32, 1] (NHWC)`, `?` for free sizes. */
export function describeSpec(spec: ProbeInputSpec): string {
  const h = spec.height ?? '?';
  const w = spec.width ?? '?';
  const dims = spec.layout === 'NCHW' ? ['N', spec.channels, h, w] : ['N', h, w, spec.channels];
  return `${spec.name}: [${dims.join(', ')}] (${spec.layout})`;
}

export interface PreprocessingFormProps {
  readonly spec: ProbeInputSpec | null | undefined;
  readonly value: InputPreprocessing;
  readonly onChange: (p: InputPreprocessing) => void;
  readonly resize: ResizeMode;
  readonly onResize: (mode: ResizeMode) => void;
  /** What "Reset" restores: the model's own settings. */
  readonly modelDefault: InputPreprocessing;
  readonly disabled?: boolean;
}

/** The model's input spec and the editable preprocessing, with its problems in words. */
export function PreprocessingForm({ spec, value, onChange, resize, onResize, modelDefault, disabled }: PreprocessingFormProps) {
  const set = (patch: Partial<InputPreprocessing>) => onChange({ ...value, ...patch });
  const own = checkPreprocessing(value);
  const mismatches = spec ? checkPreprocessing(value, spec).filter((m) => !own.includes(m)) : [];
  const preset = presetOf(value);
  const pixel = value.invert ? '(255 − pixel)' : 'pixel';
  return (
    <fieldset className="probe-preprocessing" disabled={disabled}>
      <legend>Input settings</legend>
      <p className="probe-spec" data-testid="probe-input-spec">
        {spec ? (
          <>
            Model input <code>{describeSpec(spec)}</code>
          </>
        ) : (
          'The model file does not state its input shape: set it here.'
        )}
      </p>
      <div className="probe-fields">
        <NumberField label="Height" integer min={1} max={MAX_INPUT_SIDE} value={value.height} onCommit={(height) => set({ height })} testId="probe-height" />
        <NumberField label="Width" integer min={1} max={MAX_INPUT_SIDE} value={value.width} onCommit={(width) => set({ width })} testId="probe-width" />
        <label className="probe-field">
          <span className="probe-field-label">Channels</span>
          <select value={value.channels} onChange={(e) => onChange(withChannels(value, e.target.value === '1' ? 1 : 3))}>
            <option value={1}>1 (grey)</option>
            <option value={3}>3 (colour)</option>
          </select>
        </label>
        <label className="probe-field">
          <span className="probe-field-label">Layout</span>
          <select value={value.layout} onChange={(e) => set({ layout: e.target.value === 'NHWC' ? 'NHWC' : 'NCHW' })}>
            <option value="NCHW">NCHW (ONNX, PyTorch)</option>
            <option value="NHWC">NHWC (TF.js, Keras)</option>
          </select>
        </label>
        <label className="probe-field" title={value.channels === 1 ? 'Grey images have one channel' : undefined}>
          <span className="probe-field-label">Channel order</span>
          <select
            value={value.channelOrder}
            disabled={value.channels === 1}
            onChange={(e) => {
              const channelOrder = e.target.value === 'BGR' ? 'BGR' : 'RGB';
              // Mean and std follow the channels they belong to.
              if (channelOrder !== value.channelOrder) set({ channelOrder, mean: [...value.mean].reverse(), std: [...value.std].reverse() });
            }}
          >
            <option value="RGB">RGB</option>
            <option value="BGR">BGR</option>
          </select>
        </label>
        <label className="probe-field" title="How images of other proportions are fitted">
          <span className="probe-field-label">Resize</span>
          <select value={resize} onChange={(e) => onResize(e.target.value === 'center-crop' ? 'center-crop' : 'stretch')}>
            <option value="stretch">Stretch to size</option>
            <option value="center-crop">Center crop</option>
          </select>
        </label>
      </div>
      <div className="probe-fields">
        <label className="probe-field">
          <span className="probe-field-label">Normalisation</span>
          <select
            value={preset ?? ''}
            onChange={(e) => e.target.value in NORMALISATION_PRESETS && onChange(applyPreset(value, e.target.value as NormalisationPreset))}
          >
            {preset === null ? <option value="">Custom</option> : null}
            {(Object.keys(NORMALISATION_PRESETS) as NormalisationPreset[]).map((key) => (
              <option key={key} value={key}>
                {NORMALISATION_PRESETS[key].label}
              </option>
            ))}
          </select>
        </label>
        <NumberField label="Scale" value={value.scale} onCommit={(scale) => set({ scale })} title="Each 0–255 pixel value is multiplied by this first, e.g. 1/255" testId="probe-scale" />
        <NumberListField label={value.channels === 1 ? 'Mean' : 'Mean (per channel)'} value={value.mean} onCommit={(mean) => set({ mean: [...mean] })} testId="probe-mean" />
        <NumberListField label={value.channels === 1 ? 'Std' : 'Std (per channel)'} value={value.std} onCommit={(std) => set({ std: [...std] })} testId="probe-std" />
        <label className="probe-field probe-check" title="255 − pixel: dark ink on light paper becomes light on dark">
          <input type="checkbox" checked={value.invert} onChange={(e) => set({ invert: e.target.checked })} data-testid="probe-invert" />
          <span>Invert</span>
        </label>
      </div>
      <p className="probe-formula">
        value = ({pixel} × {formatNumber(value.scale)} − mean) / std
        {value.channels === 1 ? ', pixel = 0.299 R + 0.587 G + 0.114 B' : ''}
        <button type="button" className="button small" onClick={() => onChange(modelDefault)}>
          Reset to the model’s settings
        </button>
      </p>
      {own.length > 0 ? (
        <ul className="probe-problems" role="alert" data-testid="probe-problems">
          {own.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
      {mismatches.length > 0 ? (
        <ul className="probe-warnings" role="status">
          {mismatches.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
