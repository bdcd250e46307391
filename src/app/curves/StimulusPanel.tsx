import { useMemo } from 'react';
import type { StimulusCanvas, StimulusKind } from '../../analysis/curves';
import { renderStimulus, stimulusRgba } from '../../analysis/curves';
import type { CurveOptions } from '../../state/slices/curvesSlice';
import { stimulusOf } from '../../state/slices/curvesSlice';
import { THETA_STEPS } from '../../state/curveOptions';
import { rgbaDataUrl } from '../probe/thumbnails';

/** Orientations of the preview strip. */
const PREVIEW_THETAS = [0, 45, 90, 135, 180, 225, 270, 315] as const;

const numberOrNull = (text: string): number | null => {
  const v = Number(text);
  return text.trim() === '' || !Number.isFinite(v) || v <= 0 ? null : v;
};

/**
 * The stimulus parameters of SCIENCE.md §4, every one visible and editable, with a preview of the images at eight
 * orientations as the model will see them (before its normalisation).
 */
export function StimulusPanel({ options, canvas, onChange, disabled }: { options: CurveOptions; canvas: StimulusCanvas; onChange: (change: Partial<CurveOptions>) => void; disabled: boolean }) {
  const stimulus = stimulusOf(options, canvas);
  const previews = useMemo(
    () => PREVIEW_THETAS.map((thetaDeg) => rgbaDataUrl(stimulusRgba(renderStimulus({ ...stimulus, thetaDeg }, canvas)), canvas.width, canvas.height)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the stimulus is a new object each render; its fields are the key
    [stimulus.kind, stimulus.radiusPx, stimulus.widthPx, stimulus.lengthPx, stimulus.openingDeg, stimulus.darkOnLight, canvas.width, canvas.height],
  );
  return (
    <fieldset className="curve-stimulus" disabled={disabled} data-testid="curve-stimulus">
      <legend>
        Stimuli · {canvas.width}×{canvas.height} px (the model input; set on <em>Directions at work</em>)
      </legend>
      <div className="curve-fields">
        <label>
          shape{' '}
          <select value={options.kind} onChange={(e) => onChange({ kind: e.target.value as StimulusKind })} data-testid="curve-kind">
            <option value="curve">curve (arc of radius r)</option>
            <option value="line">line (r = ∞)</option>
            <option value="angle">angle (two arms)</option>
          </select>
        </label>
        {options.kind === 'curve' ? (
          <label title="Radius of the arc through the image centre; empty = half the stroke length">
            radius r{' '}
            <input type="number" min={1} step={1} value={options.radiusPx ?? ''} placeholder={`auto ${round(stimulus.radiusPx)}`} onChange={(e) => onChange({ radiusPx: numberOrNull(e.target.value) })} data-testid="curve-radius" />{' '}
            px
          </label>
        ) : null}
        {options.kind === 'angle' ? (
          <label>
            opening{' '}
            <input type="number" min={5} max={175} step={5} value={options.openingDeg} onChange={(e) => onChange({ openingDeg: numberOrNull(e.target.value) ?? options.openingDeg })} data-testid="curve-opening" /> °
          </label>
        ) : null}
        <label title="Stroke length, centred on the image centre (about a unit's receptive field); empty = half the input's shorter side">
          length{' '}
          <input type="number" min={2} step={1} value={options.lengthPx ?? ''} placeholder={`auto ${round(stimulus.lengthPx)}`} onChange={(e) => onChange({ lengthPx: numberOrNull(e.target.value) })} data-testid="curve-length" /> px
        </label>
        <label>
          width{' '}
          <input type="number" min={0.5} step={0.5} value={options.widthPx} onChange={(e) => onChange({ widthPx: numberOrNull(e.target.value) ?? options.widthPx })} data-testid="curve-width" /> px
        </label>
        <label>
          ink{' '}
          <select value={options.darkOnLight ? 'dark' : 'light'} onChange={(e) => onChange({ darkOnLight: e.target.value === 'dark' })} data-testid="curve-ink">
            <option value="dark">dark on light</option>
            <option value="light">light on dark</option>
          </select>
        </label>
        <label title="Orientation step of the radial sweep (SCIENCE.md §4: 0.5°, 720 images)">
          θ step{' '}
          <select value={options.thetaStepDeg} onChange={(e) => onChange({ thetaStepDeg: Number(e.target.value) })} data-testid="curve-step">
            {THETA_STEPS.map((s) => (
              <option key={s} value={s}>
                {s}° ({360 / s} images)
              </option>
            ))}
          </select>
        </label>
        <label title="Orientation step of the orientation × curvature sweep (each of its radii and the line)">
          curvature-sweep step{' '}
          <select value={options.heatmapStepDeg} onChange={(e) => onChange({ heatmapStepDeg: Number(e.target.value) })} data-testid="curve-heatmap-step">
            {THETA_STEPS.map((s) => (
              <option key={s} value={s}>
                {s}°
              </option>
            ))}
          </select>
        </label>
        <label title="Read the layer's own output, or the output of the first nonlinearity after it">
          read{' '}
          <select value={options.stage} onChange={(e) => onChange({ stage: e.target.value === 'post' ? 'post' : 'pre' })} data-testid="curve-stage">
            <option value="pre">pre-activation</option>
            <option value="post">post-activation</option>
          </select>
        </label>
      </div>
      <div className="curve-preview" aria-label="The stimulus at eight orientations">
        {previews.map((src, i) => (
          <figure key={PREVIEW_THETAS[i]}>
            <img src={src} alt={`${options.kind} at θ = ${PREVIEW_THETAS[i]}°`} width={Math.min(64, canvas.width * 2)} />
            <figcaption>θ {PREVIEW_THETAS[i]}°</figcaption>
          </figure>
        ))}
      </div>
    </fieldset>
  );
}

const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : '∞');
