import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { expect, test } from './fixtures';

/** A tiny class-folder dataset: xray/NORMAL/*.png (dark), xray/PNEUMONIA/*.png (bright), one broken file. */
function makeDataset(): { dir: string; root: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kizuki-e2e-'));
  const root = join(dir, 'xray');
  for (const [cls, level, n] of [['NORMAL', 40, 4], ['PNEUMONIA', 200, 3]] as const) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < n; i++) {
      const data = new Uint8Array(16 * 16).map((_, p) => (level + ((p * (i + 3)) % 30)) & 255);
      writeFileSync(join(root, cls, `img-${i}.png`), encode({ width: 16, height: 16, data, channels: 1, depth: 8 }));
    }
  }
  writeFileSync(join(root, 'NORMAL', 'broken.png'), 'not an image');
  return { dir, root };
}

test('pick a folder for an image set and load it', async ({ editor, page }) => {
  const { dir, root } = makeDataset();
  try {
    await editor.newEmpty();
    await editor.dropFromPalette('image-set', { x: 120, y: 120 });
    await editor.param('source').selectOption('folder');
    await page.getByTestId('folder-input').setInputFiles(root);
    await expect(page.getByTestId('folder-picker')).toContainText('files available');
    await expect(editor.param('path')).toHaveValue('xray');
    await editor.param('size').fill('16');

    await editor.runButton.click();
    await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
    const node = editor.node('image-set-1');
    await expect(node).toHaveAttribute('data-status', 'done');
    await expect(node.getByTestId('preview-images')).toBeVisible();
    await expect(node).toContainText('skipped'); // the broken file is counted, not fatal
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files dropped on the canvas become an image-set node that reads them', async ({ editor, page }) => {
  await editor.newEmpty();
  const png = (level: number) => Array.from(encode({ width: 16, height: 16, data: new Uint8Array(256).fill(level), channels: 1, depth: 8 }));
  const files = [
    { name: 'a.png', bytes: png(30) },
    { name: 'b.png', bytes: png(90) },
    { name: 'c.png', bytes: [1, 2, 3] }, // corrupt: skipped and counted
  ];
  const box = (await editor.canvas.boundingBox())!;
  await page.evaluate(
    ({ files, x, y }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'image/png' }));
      const target = document.querySelector('.react-flow__pane')!;
      for (const type of ['dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, clientX: x, clientY: y }));
      }
    },
    { files, x: box.x + 200, y: box.y + 150 },
  );
  await expect(editor.node('image-set-1')).toBeVisible();
  await expect(editor.notice).toContainText('3 files from "dropped" are available to image-set-1');
  await editor.selectNode('image-set-1');
  await expect(editor.param('source')).toHaveValue('folder');
  await expect(editor.param('path')).toHaveValue('dropped');
  await editor.param('size').fill('16');
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  await expect(editor.node('image-set-1').getByTestId('preview-images')).toBeVisible();
  await expect(editor.node('image-set-1')).toContainText('1 skipped: c.png');
});
