import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { DataIO, Kernel, ScoresValue } from '../core/kernel-types';
import type { RunEvent } from '../../workers/engine/events';
import { EngineSession } from '../../workers/engine/session';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { toyDoc, toyKernel, toyLookup } from '../../tests/unit/engine/toy-nodes';
import { histogramNode } from './definition';
import { binScores, histogramKernel } from './kernel';

const scoresValue = (scores: number[], labels: number[]): ScoresValue => ({
  kind: 'Scores',
  scorer: 'test score',
  scores: Float32Array.from(scores),
  labels: Int8Array.from(labels),
  names: scores.map((_, i) => `img${i}`),
});

const params = (p: Record<string, unknown> = {}) => histogramNode.params.parse(p);

describe('binScores', () => {
  it('linear bins: hand-counted per label, every finite score in exactly one bin', () => {
    // Range 0..4 in 4 bins of width 1; the maximum falls in the last bin; NaN is left out.
    const h = binScores([0, 0.5, 1, 2.5, 4, 3.9, NaN, 1.2], [0, 0, 0, 1, 1, -1, 1, 5], 't', 4, false);
    expect(h.edges).toEqual([0, 1, 2, 3, 4]);
    expect(h.normal).toEqual([2, 1, 0, 0]);
    expect(h.anomalous).toEqual([0, 0, 1, 1]);
    expect(h.unknown).toEqual([0, 1, 0, 1]); // label 5 counts as unlabelled, like -1
  });

  it('log bins: geometric edges, one bin per decade for 1, 10, 100, 1000', () => {
    const h = binScores([1, 10, 100, 1000, 20], [0, 0, 1, 1, 1], 't', 3, true);
    h.edges.forEach((e, i) => expect(e).toBeCloseTo(10 ** i, 9));
    expect(h.normal).toEqual([1, 1, 0]);
    expect(h.anomalous).toEqual([0, 1, 2]); // 20 → decade 10..100; 1000 → last bin
  });
});

describe('histogram kernel (a sink: no outputs)', () => {
  it('returns an empty output object, creates no tensors, and previews the histogram + per-class summary', async () => {
    const before = tf.memory().numTensors;
    const { ctx, warnings } = testContext();
    const s = scoresValue([0, 1, 2, 3, 10], [0, 0, 1, 1, -1]);
    const out = await histogramKernel.run({ scores: s }, params({ bins: 5 }), ctx);
    expect(out).toEqual({});
    expect(Object.keys(histogramNode.outputs)).toEqual([]);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    expect(warnings).toEqual([]);
    const preview = await histogramKernel.preview!(out, params({ bins: 5 }));
    expect(preview[0]).toMatchObject({ kind: 'histogram', title: 'test score', edges: [0, 2, 4, 6, 8, 10], normal: [2, 0, 0, 0, 0], anomalous: [0, 2, 0, 0, 0], unknown: [0, 0, 0, 0, 1] });
    expect(preview[1]).toEqual({
      kind: 'text',
      lines: ['2 normal: median 0.5000, range 0.000 – 1.000', '2 anomalous: median 2.500, range 2.000 – 3.000', '1 unlabelled: median 10.00, range 10.00 – 10.00'],
    });
  });

  it('falls back to linear bins with a warning when log scale meets scores ≤ 0, and warns about NaN', async () => {
    const { ctx, warnings } = testContext();
    const out = await histogramKernel.run({ scores: scoresValue([-1, 1, 2, NaN], [0, 1, 1, 0]) }, params({ logScale: true }), ctx);
    expect(warnings.join('\n')).toMatch(/1 scores are NaN.*\n.*Log scale needs scores > 0, but 1 are ≤ 0/);
    const preview = await histogramKernel.preview!(out, params({ logScale: true }));
    expect(preview[0]).toMatchObject({ kind: 'histogram', title: 'test score' });
    const log = await histogramKernel.run({ scores: scoresValue([1, 100], [0, 1]) }, params({ logScale: true, bins: 2 }), ctx);
    const p2 = await histogramKernel.preview!(log, params());
    expect(p2[0]).toMatchObject({ title: 'test score (log scale)', normal: [1, 0], anomalous: [0, 1] });
  });

  it('runs in the engine (toy source → toy score → histogram), and a re-run is cached with the same preview', async () => {
    const lookup = (type: string) => (type === 'histogram' ? histogramNode : toyLookup(type));
    const getKernel = (type: string) => (type === 'histogram' ? (histogramKernel as unknown as Kernel) : toyKernel(type));
    const session = new EngineSession({} as DataIO, 'cpu', { lookup: lookup as never, getKernel });
    const doc = toyDoc(
      [
        { id: 'src', type: 'toy-source', params: { value: 2 } },
        { id: 'score', type: 'toy-score' },
        { id: 'hist', type: 'histogram', params: { bins: 4 } },
      ],
      [
        ['src', 'images', 'score', 'images'],
        ['score', 'scores', 'hist', 'scores'],
      ],
    );
    const finished = async () => {
      const events: RunEvent[] = [];
      const { summary } = await session.run(doc, (e) => events.push(e));
      expect(summary.status).toBe('done');
      return events.find((e): e is Extract<RunEvent, { type: 'node-finished' }> => e.type === 'node-finished' && e.nodeId === 'hist')!;
    };
    const first = await finished();
    expect(first.cached).toBe(false);
    expect(first.preview[0]).toMatchObject({ kind: 'histogram', normal: [2, 0, 0, 0] }); // two equal scores → first bin
    const second = await finished();
    expect(second.cached).toBe(true);
    expect(second.preview).toEqual(first.preview);
    session.clearCache();
  });

  it('has documented defaults and bounds', () => {
    expect(histogramNode.params.parse({})).toEqual({ bins: 20, logScale: false });
    expect(histogramNode.params.safeParse({ bins: 1 }).success).toBe(false);
  });
});
