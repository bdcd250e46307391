import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepOwnedSections } from './writeSources';

describe('SOURCES.md rewriting', () => {
  it('keeps the sections other scripts own (the grokking recipe) when the sample script rewrites the file', () => {
    const previous = readFileSync(join(import.meta.dirname, '..', '..', 'public', 'samples', 'SOURCES.md'), 'utf8');
    const out = keepOwnedSections('# Sample sources\n\nnew text\n', previous);
    expect(out.startsWith('# Sample sources\n\nnew text\n\n<!-- grokking-sample:begin')).toBe(true);
    expect(out).toContain('## Grokking sample: modular addition');
    expect(out.trimEnd().endsWith('<!-- grokking-sample:end -->')).toBe(true);
    expect(keepOwnedSections('x\n', null)).toBe('x\n');
    expect(keepOwnedSections('x\n', 'no sections here')).toBe('x\n');
  });
});
