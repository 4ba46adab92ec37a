import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIO } from '../../workers/engine/browser-io';
import { createNodeIO } from '../../workers/engine/node-io';
import { disposeOutputs } from '../../workers/engine/values';
import { testContext } from '../../tests/unit/helpers/context';
import { KizukiError } from '../core/errors';
import { pretrainedCnnNode } from './definition';
import { pretrainedCnnKernel } from './kernel';

const io = createNodeIO();
let dir = '';

/** A tiny LayersModel: [8,8,3] → conv c1 (8×8×4) → conv c2 stride 2 (4×4×6) → flatten → dense out. */
function tinyModel() {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', name: 'c2', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ units: 2, name: 'out', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  return model;
}

/** Save handler writing model.json + one weights.bin into `folder`. */
async function saveTo(model: tf.LayersModel, folder: string) {
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const parts = Array.isArray(a.weightData) ? a.weightData : a.weightData ? [a.weightData] : [];
      const bytes = Buffer.concat(parts.map((b) => Buffer.from(b)));
      await writeFile(path.join(folder, 'weights.bin'), bytes);
      const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] };
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

const params = (p: Partial<ReturnType<typeof pretrainedCnnNode.params.parse>> = {}) => pretrainedCnnNode.params.parse({ preset: 'custom', path: dir, layers: ['c1', 'c2'], ...p });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof KizukiError ? e.info.code : String(e);
  }
}

let reference: tf.LayersModel;

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kizuki-cnn-'));
  reference = tinyModel();
  await saveTo(reference, dir);
});
afterAll(async () => {
  reference.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('pretrained-cnn kernel', () => {
  it('loads a LayersModel folder through ctx.io and taps its layers; no tensors leak', async () => {
    const before = tf.memory().numTensors;
    const { ctx } = testContext({ io });
    const out = await pretrainedCnnKernel.run({}, params(), ctx);
    expect(out.extractor.inputShape).toEqual([8, 8, 3]);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const maps = out.extractor.extract(x);
    expect(maps.map((m) => m.shape)).toEqual([
      [2, 8, 8, 4],
      [2, 4, 4, 6],
    ]);
    // Same numbers as the saved model's own layers.
    const tap = tf.model({ inputs: reference.inputs, outputs: [reference.getLayer('c1').output as tf.SymbolicTensor, reference.getLayer('c2').output as tf.SymbolicTensor] });
    const want = tap.predict(x) as tf.Tensor[];
    for (let i = 0; i < 2; i++) expect(maxDiff(maps[i]!, want[i]!)).toBeLessThan(1e-6);
    const preview = await pretrainedCnnKernel.preview!(out, params());
    expect(preview[0]).toMatchObject({ kind: 'text', lines: expect.arrayContaining(['tap 1: 8×8×4', 'tap 2: 4×4×6']) });
    tf.dispose([x, ...maps, ...want]);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resizes images to the input size and repeats grey to RGB; scales to the declared input range', async () => {
    const out = await pretrainedCnnKernel.run({}, params({ layers: ['c1'] }), testContext({ io }).ctx);
    const scaled = await pretrainedCnnKernel.run({}, params({ layers: ['c1'], inputRange: '-1..1' }), testContext({ io }).ctx);
    const grey = tf.fill([1, 16, 16, 1], 0.4) as tf.Tensor4D;
    const rgb = tf.fill([1, 8, 8, 3], 0.4) as tf.Tensor4D;
    const [a] = out.extractor.extract(grey);
    const [b] = out.extractor.extract(rgb);
    expect(a!.shape).toEqual([1, 8, 8, 4]);
    expect(maxDiff(a!, b!)).toBeLessThan(1e-6);
    // -1..1: 0.4 becomes -0.2 before the network.
    const [c] = scaled.extractor.extract(rgb);
    const [d] = out.extractor.extract(tf.fill([1, 8, 8, 3], -0.2) as tf.Tensor4D);
    expect(maxDiff(c!, d!)).toBeLessThan(1e-6);
    tf.dispose([grey, rgb, a!, b!, c!, d!]);
    disposeOutputs(out);
    disposeOutputs(scaled);
  });

  it('accepts the path of model.json itself, and the browser\'s picked files', async () => {
    const viaFile = await pretrainedCnnKernel.run({}, params({ path: path.join(dir, 'model.json') }), testContext({ io }).ctx);
    expect(viaFile.extractor.inputShape).toEqual([8, 8, 3]);
    disposeOutputs(viaFile);
    const files = new Map<string, Blob>([
      ['my-model/model.json', new Blob([await readFile(path.join(dir, 'model.json'))])],
      ['my-model/weights.bin', new Blob([await readFile(path.join(dir, 'weights.bin'))])],
    ]);
    const browser = await pretrainedCnnKernel.run({}, params({ path: 'my-model' }), testContext({ io: createMemoryIO(files) }).ctx);
    expect(browser.extractor.inputShape).toEqual([8, 8, 3]);
    disposeOutputs(browser);
  });

  it('fails with MODEL_LOAD_FAILED and says how to provide a model', async () => {
    const { ctx } = testContext({ io, nodeId: 'backbone' });
    const empty = pretrainedCnnKernel.run({}, params({ path: '' }), ctx).catch((e: unknown) => e);
    const err = (await empty) as KizukiError;
    expect(err.info.code).toBe('MODEL_LOAD_FAILED');
    expect(err.message).toMatch(/backbone.*no model path/);
    expect(err.info.hint).toMatch(/folder containing model\.json.*\.\.\/shared\/models\/mobilenet_v2_imagenet/);
    expect(await codeOf(pretrainedCnnKernel.run({}, params({ path: path.join(dir, 'nope') }), ctx))).toBe('MODEL_LOAD_FAILED');
    // A corrupt shard (too few bytes for the weights).
    const bad = await mkdtemp(path.join(tmpdir(), 'kizuki-cnn-bad-'));
    await writeFile(path.join(bad, 'model.json'), await readFile(path.join(dir, 'model.json')));
    await writeFile(path.join(bad, 'weights.bin'), Buffer.alloc(12));
    const before = tf.memory().numTensors;
    expect(await codeOf(pretrainedCnnKernel.run({}, params({ path: bad }), ctx))).toBe('MODEL_LOAD_FAILED');
    expect(tf.memory().numTensors).toBe(before);
    await writeFile(path.join(bad, 'model.json'), '{"not":"a model"}');
    expect(await codeOf(pretrainedCnnKernel.run({}, params({ path: bad }), ctx))).toBe('MODEL_LOAD_FAILED');
    await rm(bad, { recursive: true, force: true });
  });

  it('rejects unknown or non-feature-map taps with INVALID_PARAM naming valid layers, without leaking', async () => {
    const { ctx } = testContext({ io });
    const before = tf.memory().numTensors;
    const err = (await pretrainedCnnKernel.run({}, params({ layers: ['c1', 'conv_9'] }), ctx).catch((e: unknown) => e)) as KizukiError;
    expect(err.info.code).toBe('INVALID_PARAM');
    expect(err.info.field).toBe('layers');
    expect(err.message).toMatch(/"conv_9".*valid layers include.*c1.*c2/);
    expect(await codeOf(pretrainedCnnKernel.run({}, params({ layers: ['out'] }), ctx))).toBe('INVALID_PARAM');
    expect(await codeOf(pretrainedCnnKernel.run({}, params({ layers: [] }), ctx))).toBe('INVALID_PARAM');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads a GraphModel and taps its nodes by name', async () => {
    const g = await mkdtemp(path.join(tmpdir(), 'kizuki-graph-'));
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const dims = (d: number[]) => ({ dim: d.map((v) => ({ size: String(v) })) });
    const topology = {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims([-1, 4, 4, 1]) } } },
        { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims([1, 1, 1, 2]) } } } },
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['x', 'w'],
          attr: { T: { type: 'DT_FLOAT' }, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: { list: { i: ['1', '1', '1', '1'] } } },
        },
        { name: 'feat', op: 'Relu', input: ['conv'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      versions: { producer: 1 },
    };
    await writeFile(path.join(g, 'w.bin'), Buffer.from(new Float32Array([2, -1]).buffer));
    await writeFile(
      path.join(g, 'model.json'),
      JSON.stringify({ format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [1, 1, 1, 2], dtype: 'float32' }] }] }),
    );
    const before = tf.memory().numTensors;
    const out = await pretrainedCnnKernel.run({}, params({ path: g, layers: ['feat'] }), testContext({ io }).ctx);
    expect(out.extractor.inputShape).toEqual([4, 4, 1]);
    const x = tf.fill([1, 4, 4, 1], 0.5) as tf.Tensor4D;
    const [f] = out.extractor.extract(x);
    expect(f!.shape).toEqual([1, 4, 4, 2]);
    expect(Array.from(f!.dataSync().slice(0, 2))).toEqual([1, 0]); // relu(0.5·2), relu(0.5·−1)
    expect(await codeOf(pretrainedCnnKernel.run({}, params({ path: g, layers: ['nope'] }), testContext({ io }).ctx))).toBe('INVALID_PARAM');
    tf.dispose([x, f!]);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
    await rm(g, { recursive: true, force: true });
  });

  it('fingerprints the model files, so the cache key changes when they change', async () => {
    const p = params();
    const a = await pretrainedCnnKernel.fingerprint!(p, io);
    expect(await pretrainedCnnKernel.fingerprint!(params({ path: path.join(dir, 'model.json') }), io)).toBe(a);
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(dir, 'weights.bin'), later, later);
    expect(await pretrainedCnnKernel.fingerprint!(p, io)).not.toBe(a);
    expect(await pretrainedCnnKernel.fingerprint!(params({ path: 'https://example.org/m/model.json' }), io)).toBe('');
  });

  it('has documented defaults', () => {
    expect(pretrainedCnnNode.params.parse({})).toEqual({ preset: 'mobilenet-v2-imagenet', path: '', layers: [], inputRange: '0..1' });
  });

  const mobilenet = path.resolve('../shared/models/mobilenet_v2_imagenet');
  it.skipIf(!existsSync(path.join(mobilenet, 'model.json')))('loads the real MobileNetV2 with its default taps', async () => {
    const before = tf.memory().numTensors;
    const out = await pretrainedCnnKernel.run({}, pretrainedCnnNode.params.parse({ path: mobilenet }), testContext({ io }).ctx);
    expect(out.extractor.inputShape).toEqual([224, 224, 3]);
    const x = tf.fill([1, 64, 64, 1], 0.5) as tf.Tensor4D;
    const maps = out.extractor.extract(x);
    expect(maps.map((m) => m.shape.slice(1))).toEqual([
      [56, 56, 144],
      [28, 28, 192],
      [14, 14, 576],
    ]);
    tf.dispose([x, ...maps]);
    disposeOutputs(out);
    expect(tf.memory().numTensors).toBe(before);
  });
});
