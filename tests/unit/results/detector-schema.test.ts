import { describe, expect, it } from 'vitest';
import { parseDetectorSpec } from '../../../workers/engine/detector-schema';

const valid = () => ({
  format: 'kizuki.detector',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  source: { pipeline: 'p', scorerNode: 'residual', modelNode: 'ae' },
  scoreName: 'residual max',
  direction: 'higher-is-anomalous',
  preprocessing: { size: 32, grayscale: true, range: '0..1', resize: 'area' },
  model: { file: 'model/model.json', inputShape: [32, 32, 1] },
  scorer: { type: 'residual-max', typeVersion: 1, params: { reduce: 'max', topK: 16, blurSigma: 1 } },
  threshold: { value: 0.3, source: 'test' },
});

describe('detector.json validation', () => {
  it('accepts a valid spec and fills scorer param defaults from the node schema', () => {
    const spec = valid();
    delete (spec.scorer.params as Partial<typeof spec.scorer.params>).topK;
    const parsed = parseDetectorSpec(spec);
    expect(parsed.ok && parsed.spec.scorer.type === 'residual-max' && parsed.spec.scorer.params.topK).toBe(16);
  });

  it('names the file and field of every problem', () => {
    const cases: [(s: ReturnType<typeof valid>) => void, RegExp][] = [
      [(s) => ((s.scorer.params as { reduce: string }).reduce = 'median'), /^detector\.json: scorer\.params\.reduce: /],
      [(s) => ((s.scorer as { type: string }).type = 'padim'), /^detector\.json: scorer\.type: /],
      [(s) => (s.model.inputShape = [64, 64, 1]), /model\.inputShape 64×64×1 does not match preprocessing \(32×32×1\)/],
      [(s) => (s.model.file = '../outside.json'), /^detector\.json: model\.file: must not leave the detector folder/],
      [(s) => ((s as { version: number }).version = 2), /^detector\.json: version: /],
      [(s) => (s.threshold.value = Number.NaN), /^detector\.json: threshold\.value: /],
    ];
    for (const [mutate, message] of cases) {
      const spec = valid();
      mutate(spec);
      const parsed = parseDetectorSpec(spec);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.issues.join('\n')).toMatch(message);
    }
  });

  it('requires the code layer and a reference for latent distance', () => {
    const spec = { ...valid(), scorer: { type: 'latent-distance', typeVersion: 1, params: {}, reference: { file: 'reference.bin', rows: 4, cols: 8 } } };
    const parsed = parseDetectorSpec(spec);
    expect(parsed.ok ? '' : parsed.issues.join('\n')).toMatch(/model\.codeLayer is required for a latent-distance scorer/);
    const withLayer = parseDetectorSpec({ ...spec, model: { ...spec.model, codeLayer: 'code' } });
    expect(withLayer.ok).toBe(true);
    const noRef = parseDetectorSpec({ ...spec, model: { ...spec.model, codeLayer: 'code' }, scorer: { ...spec.scorer, reference: undefined } });
    expect(noRef.ok ? '' : noRef.issues.join('\n')).toMatch(/detector\.json: scorer\.reference: /);
  });
});
