/**
 * The data manifest of a run: per image-set node, where the images came from, which files, how many per class,
 * which were skipped, and a content hash — never the images themselves. Saved (optionally) with an exported
 * pipeline so whoever imports it can tell whether their re-run used the same data.
 * The hash covers each image's name, label and decoded pixels (after resizing), in order: the same files with the
 * same image-set params give the same hash, a changed, added or removed file a different one.
 */
import { z } from 'zod';

export const MANIFEST_HASH_OF = 'names, labels and decoded pixels (FNV-1a 64)';

export const imageSetManifestSchema = z.object({
  nodeId: z.string().min(1).max(64),
  /** "phantoms" or the folder / CSV path the node read. */
  source: z.string().max(1000),
  count: z.number().int().min(0),
  /** Names of the images used, in order (relative to the source). */
  files: z.array(z.string().max(1000)).max(500_000),
  perClass: z.record(z.string(), z.number().int().min(0)),
  labels: z.object({ normal: z.number().int().min(0), anomalous: z.number().int().min(0), unlabelled: z.number().int().min(0) }),
  skipped: z.array(z.object({ name: z.string().max(1000), reason: z.string().max(1000) })).max(500_000),
  contentHash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'),
});

export const dataManifestSchema = z.object({
  createdAt: z.string().max(100),
  hashOf: z.literal(MANIFEST_HASH_OF),
  imageSets: z.array(imageSetManifestSchema).max(1000),
});

export type ImageSetManifest = z.infer<typeof imageSetManifestSchema>;
export type DataManifest = z.infer<typeof dataManifestSchema>;

/**
 * Incremental 64-bit FNV-1a over bytes (two 32-bit lanes, as core/hash.ts does for strings), so pixels can be
 * fed in chunks without building one big string.
 */
export class ContentHasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x9e3779b9;

  bytes(data: Uint8Array): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 13);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  text(s: string): this {
    return this.bytes(new TextEncoder().encode(`${s}\u0000`));
  }

  floats(values: Float32Array): this {
    return this.bytes(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}

export type ManifestComparison = { nodeId: string; status: 'matches' | 'differs' | 'missing'; text: string };

/**
 * Compare the manifest a pipeline was exported with to the one of a new run, per image-set node, in words
 * ("this pipeline was run on 1,341 files, hash …; your data matches").
 */
export function compareManifests(saved: DataManifest, current: DataManifest | null): ManifestComparison[] {
  return saved.imageSets.map((s) => {
    const now = current?.imageSets.find((c) => c.nodeId === s.nodeId);
    const was = `"${s.nodeId}" was run on ${s.count.toLocaleString('en-US')} files (hash ${s.contentHash})`;
    if (!now) return { nodeId: s.nodeId, status: 'missing', text: `${was}; it has not run on your data yet` };
    if (now.contentHash === s.contentHash) return { nodeId: s.nodeId, status: 'matches', text: `${was}; your data matches` };
    const extra = new Set(now.files);
    const gone = s.files.filter((f) => !extra.has(f)).length;
    const before = new Set(s.files);
    const added = now.files.filter((f) => !before.has(f)).length;
    const detail = gone || added ? `${added} file names new, ${gone} missing` : 'same file names, different content or params';
    return {
      nodeId: s.nodeId,
      status: 'differs',
      text: `${was}; your data differs: ${now.count.toLocaleString('en-US')} files, hash ${now.contentHash} (${detail})`,
    };
  });
}

/** One line per image set, for the import notice and the report. */
export function describeManifest(m: DataManifest): string[] {
  return m.imageSets.map((s) => {
    const classes = Object.entries(s.perClass).map(([c, k]) => `${c} ${k.toLocaleString('en-US')}`).join(', ');
    return `"${s.nodeId}": ${s.count.toLocaleString('en-US')} files from ${s.source} (${classes}${s.skipped.length ? `; ${s.skipped.length} skipped` : ''}), hash ${s.contentHash}`;
  });
}
