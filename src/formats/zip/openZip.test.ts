import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../formatError';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { writeZip } from '../testing/writeZip';
import { crc32 } from './crc32';
import { openZip } from './openZip';
import { firstEntryName, isZipHead } from './sniffZip';

const text = (s: string) => new TextEncoder().encode(s);
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);

async function failure(promise: Promise<unknown>): Promise<FormatError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

describe('crc32', () => {
  it('matches the check value of the CRC-32/ISO-HDLC catalogue and continues across chunks', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(text('6789'), crc32(text('12345')))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('openZip', () => {
  const archive = writeZip(
    [
      { name: 'a/stored.bin', data: bytes(300), align: 64 },
      { name: 'a/deflated.txt', data: text('hello '.repeat(200)), method: 8 },
      { name: 'empty', data: new Uint8Array(0) },
    ],
    { comment: 'a comment with PK\x05\x06 inside' },
  );

  it.each([
    ['plain', false],
    ['ZIP64', true],
  ])('lists and reads stored and deflated entries (%s)', async (_label, zip64) => {
    const file = namedFile('t.zip', zip64 ? writeZip([{ name: 'a/stored.bin', data: bytes(300), align: 64 }, { name: 'a/deflated.txt', data: text('hello '.repeat(200)), method: 8 }, { name: 'empty', data: new Uint8Array(0) }], { zip64 }) : archive);
    const zip = await openZip(file);
    expect(zip.zip64).toBe(zip64);
    expect(zip.entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['a/stored.bin', 0, 300],
      ['a/deflated.txt', 8, 1200],
      ['empty', 0, 0],
    ]);
    const stored = zip.find('a/stored.bin')!;
    const range = await zip.dataRange(stored);
    expect(range.start % 64).toBe(0);
    expect(range.end - range.start).toBe(300);
    expect(await zip.read(stored)).toEqual(bytes(300));
    expect(new TextDecoder().decode(await zip.read(zip.find('a/deflated.txt')!))).toBe('hello '.repeat(200));
    expect(new TextDecoder().decode(await zip.readPrefix(zip.find('a/deflated.txt')!, 11))).toBe('hello hello');
    expect(await zip.readPrefix(stored, 1000)).toEqual(bytes(300));
    expect(await zip.read(zip.find('empty')!)).toEqual(new Uint8Array(0));
    expect(zip.find('missing')).toBeUndefined();
  });

  it('reads only the end of the archive and its central directory when opening, then one entry at a time', async () => {
    const big = writeZip([
      { name: 'x', data: bytes(200_000, 2), align: 64 },
      { name: 'y', data: bytes(100, 3), align: 64 },
    ]);
    const file = countingFile('big.zip', big);
    const zip = await openZip(file);
    expect(file.bytesRead()).toBeLessThan(65_600 + 200);
    expect(file.ranges.every(([s]) => s >= big.length - 65_600)).toBe(true);
    file.ranges.length = 0;
    expect(await zip.read(zip.find('y')!)).toEqual(bytes(100, 3));
    expect(file.bytesRead()).toBe(30 + 100);
    file.ranges.length = 0;
    await zip.dataRange(zip.find('y')!);
    expect(file.ranges).toEqual([]);
  });

  it('sniffs the first entry name from the first bytes', () => {
    expect(isZipHead(archive)).toBe(true);
    expect(isZipHead(text('PK\x05\x06'))).toBe(true);
    expect(isZipHead(text('PKzz'))).toBe(false);
    expect(firstEntryName(archive.subarray(0, 64))).toEqual({ name: 'a/stored.bin', complete: true });
    expect(firstEntryName(archive.subarray(0, 35))).toEqual({ name: 'a/sto', complete: false });
    expect(firstEntryName(text('not a zip at all, not at all, not at all'))).toBeNull();
  });
});

describe('openZip errors', () => {
  const good = writeZip([
    { name: 'one', data: bytes(40) },
    { name: 'two', data: bytes(40, 5) },
  ]);
  const eocdAt = good.length - 22;
  const cdAt = new DataView(good.buffer).getUint32(eocdAt + 16, true);
  const patchAll = (edits: readonly (readonly [number, number, 2 | 4])[]) => {
    const out = good.slice();
    const view = new DataView(out.buffer);
    for (const [at, value, width] of edits) {
      if (width === 2) view.setUint16(at, value, true);
      else view.setUint32(at, value, true);
    }
    return out;
  };
  const patch = (at: number, value: number, width: 2 | 4 = 4) => patchAll([[at, value, width]]);

  it('TRUNCATED when a zip loses its end, BAD_ZIP when it is no zip at all', async () => {
    const cut = await failure(openZip(namedFile('cut.zip', good.subarray(0, 60))));
    expect(cut).toMatchObject({ code: 'TRUNCATED', file: 'cut.zip' });
    expect((await failure(openZip(namedFile('tiny.zip', good.subarray(0, 10))))).code).toBe('TRUNCATED');
    const text = await failure(openZip(namedFile('x.zip', new Uint8Array(100).fill(65))));
    expect(text.code).toBe('BAD_ZIP');
    expect(text.message).toContain('end-of-central-directory');
  });

  it.each([
    ['an absurd entry count', patchAll([[eocdAt + 8, 0xffff, 2], [eocdAt + 10, 0xffff, 2]]), /declares 65535 entries/],
    ['a central directory past its end', patch(eocdAt + 16, cdAt + 10), /runs past/],
    ['a damaged central header', patch(cdAt, 0x12345678), /missing or damaged/],
    ['overlapping entries', patch(cdAt + 46 + 3 + 42, 0), /overlaps the next entry/],
    ['an entry past the central directory', patch(cdAt + 46 + 3 + 20, 10_000), /runs past the start of the central directory/],
  ])('BAD_ZIP for %s', async (_label, zipBytes, message) => {
    const e = await failure(openZip(namedFile('bad.zip', zipBytes)));
    expect(e.code).toBe('BAD_ZIP');
    expect(e.message).toMatch(message);
  });

  it('BAD_ZIP for duplicate names, a bad local header, a stored size mismatch, a CRC mismatch and damaged deflate data', async () => {
    const dup = writeZip([{ name: 'a', data: bytes(4) }, { name: 'a', data: bytes(4) }]);
    expect((await failure(openZip(namedFile('d.zip', dup)))).message).toContain('two entries are named "a"');
    const zipped = await openZip(namedFile('l.zip', patch(0, 0)));
    expect((await failure(zipped.read(zipped.entries[0]!))).message).toContain('no local header');
    const lying = await openZip(namedFile('s.zip', writeZip([{ name: 'a', data: bytes(8), declaredSize: 9 }])));
    expect((await failure(lying.read(lying.entries[0]!))).message).toContain('declares 9 bytes but holds 8');
    const crc = await openZip(namedFile('c.zip', writeZip([{ name: 'a', data: bytes(8), crc32: 1 }])));
    expect((await failure(crc.read(crc.entries[0]!))).message).toContain('CRC-32');
    const deflated = writeZip([{ name: 'a', data: text('abc'.repeat(100)), method: 8 }]);
    deflated[30 + 1] = 0xff;
    deflated[30 + 2] = 0xff;
    const broken = await openZip(namedFile('f.zip', deflated));
    expect((await failure(broken.read(broken.entries[0]!))).code).toBe('BAD_ZIP');
  });

  it('ZIP_BOMB for a tiny entry declaring gigabytes, without reading it', async () => {
    const bomb = countingFile('bomb.zip', writeZip([{ name: 'a', data: new Uint8Array(1000), method: 8, declaredSize: 4_000_000_000 }], { zip64: true }));
    const zip = await openZip(bomb);
    bomb.ranges.length = 0;
    const e = await failure(zip.read(zip.entries[0]!, { maxBytes: 8e9 }));
    expect(e.code).toBe('ZIP_BOMB');
    expect(e.message).toContain('4000000000 bytes');
    expect(bomb.ranges).toEqual([]);
  });

  it('ZIP_BOMB for a stream that expands past its declared size, stopping early', async () => {
    const zeros = new Uint8Array(16 * 1024 * 1024);
    const compressed = deflateSync(zeros);
    const zip = await openZip(namedFile('b.zip', writeZip([{ name: 'a', data: zeros, method: 8, declaredSize: compressed.length * 1000 }])));
    const e = await failure(zip.read(zip.entries[0]!));
    expect(e.code).toBe('ZIP_BOMB');
    expect(e.message).toContain('expands past');
  });

  it('TOO_LARGE above the caller cap; UNSUPPORTED_FEATURE for other methods and encryption', async () => {
    const zip = await openZip(namedFile('a.zip', good));
    expect((await failure(zip.read(zip.entries[0]!, { maxBytes: 10 }))).code).toBe('TOO_LARGE');
    const bzip = await openZip(namedFile('m.zip', patch(cdAt + 10, 12, 2)));
    const m = await failure(bzip.read(bzip.entries[0]!));
    expect(m).toMatchObject({ code: 'UNSUPPORTED_FEATURE' });
    expect(m.message).toContain('bzip2');
    const locked = await openZip(namedFile('e.zip', patch(cdAt + 8, 1, 2)));
    expect((await failure(locked.read(locked.entries[0]!))).message).toContain('encrypted');
  });

  it('UNSUPPORTED_FEATURE for a spanned archive', async () => {
    expect((await failure(openZip(namedFile('span.zip', patch(eocdAt + 4, 1, 2))))).code).toBe('UNSUPPORTED_FEATURE');
  });
});
