/**
 * DICOM in the browser: a folder of DICOM files (written by the test) with one corrupt file is picked for an
 * image set; the corrupt file is reported with its reason, the others load, and the thumbnails show the
 * expected window (read back from the thumbnail canvases). JPEG 2000 and JPEG-LS files (encoded by the test with
 * the codecs' own encoders) decode in the worker through the WebAssembly codecs served from /dicom-wasm/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { encodeJpeg2000, encodeJpegLs } from '../unit/helpers/dicom-encoders';
import { writeDicom } from '../unit/helpers/dicom-writer';
import { type EditorPage, expect, test } from './fixtures';

const N = 16;
/** Left half one value, right half another. */
const halves = (left: number, right: number) => Array.from({ length: N * N }, (_, i) => (i % N < N / 2 ? left : right));

function makeDataset(): { dir: string; root: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kizuki-e2e-dicom-'));
  const root = join(dir, 'ct');
  mkdirSync(join(root, 'NORMAL'), { recursive: true });
  mkdirSync(join(root, 'ANOMALY'), { recursive: true });
  // 12-bit with its own window (c = 1000, w = 401): 1100 → (1100 − 799.5) / 400 = 0.75125, 900 → 0.25125.
  writeFileSync(join(root, 'NORMAL', 'a.dcm'), writeDicom({ rows: N, cols: N, bitsStored: 12, pixels: halves(1100, 900), window: { center: 1000, width: 401 } }));
  // MONOCHROME1 without window tags, implicit VR, no extension: min–max then inverted → 51 white, 204 black.
  writeFileSync(join(root, 'NORMAL', 'IM0002'), writeDicom({ rows: N, cols: N, bitsAllocated: 8, pixels: halves(51, 204), photometric: 'MONOCHROME1', syntax: 'implicitLE' }));
  // RLE compressed, signed with rescale: stored −10 / 20, slope 2, intercept −100 → −120 / −60; min–max → 0 / 1.
  writeFileSync(join(root, 'ANOMALY', 'c.dcm'), writeDicom({ rows: N, cols: N, signed: true, rescale: { slope: 2, intercept: -100 }, pixels: halves(-10, 20), syntax: 'rle' }));
  // Corrupt: the DICM marker, then garbage.
  const broken = new Uint8Array(300).fill(0xff);
  broken.fill(0, 0, 128);
  broken.set(new TextEncoder().encode('DICM'), 128);
  writeFileSync(join(root, 'ANOMALY', 'broken.dcm'), broken);
  return { dir, root };
}

/** Grey value at (x, y) of the thumbnail canvas whose title names `file`. */
async function greyAt(node: Locator, file: string, x: number, y: number): Promise<number> {
  const canvas = node.locator(`canvas.thumb[title^="${file} "]`);
  await expect(canvas).toHaveCount(1);
  return canvas.evaluate((el, [px, py]) => (el as HTMLCanvasElement).getContext('2d')!.getImageData(px!, py!, 1, 1).data[0]!, [x, y]);
}

/** A new image-set node reading `root` (4 files) at N×N, run to the end: the node, done. */
async function loadFolder(editor: EditorPage, root: string) {
  await editor.newEmpty();
  await editor.dropFromPalette('image-set', { x: 120, y: 120 });
  await editor.param('source').selectOption('folder');
  await editor.page.getByTestId('folder-input').setInputFiles(root);
  await expect(editor.page.getByTestId('folder-picker')).toContainText('4 files available');
  await editor.param('size').fill(String(N));
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  const node = editor.node('image-set-1');
  await expect(node).toHaveAttribute('data-status', 'done');
  return node;
}

test('a DICOM folder with one corrupt file: skipped with its reason, the rest shown with the right window', async ({ editor, page }) => {
  const { dir, root } = makeDataset();
  try {
    const node = await loadFolder(editor, root);
    await expect(editor.param('path')).toHaveValue('ct');
    await expect(node).toContainText('2 normal, 1 anomalous');
    await expect(node).toContainText('formats: 3 DICOM');
    await expect(node).toContainText(`source sizes: ${N}×${N}`);
    await expect(node).toContainText(/1 skipped: ANOMALY\/broken\.dcm \((invalid|truncated) DICOM/);
    await expect(node.locator('canvas.thumb')).toHaveCount(3);

    // Thumbnails are 16×16 like the images, so each pixel is one windowed value × 255.
    const close = (got: number, want: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(1);
    close(await greyAt(node, 'NORMAL/a.dcm', 2, 8), 0.75125 * 255);
    close(await greyAt(node, 'NORMAL/a.dcm', 12, 8), 0.25125 * 255);
    close(await greyAt(node, 'NORMAL/IM0002', 2, 8), 255);
    close(await greyAt(node, 'NORMAL/IM0002', 12, 8), 0);
    close(await greyAt(node, 'ANOMALY/c.dcm', 2, 8), 0);
    close(await greyAt(node, 'ANOMALY/c.dcm', 12, 8), 255);

    // The full 12-bit range instead of the file's window: 1100 / 4095.
    await editor.param('window').selectOption('full');
    await editor.runButton.click();
    await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
    await expect(async () => close(await greyAt(node, 'NORMAL/a.dcm', 2, 8), (1100 / 4095) * 255)).toPass({ timeout: 10_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('DICOM files dropped onto an image-set node become its folder; dropped on the canvas they make a new node', async ({ editor, page }) => {
  const a = writeDicom({ rows: N, cols: N, bitsStored: 12, pixels: halves(1100, 900), window: { center: 1000, width: 401 } });
  const b = writeDicom({ rows: N, cols: N, bitsAllocated: 8, pixels: halves(51, 204), photometric: 'MONOCHROME1' });
  /** A scripted drop of loose files (no folder entries, like some browsers' drops). */
  const drop = async (selector: string) => {
    const dataTransfer = await page.evaluateHandle(
      (files) => {
        const dt = new DataTransfer();
        for (const [name, bytes] of files) dt.items.add(new File([new Uint8Array(bytes)], name));
        return dt;
      },
      [
        ['a.dcm', Array.from(a)],
        ['IM0002', Array.from(b)],
      ] as [string, number[]][],
    );
    await page.dispatchEvent(selector, 'drop', { dataTransfer, clientX: 700, clientY: 450 });
  };

  await editor.newEmpty();
  await editor.dropFromPalette('image-set', { x: 120, y: 120 });
  await drop('[data-testid="node-image-set-1"]');
  await expect(editor.notice).toContainText('2 files from "dropped" are available to image-set-1');
  await editor.selectNode('image-set-1');
  await expect(editor.param('source')).toHaveValue('folder');
  await expect(editor.param('path')).toHaveValue('dropped');

  await drop('[data-testid="canvas"] .react-flow__pane');
  await expect(editor.node('image-set-2')).toBeVisible();
  await expect(editor.notice).toContainText('are available to image-set-2');

  await editor.selectNode('image-set-1');
  await editor.param('size').fill(String(N));
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  const node = editor.node('image-set-1');
  await expect(node).toContainText('formats: 2 DICOM');
  await expect(node).toContainText('2 unlabelled');
  const close = (got: number, want: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(1);
  close(await greyAt(node, 'a.dcm', 2, 8), 0.75125 * 255);
  close(await greyAt(node, 'IM0002', 12, 8), 0);
});

test('JPEG 2000 and JPEG-LS DICOM decode in the worker; a corrupt JPEG 2000 and an HTJ2K file are skipped with reasons', async ({ editor, page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'kizuki-e2e-dicom-codecs-'));
  const root = join(dir, 'mr');
  mkdirSync(join(root, 'NORMAL'), { recursive: true });
  mkdirSync(join(root, 'ANOMALY'), { recursive: true });
  const frame = { width: N, height: N, bitsPerSample: 12 };
  // Lossless JPEG 2000, 12-bit with its own window (c = 1000, w = 401): 1100 → 0.75125, 900 → 0.25125 (as a.dcm above).
  const j2k = await encodeJpeg2000(halves(1100, 900), frame);
  writeFileSync(join(root, 'NORMAL', 'j2k.dcm'), writeDicom({ rows: N, cols: N, bitsStored: 12, pixels: [], window: { center: 1000, width: 401 }, syntax: 'jpeg2000', encodedFrames: [j2k] }));
  // Lossless JPEG-LS, 16-bit signed with rescale, no window: stored −10 / 20 → −120 / −60; min–max → 0 / 1.
  const jls = await encodeJpegLs(halves(-10, 20), { width: N, height: N, bitsPerSample: 16 });
  writeFileSync(join(root, 'ANOMALY', 'jls.dcm'), writeDicom({ rows: N, cols: N, signed: true, rescale: { slope: 2, intercept: -100 }, pixels: [], syntax: 'jpegLs', encodedFrames: [jls] }));
  // A JPEG 2000 frame cut short, and an HTJ2K file (recognised, not decoded).
  writeFileSync(join(root, 'ANOMALY', 'cut.dcm'), writeDicom({ rows: N, cols: N, bitsStored: 12, pixels: [], syntax: 'jpeg2000', encodedFrames: [j2k.subarray(0, 40)] }));
  writeFileSync(join(root, 'ANOMALY', 'ht.dcm'), writeDicom({ rows: N, cols: N, pixels: [], syntax: 'htj2k', encodedFrames: [j2k] }));
  try {
    const node = await loadFolder(editor, root);
    await expect(node).toContainText('1 normal, 1 anomalous');
    await expect(node).toContainText('formats: 2 DICOM');
    await expect(node).toContainText('2 skipped');
    await expect(node).toContainText(/ANOMALY\/cut\.dcm \(couldn't decode JPEG 2000 pixel data/);
    await expect(node).toContainText(/ANOMALY\/ht\.dcm \(HTJ2K lossless .*not supported yet/);
    await expect(node.locator('canvas.thumb')).toHaveCount(2);

    const close = (got: number, want: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(1);
    close(await greyAt(node, 'NORMAL/j2k.dcm', 2, 8), 0.75125 * 255);
    close(await greyAt(node, 'NORMAL/j2k.dcm', 12, 8), 0.25125 * 255);
    close(await greyAt(node, 'ANOMALY/jls.dcm', 2, 8), 0);
    close(await greyAt(node, 'ANOMALY/jls.dcm', 12, 8), 255);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
