import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

const fixture = (name: string) => fileURLToPath(new URL(`./pipelines/${name}`, import.meta.url));

test('the threshold explorer links histogram, ROC, confusion matrix and the misclassified images', async ({ editor, page }) => {
  await page.getByTestId('import-input').setInputFiles(fixture('quick-threshold.json'));
  await page.getByTestId('confirm-replace').click();
  await expect(editor.node('threshold')).toBeVisible();
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });

  await editor.node('threshold').getByTestId('explore-threshold').click();
  const view = page.getByTestId('eval-view');
  await expect(view).toBeVisible();
  const count = async (id: string) => Number(await view.getByTestId(id).textContent());
  // It opens at the node's own threshold (95th percentile of the 16 normal scores ⇒ 1 false alarm at most).
  expect((await count('eval-tp')) + (await count('eval-fn'))).toBe(16);
  expect((await count('eval-fp')) + (await count('eval-tn'))).toBe(16);
  expect(await count('eval-fp')).toBeLessThanOrEqual(1);

  if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/threshold-explorer.png' });

  // Drag the threshold line to the left end: every image is flagged.
  const hist = view.getByTestId('eval-hist');
  const box = (await hist.boundingBox())!;
  const lineX = Number(await view.getByTestId('eval-line').getAttribute('x1'));
  await page.mouse.move(box.x + (lineX / 460) * box.width, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 2, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect(view.getByTestId('eval-tp')).toHaveText('16');
  await expect(view.getByTestId('eval-fp')).toHaveText('16');
  await expect(view.getByTestId('eval-sensitivity')).toHaveText('100.0 %');
  await expect(view.getByTestId('eval-specificity')).toHaveText('0.0 %');
  await expect(view.getByTestId('eval-fp-list')).toHaveAttribute('data-count', '16');
  await expect(view.getByTestId('eval-fn-list')).toContainText('none');

  // The ROC point follows: at "flag everything" it sits in the top-right corner.
  const point = view.getByTestId('eval-point');
  const [cx, cy] = [Number(await point.getAttribute('cx')), Number(await point.getAttribute('cy'))];
  expect(cx).toBeGreaterThan(150);
  expect(cy).toBeLessThan(20);

  // Click the ROC's bottom-left corner: nothing flagged.
  const roc = (await view.getByTestId('eval-roc').boundingBox())!;
  await page.mouse.click(roc.x + (28 / 190) * roc.width, roc.y + (162 / 190) * roc.height);
  await expect(view.getByTestId('eval-tp')).toHaveText('0');
  await expect(view.getByTestId('eval-fp')).toHaveText('0');
  await expect(view.getByTestId('eval-fn-list')).toHaveAttribute('data-count', '16');

  // Type a threshold, then make it the node's: method fixed with that value, undoable.
  await view.getByTestId('eval-threshold').fill('2.5');
  const [tp, fp] = [await count('eval-tp'), await count('eval-fp')];
  await view.getByTestId('eval-apply').click();
  await expect(view).toHaveCount(0);
  await editor.selectNode('threshold');
  await expect(editor.param('method')).toHaveValue('fixed');
  await expect(editor.param('value')).toHaveValue('2.5');
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  // The node, run again, reports the same confusion matrix the explorer showed for 2.5.
  await expect(editor.node('threshold')).toContainText('threshold 2.500 (fixed)');
  await expect(editor.node('threshold')).toContainText(new RegExp(`TP ${tp}\\s+FN ${16 - tp}\\s+\\|\\s+FP ${fp}\\s+TN ${16 - fp}`));

  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await editor.selectNode('threshold');
  await expect(editor.param('method')).toHaveValue('percentile-normal');
});

test('the image inspector ranks a scorer\'s images by score, pages, reorders and filters', async ({ editor, page }) => {
  await page.getByTestId('import-input').setInputFiles(fixture('quick-threshold.json'));
  await page.getByTestId('confirm-replace').click();
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });

  await page.getByTestId('inspect-distance').click();
  const inspector = page.getByTestId('inspector');
  const rows = inspector.getByTestId('inspector-row');
  await expect(rows).toHaveCount(12);
  await expect(inspector.getByTestId('inspector-count')).toHaveText('12 of 32');
  const scores = async () => (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score')))));
  const desc = await scores();
  expect([...desc].sort((a, b) => b - a)).toEqual(desc);
  // Each row shows the test image found upstream as a thumbnail.
  await expect(rows.first().locator('canvas')).toHaveCount(1);

  await inspector.getByTestId('inspector-more').click();
  await expect(rows).toHaveCount(24);
  await inspector.getByTestId('inspector-order').selectOption('asc');
  await expect(rows).toHaveCount(12);
  const asc = await scores();
  expect([...asc].sort((a, b) => a - b)).toEqual(asc);
  expect(asc[0]).toBeLessThanOrEqual(desc.at(-1)!);
  await inspector.getByTestId('inspector-filter').selectOption('anomalous');
  await expect(inspector.getByTestId('inspector-count')).toHaveText('12 of 16');
  expect(await rows.evaluateAll((els) => els.every((e) => e.getAttribute('data-label') === '1'))).toBe(true);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/inspector.png' });
  await page.keyboard.press('Escape');
  await expect(inspector).toHaveCount(0);
});

test('two runs side by side: AUROC of each, the change, overlaid ROC curves and what differed', async ({ editor, page }) => {
  await page.getByTestId('import-input').setInputFiles(fixture('quick-threshold.json'));
  await page.getByTestId('confirm-replace').click();
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });

  // Mahalanobis instead of Euclidean distance to the normal features.
  await editor.selectNode('distance');
  await editor.param('metric').selectOption('mahalanobis');
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });

  await page.getByTestId('compare-runs-open').click();
  const dialog = page.getByTestId('compare-runs');
  await expect(dialog.getByTestId('compare-threshold')).toBeVisible();
  const a = Number(await dialog.getByTestId('compare-threshold-a').textContent());
  const b = Number(await dialog.getByTestId('compare-threshold-b').textContent());
  expect(a).toBeGreaterThan(0);
  expect(b).toBeGreaterThan(0);
  expect(a).toBeCloseTo(0.789, 3); // run A: the Euclidean distance's AUROC (also printed by the CLI for this file)
  await expect(dialog.getByTestId('compare-threshold-delta')).toHaveText(`${b - a >= 0 ? '+' : ''}${(b - a).toFixed(3)}`);
  await expect(dialog.getByTestId('compare-changes')).toContainText('distance.metric: "euclidean" → "mahalanobis"');
  await expect(dialog.locator('.compare-roc polyline')).toHaveCount(2);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/compare-runs.png' });
});
