/**
 * A tiny store-only ZIP writer (no compression) for downloads of several files, e.g. a detector bundle.
 * Layout per APPNOTE.TXT (PKWARE ZIP File Format Specification 6.3): a local header + data per file, then the
 * central directory and the end-of-central-directory record; CRC-32 (IEEE 802.3 polynomial, reflected 0xEDB88320).
 * Names are UTF-8 (general-purpose flag bit 11). No ZIP64: fine below 4 GiB and 65,535 files.
 */

let table: Uint32Array | null = null;

export function crc32(data: Uint8Array, crc = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** DOS date/time fields of a Date (local time, 2-second resolution; years 1980–2107). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Zip `files` (relative path → bytes, '/' separators) in the given order. */
export function zipStore(files: Record<string, Uint8Array>, modified = new Date()): Uint8Array {
  const enc = new TextEncoder();
  const { time, date } = dosDateTime(modified);
  const entries = Object.entries(files).map(([name, data]) => {
    if (name === '' || name.startsWith('/') || name.split('/').includes('..')) throw new Error(`zip: bad entry name "${name}"`);
    return { name: enc.encode(name), data, crc: crc32(data), offset: 0 };
  });
  if (entries.length > 0xffff) throw new Error('zip: too many files');
  const size = entries.reduce((s, e) => s + 30 + e.name.length + e.data.length + 46 + e.name.length, 22);
  if (size > 0xffffffff) throw new Error('zip: larger than 4 GiB');
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let p = 0;
  const u16 = (v: number) => {
    view.setUint16(p, v, true);
    p += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(p, v >>> 0, true);
    p += 4;
  };
  // Version 2.0, UTF-8 names, stored (method 0).
  const common = (e: (typeof entries)[number]) => {
    u16(20);
    u16(0x0800);
    u16(0);
    u16(time);
    u16(date);
    u32(e.crc);
    u32(e.data.length);
    u32(e.data.length);
    u16(e.name.length);
    u16(0);
  };
  for (const e of entries) {
    e.offset = p;
    u32(0x04034b50);
    common(e);
    out.set(e.name, p);
    p += e.name.length;
    out.set(e.data, p);
    p += e.data.length;
  }
  const dirStart = p;
  for (const e of entries) {
    u32(0x02014b50);
    u16(20); // made by
    common(e);
    u16(0); // comment length
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(e.offset);
    out.set(e.name, p);
    p += e.name.length;
  }
  const dirSize = p - dirStart;
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(dirSize);
  u32(dirStart);
  u16(0);
  return out;
}
