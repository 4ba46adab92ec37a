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
