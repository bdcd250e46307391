import { describe, expect, it } from 'vitest';
import { FORMAT_ERROR_CODES, FormatError, defaultRemedy, isFormatErrorPlain } from './formatError';

describe('FormatError', () => {
  it('carries code, file, message, remedy and context', () => {
    const e = new FormatError('TRUNCATED', '"a.safetensors" is truncated.', { file: 'a.safetensors', context: '5 bytes' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FormatError');
    expect(e.code).toBe('TRUNCATED');
    expect(e.file).toBe('a.safetensors');
    expect(e.message).toContain('a.safetensors');
    expect(e.remedy).toBe(defaultRemedy('TRUNCATED'));
    expect(e.context).toBe('5 bytes');
  });

  it('keeps a specific remedy and the cause', () => {
    const cause = new SyntaxError('bad');
    const e = new FormatError('BAD_HEADER_JSON', 'm', { file: 'f', remedy: 'do this', cause });
    expect(e.remedy).toBe('do this');
    expect(e.cause).toBe(cause);
  });

  it('survives structured cloning through toJSON/fromPlain', () => {
    const e = new FormatError('MISSING_SHARD', 'Missing shard "m-2".', { file: 'm-2', context: 'ctx' });
    const plain = structuredClone(e.toJSON());
    expect(isFormatErrorPlain(plain)).toBe(true);
    expect(plain).toEqual({ name: 'FormatError', code: 'MISSING_SHARD', message: 'Missing shard "m-2".', file: 'm-2', remedy: e.remedy, context: 'ctx' });
    const back = FormatError.fromPlain(plain);
    expect(back).toBeInstanceOf(FormatError);
    expect(back.toJSON()).toEqual(e.toJSON());
    expect(JSON.parse(JSON.stringify(e))).toEqual(e.toJSON());
  });

  it('omits context from the plain form when there is none, and withContext adds it', () => {
    const e = new FormatError('READ_FAILED', 'm', { file: 'f' });
    expect('context' in e.toJSON()).toBe(false);
    const c = e.withContext('8 bytes');
    expect(c.context).toBe('8 bytes');
    expect(c.code).toBe('READ_FAILED');
    expect(e.context).toBeUndefined();
  });

  it('has a remedy for every code, and the guard rejects foreign objects', () => {
    for (const code of FORMAT_ERROR_CODES) expect(defaultRemedy(code).length).toBeGreaterThan(10);
    expect(isFormatErrorPlain({ name: 'FormatError', code: 'NOPE', message: '', file: '', remedy: '' })).toBe(false);
    expect(isFormatErrorPlain({ name: 'Error', code: 'TRUNCATED', message: '', file: '', remedy: '' })).toBe(false);
    expect(isFormatErrorPlain(null)).toBe(false);
  });
});
