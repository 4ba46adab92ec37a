import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectNode } from '../../../workers/engine/inspect';
import { createNodeIO } from '../../../workers/engine/node-io';
import { EngineSession } from '../../../workers/engine/session';

const quick = JSON.parse(readFileSync(new URL('../../e2e/pipelines/quick-threshold.json', import.meta.url), 'utf8'));

describe('inspectNode', () => {
  it('ranks a scorer\'s images by score with the images found upstream, a page at a time, without leaking', async () => {
    const session = new EngineSession(createNodeIO(), tf.getBackend());
    const { summary, result } = await session.run(quick, () => {});
    expect(summary.status).toBe('done');
    const before = tf.memory().numTensors;
    const page = await inspectNode(result!, session.cache, { nodeId: 'distance', offset: 0, count: 5, order: 'desc', filter: 'all' });
    expect(tf.memory().numTensors).toBe(before);
    expect(page.scorer).toBe('latent distance');
    expect(page.total).toBe(32);
    // The test images two levels up (distance ← test-features ← test-data), 32×32 thumbnails.
    expect(page.columns).toEqual(['Images (test-features)']);
    expect(page.rows).toHaveLength(5);
    const scores = page.rows.map((r) => r.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(page.rows[0]!.panels[0]).toMatchObject({ width: 32, height: 32 });
    expect(page.rows[0]!.panels[0]!.rgba).toHaveLength(32 * 32 * 4);

    // Ascending, anomalous only, second page.
    const asc = await inspectNode(result!, session.cache, { nodeId: 'distance', offset: 4, count: 4, order: 'asc', filter: 'anomalous' });
    expect(asc.total).toBe(16);
    expect(asc.rows.every((r) => r.label === 1)).toBe(true);
    const all = await inspectNode(result!, session.cache, { nodeId: 'distance', offset: 0, count: 100, order: 'asc', filter: 'anomalous' });
    expect(asc.rows.map((r) => r.name)).toEqual(all.rows.slice(4, 8).map((r) => r.name));

    // A node without scores is browsed in set order.
    const set = await inspectNode(result!, session.cache, { nodeId: 'test-data', offset: 0, count: 3, order: 'desc', filter: 'all' });
    expect(set.scorer).toBeNull();
    expect(set.rows.map((r) => r.index)).toEqual([0, 1, 2]);

    session.clearCache();
    await expect(inspectNode(result!, session.cache, { nodeId: 'distance', offset: 0, count: 5, order: 'desc', filter: 'all' })).rejects.toThrow(/run the pipeline/);
  });
});
