/**
 * Content-addressed result cache: key = hash(type, version, params, upstream keys, input fingerprints).
 * Editing a param changes the key of that node and of everything downstream, so no invalidation pass is needed.
 * Least-recently-used entries are evicted when the byte bound is exceeded, and eviction disposes their tensors.
 * Entries used by the current run are pinned so an upstream value is never freed while a downstream node reads it.
 */
import type { NodePreview } from '../../graph-nodes/core/preview';
import { disposeOutputs, type NodeOutputs, outputBytes } from './values';

export type CacheEntry = { outputs: NodeOutputs; preview: NodePreview; bytes: number; seconds: number };

export class ResultCache {
  private entries = new Map<string, CacheEntry>();
  private pinned = new Set<string>();
  private totalBytes = 0;

  constructor(private readonly maxBytes = 1.5 * 1024 ** 3) {}

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, outputs: NodeOutputs, preview: NodePreview, seconds: number): CacheEntry {
    const existing = this.entries.get(key);
    if (existing) this.remove(key);
    const entry = { outputs, preview, seconds, bytes: outputBytes(outputs) };
    this.entries.set(key, entry);
    this.totalBytes += entry.bytes;
    this.evict();
    return entry;
  }

  /**
   * Replace one output of an entry by an equivalent value (a lazy image set by its materialised form), so later
   * consumers reuse it; the byte count follows. The old value must hold no tensors of its own.
   */
  replaceOutput(key: string, port: string, value: NodeOutputs[string]): void {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`no cache entry ${key}`);
    entry.outputs = { ...entry.outputs, [port]: value };
    const bytes = outputBytes(entry.outputs);
    this.totalBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    this.evict();
  }

  pin(key: string): void {
    this.pinned.add(key);
  }

  unpinAll(): void {
    this.pinned.clear();
    this.evict();
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.remove(key);
    this.pinned.clear();
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    disposeOutputs(entry.outputs);
  }

  private evict() {
    for (const key of [...this.entries.keys()]) {
      if (this.totalBytes <= this.maxBytes) break;
      if (!this.pinned.has(key)) this.remove(key);
    }
  }
}
