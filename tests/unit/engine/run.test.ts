import * as tf from '@tensorflow/tfjs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataIO } from '../../../graph-nodes/core/kernel-types';
import type { RunEvent } from '../../../workers/engine/events';
import { EngineSession } from '../../../workers/engine/session';
import { recorded, resetRuns, runs, toyDoc, toyKernel, toyLookup } from './toy-nodes';

const noIO = {} as DataIO;
const newSession = () => new EngineSession(noIO, 'cpu', { lookup: toyLookup, getKernel: toyKernel });

const chain = (value = 1, factor = 2) =>
  toyDoc(
    [
      { id: 'src', type: 'toy-source', params: { value } },
      { id: 'scale', type: 'toy-scale', params: { factor } },
      { id: 'score', type: 'toy-score' },
    ],
    [
      ['src', 'images', 'scale', 'images'],
      ['scale', 'images', 'score', 'images'],
    ],
  );

function collect() {
  const events: RunEvent[] = [];
  return { events, onEvent: (e: RunEvent) => events.push(e) };
}

beforeEach(() => {
  resetRuns();
  recorded.length = 0;
});

describe('engine run', () => {
  it('runs a 3-node chain and the sink records the computed values', async () => {
    const s = newSession();
    const { events, onEvent } = collect();
    const { summary } = await s.run(chain(1.5, 2), onEvent);
    expect(summary.status).toBe('done');
    expect(recorded[0]!.scores).toEqual([3, 3]);
    expect(events.filter((e) => e.type === 'node-finished').map((e) => e.type === 'node-finished' && e.nodeId)).toEqual(['src', 'scale', 'score']);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'done' });
    s.clearCache();
  });

  it('a second identical run is fully cached; a param edit re-runs only downstream nodes', async () => {
    const s = newSession();
    await s.run(chain(1, 2), () => {});
    const second = collect();
    await s.run(chain(1, 2), second.onEvent);
    expect(runs).toEqual({ 'toy-source': 1, 'toy-scale': 1, 'toy-score': 1 });
    expect(second.events.filter((e) => e.type === 'node-finished' && e.cached)).toHaveLength(3);

    await s.run(chain(1, 3), () => {});
    expect(runs).toEqual({ 'toy-source': 1, 'toy-scale': 2, 'toy-score': 2 });
    expect(recorded.at(-1)!.scores).toEqual([3, 3]);
    s.clearCache();
  });

  it('a failure marks downstream nodes skipped, with the failing node as reason and its hint', async () => {
    const s = newSession();
    const doc = toyDoc(
      [
        { id: 'src', type: 'toy-source' },
        { id: 'bad', type: 'toy-fail' },
        { id: 'scale', type: 'toy-scale' },
        { id: 'score', type: 'toy-score' },
      ],
      [
        ['src', 'images', 'bad', 'images'],
        ['bad', 'images', 'scale', 'images'],
        ['scale', 'images', 'score', 'images'],
      ],
    );
    const { events, onEvent } = collect();
    const { summary } = await s.run(doc, onEvent);
    expect(summary.status).toBe('failed');
    const failed = events.find((e) => e.type === 'node-failed');
    expect(failed).toMatchObject({ nodeId: 'bad', error: { code: 'NAN_LOSS', hint: expect.stringMatching(/learning rate/) } });
    const skipped = events.filter((e) => e.type === 'node-skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ nodeId: 'scale', blockedBy: 'bad' }),
      expect.objectContaining({ nodeId: 'score', blockedBy: 'bad' }),
    ]);
    s.clearCache();
  });

  it('a disabled node is not run (even with invalid params or a missing input); its dependants are skipped because of it', async () => {
    const s = newSession();
    const doc = toyDoc(
      [
        { id: 'src', type: 'toy-source' },
        { id: 'off', type: 'toy-fail', disabled: true },
        { id: 'scale', type: 'toy-scale', params: { factor: 'not a number' }, disabled: true },
        { id: 'tail', type: 'toy-score' },
        { id: 'score', type: 'toy-score' },
      ],
      [
        ['src', 'images', 'off', 'images'],
        ['off', 'images', 'tail', 'images'],
        ['src', 'images', 'score', 'images'],
      ],
    );
    const { events, onEvent } = collect();
    const { summary } = await s.run(doc, onEvent);
    expect(summary.status).toBe('done');
    expect(runs['toy-fail']).toBeUndefined();
    expect(runs['toy-score']).toBe(1);
    const skipped = events.flatMap((e) => (e.type === 'node-skipped' ? [`${e.nodeId}<-${e.blockedBy}`] : []));
    expect(skipped.sort()).toEqual(['off<-off', 'scale<-scale', 'tail<-off']);
    s.clearCache();
  });

  it('cancellation stops a running kernel, reports cancelled, and leaks no tensors', async () => {
    const baseline = tf.memory().numTensors;
    const s = newSession();
    const doc = toyDoc(
      [
        { id: 'src', type: 'toy-source' },
        { id: 'slow', type: 'toy-slow', params: { steps: 100000 } },
        { id: 'score', type: 'toy-score' },
      ],
      [
        ['src', 'images', 'slow', 'images'],
        ['slow', 'images', 'score', 'images'],
      ],
    );
    const { events, onEvent } = collect();
    const running = s.run(doc, (e) => {
      onEvent(e);
      if (e.type === 'node-progress' && e.progress.fraction > 0.0002) s.cancel();
    });
    const { summary } = await running;
    expect(summary.status).toBe('cancelled');
    expect(events.some((e) => e.type === 'node-failed' && e.error.code === 'CANCELLED')).toBe(true);
    expect(runs['toy-score']).toBeUndefined();
    s.clearCache();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('an invalid document finishes as invalid without running anything', async () => {
    const s = newSession();
    const { events, onEvent } = collect();
    const { summary } = await s.run({ nodes: 'nope' }, onEvent);
    expect(summary.status).toBe('invalid');
    expect(events).toHaveLength(1);
    expect(Object.keys(runs)).toHaveLength(0);
  });

  it('clearing the cache returns tensor memory to the baseline', async () => {
    const baseline = tf.memory().numTensors;
    const s = newSession();
    await s.run(chain(), () => {});
    expect(tf.memory().numTensors).toBeGreaterThan(baseline);
    expect(s.memory().cacheEntries).toBe(3);
    s.clearCache();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
