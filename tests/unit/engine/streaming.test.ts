/**
 * Streaming image sets through the engine: when every consumer of an image-set reads it as a stream (PaDiM's
 * training input), the set is kept lazy and memory during the fit does not grow with the number of images; a
 * consumer that needs the set whole gets it materialised, and the cache keeps that form.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { type AnyNodeDefinition, defineNode } from '../../../graph-nodes/core/define-node';
import { defineKernel, type Kernel } from '../../../graph-nodes/core/kernel-types';
import { getKernel } from '../../../graph-nodes/kernels';
import { getDefinition } from '../../../graph-nodes/registry';
import type { RunEvent } from '../../../workers/engine/events';
import { createNodeIO } from '../../../workers/engine/node-io';
import { EngineSession } from '../../../workers/engine/session';
import { toyDoc } from './toy-nodes';

/** A weightless extractor on [32,32,1]: 4×4 average pools of x and x² ([8,8,2]). */
const extractorNode = defineNode({
  type: 'toy-extractor', version: 1, category: 'model', title: 'Toy extractor', description: 'Average pools.',
  inputs: {}, outputs: { extractor: { type: 'FeatureExtractor', label: 'Extractor' } },
  params: z.object({}), cache: 'pure',
});
const extractorKernel = defineKernel(extractorNode, {
  async run() {
    return {
      extractor: {
        kind: 'FeatureExtractor',
        name: 'toy',
        inputShape: [32, 32, 1],
        extract: (x: tf.Tensor4D) => tf.tidy(() => [tf.concat([tf.avgPool(x, 4, 4, 'valid'), tf.avgPool(tf.square(x), 4, 4, 'valid')], 3) as tf.Tensor4D]),
        dispose: () => {},
      },
    };
  },
}) as unknown as Kernel;

const lookup = (type: string) => (type === 'toy-extractor' ? (extractorNode as unknown as AnyNodeDefinition) : getDefinition(type));
const kernelOf = (type: string) => (type === 'toy-extractor' ? extractorKernel : getKernel(type));
const newSession = () => new EngineSession(createNodeIO(), tf.getBackend(), { lookup, getKernel: kernelOf });

function padimDoc(trainNormals: number, extraConsumer = false) {
  const nodes = [
    { id: 'train-data', type: 'image-set', params: { normals: trainNormals, anomalies: 0, size: 32, seed: 3 }, typeVersion: 1 },
    { id: 'test-data', type: 'image-set', params: { normals: 6, anomalies: 6, size: 32, seed: 4, anomalyKinds: ['nodule'] }, typeVersion: 1 },
    { id: 'features', type: 'toy-extractor' },
    { id: 'padim', type: 'padim', params: { d: 2, sigma: 1, batchSize: 8 }, typeVersion: 1 },
    ...(extraConsumer ? [{ id: 'aug', type: 'augment', params: {}, typeVersion: 1 }] : []),
  ];
  const edges: [string, string, string, string][] = [
    ['features', 'extractor', 'padim', 'extractor'],
    ['train-data', 'images', 'padim', 'train'],
    ['test-data', 'images', 'padim', 'images'],
    ...(extraConsumer ? [['train-data', 'images', 'aug', 'images'] as [string, string, string, string]] : []),
  ];
  return toyDoc(nodes, edges);
}

/** Runs the doc and returns the most TF.js bytes (above those held before the run) seen while PaDiM was working. */
async function peakBytesDuringPadim(session: EngineSession, doc: unknown) {
  const baseline = tf.memory().numBytes;
  let peak = 0;
  const onEvent = (e: RunEvent) => {
    if (e.type === 'node-progress' && e.nodeId === 'padim') peak = Math.max(peak, tf.memory().numBytes - baseline);
  };
  const { summary, result } = await session.run(doc, onEvent);
  expect(summary.status).toBe('done');
  return { peak, result: result! };
}

const outputOf = (result: Awaited<ReturnType<typeof peakBytesDuringPadim>>['result'], nodeId: string, port: string) => {
  const r = result.nodes.get(nodeId);
  if (!r || (r.status !== 'done' && r.status !== 'cached')) throw new Error(`${nodeId} did not run`);
  return r.entry.outputs[port]!;
};

describe('streaming image sets', () => {
  it('keeps a set lazy when PaDiM alone reads it: fit memory is the same for 16 and 160 images', async () => {
    const small = newSession();
    const a = await peakBytesDuringPadim(small, padimDoc(16));
    const large = newSession();
    const b = await peakBytesDuringPadim(large, padimDoc(160));
    const lazy = outputOf(b.result, 'train-data', 'images');
    expect(lazy.kind === 'ImageSet' && lazy.images === null).toBe(true);
    // 160 resident images would add 160·32·32·4·2 = 1.3 MB (images + masks); the lazy set adds nothing.
    expect(a.peak).toBeGreaterThan(0);
    expect(Math.abs(b.peak - a.peak)).toBeLessThan(64 * 1024);
    small.clearCache();
    large.clearCache();
  });

  it('scores the same whether the training set is streamed lazily or held; a later whole-set consumer materialises it once', async () => {
    const before = tf.memory().numTensors;
    const lazySession = newSession();
    const lazyRun = await peakBytesDuringPadim(lazySession, padimDoc(24));
    const heldSession = newSession();
    const heldRun = await peakBytesDuringPadim(heldSession, padimDoc(24, true));
    const held = outputOf(heldRun.result, 'train-data', 'images');
    expect(held.kind === 'ImageSet' && held.images !== null).toBe(true);
    const scores = (r: typeof lazyRun.result) => {
      const v = outputOf(r, 'padim', 'scores');
      return v.kind === 'Scores' ? Array.from(v.scores) : [];
    };
    expect(scores(lazyRun.result)).toEqual(scores(heldRun.result));

    // Add the whole-set consumer to the lazy session: image-set and PaDiM come from the cache, the lazy set is
    // materialised for augment and the cache now holds it resident (its bytes counted).
    const bytesBefore = lazySession.cache.bytes;
    const events: RunEvent[] = [];
    const { result } = await lazySession.run(padimDoc(24, true), (e) => events.push(e));
    expect(events.filter((e) => e.type === 'node-finished' && e.cached).map((e) => e.type === 'node-finished' && e.nodeId).sort()).toEqual(['features', 'padim', 'test-data', 'train-data']);
    const now = outputOf(result!, 'train-data', 'images');
    expect(now.kind === 'ImageSet' && now.images?.shape).toEqual([24, 32, 32, 1]);
    expect(lazySession.cache.bytes).toBeGreaterThanOrEqual(bytesBefore + 24 * 32 * 32 * 4 * 2);
    lazySession.clearCache();
    heldSession.clearCache();
    expect(tf.memory().numTensors).toBe(before);
  });
});
