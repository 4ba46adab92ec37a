import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, zipStore } from '../../../graph-nodes/core/zip';

/** Read a stored zip back through its central directory (the way unzip tools do). */
function readZip(zip: Uint8Array): Record<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  const out: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(p, true)).toBe(0x02014b50);
    const crc = view.getUint32(p + 16, true);
    const size = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const offset = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    expect(view.getUint32(offset, true)).toBe(0x04034b50);
    const dataStart = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    const data = zip.subarray(dataStart, dataStart + size);
    expect(crc32(data)).toBe(crc);
    out[name] = data;
    p += 46 + nameLen;
  }
  return out;
}

describe('store-only zip', () => {
  it('CRC-32 matches the standard check value and is incremental', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('round-trips files, folders and UTF-8 names', () => {
    const files = {
      'detector.json': new TextEncoder().encode('{"a":1}'),
      'model/weights.bin': Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256),
      'notes/ü.txt': new Uint8Array(0),
    };
    const zip = zipStore(files, new Date(2026, 0, 2, 3, 4, 6));
    expect(Object.keys(readZip(zip))).toEqual(Object.keys(files));
    for (const [name, data] of Object.entries(readZip(zip))) expect(Array.from(data)).toEqual(Array.from(files[name as keyof typeof files]));
    expect(() => zipStore({ '../evil': new Uint8Array(1) })).toThrow(/bad entry name/);
  });

  it.skipIf(!existsSync('/usr/bin/unzip'))('unzip accepts it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kizuki-zip-'));
    writeFileSync(path.join(dir, 'a.zip'), zipStore({ 'x/y.txt': new TextEncoder().encode('hello') }));
    execFileSync('/usr/bin/unzip', ['-q', 'a.zip'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'x/y.txt'), 'utf8')).toBe('hello');
  });
});
