import { describe, expect, it } from 'vitest';
import { appUrlOf, embedOptions, embedSnippet, embedUrlOf } from './embedParams';

describe('embed parameters', () => {
  it('are read only with embed=1, with a panel that suits the view by default', () => {
    expect(embedOptions('?v=1&sample=x')).toBeNull();
    expect(embedOptions('?embed=1&view=layer')).toEqual({ panel: 'esd', theme: 'system' });
    expect(embedOptions('?embed=1')).toEqual({ panel: 'depth', theme: 'system' });
    expect(embedOptions('?embed=1&panel=spectrum&theme=dark')).toEqual({ panel: 'spectrum', theme: 'dark' });
    expect(embedOptions('?embed=1&panel=<script>&theme=neon')).toEqual({ panel: 'depth', theme: 'system' });
  });

  it('round-trip between the app URL and the embed URL', () => {
    const app = 'https://mri.example/app/?v=1&sample=stroke-cnn&layer=conv1.weight&view=layer';
    const embed = embedUrlOf(app, { panel: 'esd', theme: 'dark' });
    expect(embed).toBe(`${app}&embed=1&panel=esd&theme=dark`);
    expect(embedOptions(new URL(embed).search)).toEqual({ panel: 'esd', theme: 'dark' });
    expect(appUrlOf(embed)).toBe(app);
    // An embed URL made from an embed URL is not doubled.
    expect(embedUrlOf(embed, { panel: 'fit', theme: 'system' })).toBe(`${app}&embed=1&panel=fit`);
  });

  it('writes an iframe whose attributes cannot be broken out of', () => {
    const s = embedSnippet('https://a.example/?layer=%22x%22&embed=1', 'ESD of "a<b" & c');
    expect(s).toMatch(/^<iframe src="https:\/\/a\.example\/\?layer=%22x%22&amp;embed=1" title="ESD of &quot;a&lt;b&quot; &amp; c" width="720" height="420"/);
    expect(s).toContain('allow="cross-origin-isolated; clipboard-write"');
    expect(s.endsWith('></iframe>')).toBe(true);
  });
});
