import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { ContentHasher, compareManifests, type DataManifest, MANIFEST_HASH_OF } from '../../../graph-nodes/core/data-manifest';
import { hashString } from '../../../graph-nodes/core/hash';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { escapeXml, plotFileName, plotSvg } from '../../../graph-nodes/core/plot-svg';
import type { Preview } from '../../../graph-nodes/core/preview';
import { base64, buildReport, pipelineSvg, pngDataUrl } from '../../../graph-nodes/core/report';
import { getTemplate } from '../../../graph-nodes/templates';

const doc = (): PipelineDoc => structuredClone(getTemplate('lecture-ae-residual')!.doc) as PipelineDoc;

describe('base64 and PNG data URLs', () => {
  it('base64 equals Node\'s Buffer encoding for every padding case', () => {
    for (let n = 0; n < 12; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) % 256);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('a preview image survives PNG encoding pixel for pixel', () => {
    const rgba = Uint8ClampedArray.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const url = pngDataUrl({ name: 'x', label: 0, width: 3, height: 2, rgba });
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = decodePng(Buffer.from(url.slice(22), 'base64'));
    expect([png.width, png.height, png.channels]).toEqual([3, 2, 4]);
    expect(Array.from(png.data)).toEqual(Array.from(rgba));
  });
});

describe('plots as SVG', () => {
  it('maps ROC points onto the plot area: (0,0) bottom-left, (1,1) top-right', () => {
    const svg = plotSvg({ kind: 'roc', curve: { fpr: [0, 0, 1], tpr: [0, 1, 1], thresholds: [Infinity, 0.5, 0] }, auroc: 1, ap: 1, nNormal: 3, nAnomalous: 2, flippedHint: false });
    // Plot area: x 52..406, y 30..240 (420×280 minus margins).
    expect(svg).toContain('points="52.0,240.0 52.0,30.0 406.0,30.0"');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('AUROC 1');
  });

  it('draws one bar per non-empty class bin, stacked, and escapes titles', () => {
    const p: Preview = { kind: 'histogram', title: 'a < b & "c"', edges: [0, 1, 2], normal: [2, 0], anomalous: [1, 3], unknown: [0, 0], marker: { value: 1.5, label: 'r' } };
    const svg = plotSvg(p);
    expect(svg.match(/<rect x=/g)).toHaveLength(3 + 2 /* legend */ + 1 /* frame */);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).not.toContain('a < b');
    // The tallest stack (3) reaches the top of the plot area; the marker sits at 3/4 of the width.
    expect(svg).toMatch(/height="210\.0" fill="#ef4444"/);
    expect(svg).toContain('<line x1="317.5"');
  });

  it('loss, ROC comparison and scatter render; file names are safe', () => {
    expect(plotSvg({ kind: 'loss', epochs: 3, values: [3, 2, 1] })).toContain('points="52.0,30.0 229.0,135.0 406.0,240.0"');
    const cmp = plotSvg({ kind: 'roc-compare', nNormal: 1, nAnomalous: 1, curves: [{ scorer: 'a', fpr: [0, 1], tpr: [0, 1], auroc: 0.5, ap: 0.5, flipped: false }, { scorer: 'b', fpr: [0, 1], tpr: [1, 1], auroc: 1, ap: 1, flipped: false }] });
    expect(cmp.match(/<polyline/g)).toHaveLength(2);
    expect(plotSvg({ kind: 'scatter', title: 's', points: [{ x: 0, y: 0, label: 0 }, { x: 1, y: 2, label: 1 }], circle: { cx: 0, cy: 0, r: 1 } })).toContain('<ellipse');
    expect(plotFileName('my node', { kind: 'loss', epochs: 1, values: [1] }, 1, 'png')).toBe('my_node-loss-2.png');
    expect(escapeXml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});

describe('HTML report', () => {
  const manifest: DataManifest = {
    createdAt: '2026-01-01T00:00:00.000Z',
    hashOf: MANIFEST_HASH_OF,
    imageSets: [{ nodeId: 'test-data', source: 'x<y>', count: 2, files: ['a', 'b'], perClass: { normal: 1, nodule: 1 }, labels: { normal: 1, anomalous: 1, unlabelled: 0 }, skipped: [], contentHash: '0123456789abcdef' }],
  };

  it('is one self-contained file with the pipeline picture, metrics, params, plots and images, all text escaped', () => {
    const d = doc();
    d.name = '<script>alert(1)</script>';
    d.nodes[0]!.label = 'Train "normal" & <b>';
    const html = buildReport({
      doc: d,
      nodes: {
        'train-data': { status: 'done', seconds: 0.5, preview: [{ kind: 'images', title: 'Phantoms', total: 9, images: [{ name: '<img>.png', label: 0, width: 2, height: 2, rgba: new Uint8ClampedArray(16).fill(200) }] }] },
        ae: { status: 'done', seconds: 3, preview: [{ kind: 'loss', epochs: 2, values: [0.2, 0.1] }], warnings: ['careful <now>'] },
        residual: { status: 'failed', error: { message: 'it broke', hint: 'fix it' } },
        roc: { status: 'skipped (residual failed)' },
      },
      metrics: { roc: { scorer: 'residual max', auroc: 0.91234, ap: 0.8, nNormal: 32, nAnomalous: 32 } },
      run: { status: 'failed', backend: 'cpu', seconds: 4.2, finishedAt: '2026-01-01T00:00:00Z', by: 'test' },
      manifest,
    });
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Train &quot;normal&quot; &amp; &lt;b&gt;');
    expect(html).toContain('careful &lt;now&gt;');
    expect(html).toContain('alt="&lt;img&gt;.png"');
    expect(html).toContain('<td>0.9123</td><td>0.8000</td><td>32</td><td>32</td>');
    expect(html).toContain('<th>blurSigma</th><td>1</td>');
    expect(html).toContain('it broke');
    expect(html).toContain('&quot;test-data&quot;: 2 files from x&lt;y&gt; (normal 1, nodule 1), hash 0123456789abcdef');
    expect(html.match(/data:image\/png;base64,/g)).toHaveLength(1);
    // Pipeline picture + one loss plot.
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('draws a box per node and a curve per edge, coloured by status', () => {
    const d = doc();
    const svg = pipelineSvg(d, { ae: 'failed' });
    expect(svg.match(/<rect /g)).toHaveLength(d.nodes.length);
    expect(svg.match(/<path /g)).toHaveLength(d.edges.length);
    expect(svg).toContain('stroke="#dc2626"');
  });
});

describe('data manifest', () => {
  it('ContentHasher over ASCII bytes equals hashString over the same text', () => {
    const text = 'phantom-0001-normal.png\t0';
    expect(new ContentHasher().bytes(new TextEncoder().encode(text)).digest()).toBe(hashString(text));
    // Chunked feeding gives the same digest as one call.
    const bytes = new TextEncoder().encode(text);
    expect(new ContentHasher().bytes(bytes.subarray(0, 5)).bytes(bytes.subarray(5)).digest()).toBe(hashString(text));
  });

  it('compares a saved manifest with a new run in words', () => {
    const saved: DataManifest = { createdAt: '', hashOf: MANIFEST_HASH_OF, imageSets: [
      { nodeId: 'a', source: 's', count: 1341, files: ['x', 'y'], perClass: {}, labels: { normal: 1, anomalous: 1, unlabelled: 0 }, skipped: [], contentHash: '1111111111111111' },
      { nodeId: 'b', source: 's', count: 2, files: ['x', 'y'], perClass: {}, labels: { normal: 1, anomalous: 1, unlabelled: 0 }, skipped: [], contentHash: '2222222222222222' },
      { nodeId: 'c', source: 's', count: 2, files: ['x'], perClass: {}, labels: { normal: 1, anomalous: 0, unlabelled: 0 }, skipped: [], contentHash: '3333333333333333' },
    ] };
    const now: DataManifest = { ...saved, imageSets: [
      { ...saved.imageSets[0]! },
      { ...saved.imageSets[1]!, files: ['x', 'z', 'w'], count: 3, contentHash: '4444444444444444' },
    ] };
    const cmp = compareManifests(saved, now);
    expect(cmp.map((c) => c.status)).toEqual(['matches', 'differs', 'missing']);
    expect(cmp[0]!.text).toBe('"a" was run on 1,341 files (hash 1111111111111111); your data matches');
    expect(cmp[1]!.text).toContain('your data differs: 3 files, hash 4444444444444444 (2 file names new, 1 missing)');
    expect(cmp[2]!.text).toContain('has not run on your data yet');
  });
});
