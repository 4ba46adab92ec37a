/**
 * PaDiM's heatmaps over the X-rays, with one opacity slider that re-blends every heatmap thumbnail on the page
 * (node preview and inspector) without another run.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Mean |R − G| + |G − B| of a canvas: 0 for a grey image, larger the more heat colour shows. */
async function colourfulness(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).locator('canvas.thumb').first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += Math.abs(d[i]! - d[i + 1]!) + Math.abs(d[i + 1]! - d[i + 2]!);
    return sum / (d.length / 4);
  });
}

test('PaDiM heatmaps over the X-ray: the opacity slider re-blends the thumbnails', async ({ editor, page }) => {
  test.setTimeout(300_000);
  await editor.openTemplate('phantom-padim-ae');
  await editor.selectNode('train-data');
  await editor.param('normals').fill('16');
  await editor.param('size').fill('32');
  await editor.selectNode('test-data');
  await editor.param('normals').fill('6');
  await editor.param('anomalies').fill('6');
  await editor.param('size').fill('32');
  await editor.selectNode('ae');
  await editor.param('epochs').fill('1');
  await editor.runButton.click();
  await expect(editor.node('padim')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });

  const padim = editor.node('padim');
  const slider = padim.getByTestId('heat-opacity');
  await expect(slider).toHaveValue('75');
  const at75 = await colourfulness(page, 'node-padim');
  expect(at75).toBeGreaterThan(0);

  await slider.fill('0');
  await expect(padim.locator('canvas.thumb').first()).toHaveAttribute('data-opacity', '0');
  expect(await colourfulness(page, 'node-padim')).toBe(0); // the plain X-ray

  await slider.fill('100');
  await expect(padim.locator('canvas.thumb').first()).toHaveAttribute('data-opacity', '1');
  expect(await colourfulness(page, 'node-padim')).toBeGreaterThan(at75);

  // The inspector shows each image's heatmap with the same slider: one opacity for the whole page.
  // A click on a heatmap thumbnail opens the inspector.
  await padim.getByTestId('thumb-inspect').first().click();
  const inspector = page.getByRole('dialog');
  const shared = inspector.getByTestId('heat-opacity');
  await expect(shared).toHaveValue('100');
  const heatPanels = inspector.locator('canvas.inspector-thumb[data-opacity]');
  await expect(heatPanels.first()).toBeVisible();
  await shared.fill('40');
  await expect(heatPanels.first()).toHaveAttribute('data-opacity', '0.4');
  await expect(padim.locator('canvas.thumb').first()).toHaveAttribute('data-opacity', '0.4');
  if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/padim-heatmaps.png' });
});
