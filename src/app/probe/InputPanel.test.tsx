import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { defaultPreprocessing, samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import { InputPanel } from './InputPanel';
import { describeSpec } from './PreprocessingForm';

const noop = () => undefined;

/** Every input, select and textarea either sits inside a <label> or has an aria-label. */
function unlabelledControls(html: string): string[] {
  const problems: string[] = [];
  const control = /<(input|select|textarea)\b[^>]*>/g;
  for (const match of html.matchAll(control)) {
    const tag = match[0];
    if (/aria-label=/.test(tag)) continue;
    const before = html.slice(0, match.index);
    const open = before.lastIndexOf('<label');
    const close = before.lastIndexOf('</label>');
    if (open <= close) problems.push(tag);
  }
  return problems;
}

describe('InputPanel', () => {
  it('shows the model’s input spec and the settings, every control labelled', () => {
    const spec = { name: 'input_1', height: 32, width: 32, channels: 1, layout: 'NHWC' as const };
    const html = renderToStaticMarkup(<InputPanel spec={spec} value={samplePreprocessing} onChange={noop} onInputs={noop} sampleAvailable />);
    expect(html).toContain('input_1: [N, 32, 32, 1] (NHWC)');
    expect(html).toContain('Use the built-in stroke set (20 per class)');
    expect(html).toContain('Choose a folder…');
    expect(html).toContain('value="1/255"');
    expect(unlabelledControls(html)).toEqual([]);
  });

  it('lists problems with the settings and disagreements with the model', () => {
    const html = renderToStaticMarkup(
      <InputPanel spec={{ name: 'x', height: 32, width: 32, channels: 1, layout: 'NHWC' }} value={{ ...defaultPreprocessing(undefined), std: [1, 0, 1] }} onChange={noop} onInputs={noop} />,
    );
    expect(html).toContain('Std values must be finite and non-zero');
    expect(html).toContain('The model expects height 32; inputs of height 224 will not fit it.');
    expect(html).not.toContain('built-in stroke set');
  });

  it('describes free sizes', () => {
    expect(describeSpec({ name: 'pixel_values', height: null, width: null, channels: 3, layout: 'NCHW' })).toBe('pixel_values: [N, 3, ?, ?] (NCHW)');
  });
});
