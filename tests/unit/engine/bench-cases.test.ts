// The backend benchmark's building blocks: peak TF.js memory, the shared cases, the shared table and options.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { formatTable, msCell, parseBenchArgs } from '../../../bench/bench-report';
import { createNodeIO } from '../../../workers/engine/node-io';
import { padimBenchDoc, runBenchCase, timeAutoencoderForward, timeAutoencoderStep, timeFeaturePass, timePadimFit } from '../../../workers/engine/bench-cases';
import { withPeakTfBytes } from '../../../workers/engine/peak-tf-memory';
import { EngineSession } from '../../../workers/engine/session';

describe('withPeakTfBytes', () => {
  it('reports the highest tf.memory().numBytes while the function ran, not the value at its end', async () => {
    const start = tf.memory().numBytes;
    const { result, peakBytes } = await withPeakTfBytes(async () => {
      const big = tf.zeros([1000]); // 4,000 bytes
      const small = tf.zeros([10]); // +40 → peak start + 4,040
      big.dispose();
      small.dispose();
      const last = tf.zeros([5]);
      await last.data();
      last.dispose();
      return 'done';
    });
    expect(result).toBe('done');
    expect(peakBytes - start).toBe(4040);
    expect(tf.memory().numBytes).toBe(start);
  });

  it('restores the engine even when the function throws', async () => {
    const engine = tf.engine() as unknown as { trackTensor: unknown };
    const original = engine.trackTensor;
    await expect(withPeakTfBytes(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(engine.trackTensor).toBe(original);
    // and stops counting afterwards
    const { peakBytes } = await withPeakTfBytes(async () => undefined);
    tf.zeros([100]).dispose();
    expect(peakBytes).toBe(tf.memory().numBytes);
  });
});

describe('bench cases (small sizes, cpu)', () => {
  it('the AutoEncoder training step and forward pass report ms, images/s = batch/s and their tensor peak', async () => {
    const before = tf.memory().numTensors;
    const small = { channels: [4, 8], codeChannels: 8 };
    const step = await timeAutoencoderStep(16, 2, 1, small);
    const fwd = await timeAutoencoderForward(16, 2, 1, small);
    for (const r of [step, fwd]) {
      expect(r.ms).toBeGreaterThan(0);
      expect(r.perSecond).toBeCloseTo(2000 / r.ms, 6);
    }
    // The training step holds weights, Adam's two moments and the gradients at once: more than a forward pass.
    expect(step.peakTfBytes).toBeGreaterThan(fwd.peakTfBytes);
    expect(tf.memory().numTensors).toBe(before); // nothing leaks
  });

  it('the feature pass loads a LayersModel from an IO handler and reads the named taps', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'tap_a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', name: 'tap_b' }).apply(a) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: b });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (x) => ((artifacts = x), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    model.dispose();
    const before = tf.memory().numTensors;
    const r = await timeFeaturePass({ load: async () => artifacts! }, 2, 1, ['tap_a', 'tap_b']);
    expect(r.perSecond).toBeCloseTo(2000 / r.ms, 6);
    // At least the input batch and both tap outputs are alive at once: 2·8·8·(3 + 4) + 2·4·4·8 floats.
    expect(r.peakTfBytes - tf.memory().numBytes).toBeGreaterThanOrEqual((2 * 64 * 7 + 2 * 16 * 8) * 4);
    expect(tf.memory().numTensors).toBe(before);
    await expect(timeFeaturePass({ load: async () => artifacts! }, 2, 1, ['no_such_layer'])).rejects.toThrow(/no_such_layer/);
  });

  it('the PaDiM case runs lecture-padim on N phantoms and names the failing node when the model is missing', async () => {
    const doc = padimBenchDoc('/nowhere/model', 1000);
    const param = (id: string, k: string) => (doc.nodes.find((n) => n.id === id)!.params as Record<string, unknown>)[k];
    expect(param('train-data', 'normals')).toBe(1000);
    expect(param('train-data', 'anomalies')).toBe(0);
    expect(param('backbone', 'path')).toBe('/nowhere/model');
    const session = new EngineSession(createNodeIO(), 'cpu');
    await expect(timePadimFit(session, '/nowhere/model', 4)).rejects.toThrow(/lecture-padim run ended failed \(backbone: .*nowhere/);
  });
});

describe('runBenchCase', () => {
  it('names the valid cases for an unknown one and says which model a model case needs', async () => {
    const session = new EngineSession(createNodeIO(), 'cpu');
    await expect(runBenchCase('ae512', { repeats: 1, session })).rejects.toThrow(/unknown benchmark case "ae512"; choose from ae128, ae256, ae128fwd, mobilenet224, padim1000/);
    await expect(runBenchCase('mobilenet224', { repeats: 1, session })).rejects.toThrow(/case mobilenet224 needs the MobileNetV2 model/);
  });
});

describe('bench report', () => {
  const defaults = { backends: 'wasm,cpu', cases: 'ae128,padim1000', timeout: '900' };

  it('reads a default time limit and per-case limits', () => {
    const o = parseBenchArgs(['--timeout', '120,padim1000=400', '--backends', 'webgl', '--json'], defaults);
    expect(o.timeoutFor('ae128')).toBe(120);
    expect(o.timeoutFor('padim1000')).toBe(400);
    expect(o.backends).toEqual(['webgl']);
    expect(o.cases).toEqual(['ae128', 'padim1000']);
    expect(o.json).toBe(true);
    expect(parseBenchArgs(['--timeout', 'ae256=60'], defaults).timeoutFor('ae128')).toBe(900);
  });

  it('rejects bad options naming the option and the fix', () => {
    expect(() => parseBenchArgs(['--cases', 'ae128,ae512'], defaults)).toThrow(/--cases: unknown ae512; choose from ae128, ae256/);
    expect(() => parseBenchArgs(['--timeout', 'soon'], defaults)).toThrow(/--timeout: "soon" is not a positive number/);
    expect(() => parseBenchArgs(['--timeout', 'ae999=5'], defaults)).toThrow(/--timeout: unknown case "ae999"/);
    expect(() => parseBenchArgs(['--backends', '--json'], defaults)).toThrow(/--backends needs a value/);
  });

  it('prints a timeout as "> N s (timeout)", never as a number, and leaves its rate empty', () => {
    const table = formatTable(
      [
        { case: 'ae128', backend: 'wasm', ms: 4458.4, perSecond: 7.18, peakTfBytes: 300 * 2 ** 20, peakRssBytes: 822 * 2 ** 20 },
        { case: 'ae128', backend: 'webgl', timeoutS: 120, peakRssBytes: 900 * 2 ** 20 },
        { case: 'padim1000', backend: 'cpu', skipped: 'no model at /x' },
      ],
      'peak RSS (process)',
    ).split('\n');
    expect(table[0]).toBe('| case | backend | ms / step | images / s | peak TF.js memory | peak RSS (process) |');
    expect(table[2]).toBe('| AE train step, B=32, 128² | wasm | 4458 | 7.2 | 300 MiB | 822 MiB |');
    expect(table[3]).toBe('| AE train step, B=32, 128² | webgl | > 120 s (timeout) |  |  | 900 MiB |');
    expect(table[4]).toContain('skipped: no model at /x');
    expect(msCell({ case: 'ae128', backend: 'cpu', error: 'unavailable' })).toBe('error: unavailable');
  });
});
