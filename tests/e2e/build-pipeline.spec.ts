/**
 * The lecture's first program built the way a student would: from an empty canvas, five nodes dragged from the
 * palette, wired port to port, parameters set in the form, run to an AUROC. A second test builds the same graph
 * without a pointer (palette by keyboard, the Connections fields, Ctrl+K to find a node).
 */
import { type EditorPage, expect, test } from './fixtures';

/** Small enough for the cpu backend on 2 shared cores; the structure is the lecture's. */
async function setSmallParams(editor: EditorPage, select = (id: string) => editor.selectNode(id)) {
  await select('image-set-1');
  await editor.param('include').selectOption('normal');
  await editor.param('normals').fill('16');
  await editor.param('anomalies').fill('0');
  await editor.param('size').fill('32');
  await select('image-set-2');
  await editor.param('normals').fill('8');
  await editor.param('anomalies').fill('8');
  await editor.param('size').fill('32');
  await editor.param('seed').fill('2');
  await select('autoencoder-1');
  await editor.param('epochs').fill('2');
  await editor.param('batchSize').fill('8');
}

async function runToAuc(editor: EditorPage) {
  await editor.runButton.click();
  await expect(editor.node('roc-1')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  for (const id of ['image-set-1', 'image-set-2', 'autoencoder-1', 'residual-max-1']) {
    await expect(editor.node(id)).toHaveAttribute('data-status', /done|cached/);
  }
  const auc = editor.node('roc-1').getByTestId('auc');
  await expect(auc).toContainText(/AUC \d\.\d{3}/);
  const value = Number(await auc.getAttribute('data-value'));
  expect(value).toBeGreaterThanOrEqual(0);
  expect(value).toBeLessThanOrEqual(1);
  // The residual-max node previews its difference images, the AutoEncoder its loss curve.
  await expect(editor.node('autoencoder-1').getByTestId('preview-loss')).toBeVisible();
}

const wiring: [[string, string], [string, string]][] = [
  [['image-set-1', 'images'], ['autoencoder-1', 'train']],
  [['image-set-2', 'images'], ['autoencoder-1', 'images']],
  [['image-set-2', 'images'], ['residual-max-1', 'images']],
  [['autoencoder-1', 'recon'], ['residual-max-1', 'recon']],
  [['residual-max-1', 'scores'], ['roc-1', 'scores']],
];

test('build the lecture AutoEncoder → residual max → ROC pipeline from an empty canvas by drag and drop', async ({ editor, page }) => {
  test.setTimeout(360_000);
  await editor.newEmpty();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();

  // Out of the way: the notice, and two zoom steps so that every node fits beside the parameter panel, staggered so
  // that no node covers another's ports.
  await editor.notice.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  const drops: [string, { x: number; y: number }][] = [
    ['image-set', { x: 30, y: 30 }],
    ['image-set', { x: 30, y: 300 }],
    ['autoencoder', { x: 250, y: 30 }],
    ['residual-max', { x: 470, y: 250 }],
    ['roc', { x: 590, y: 420 }],
  ];
  for (const [type, at] of drops) await editor.dropFromPalette(type, at);
  for (const id of ['image-set-1', 'image-set-2', 'autoencoder-1', 'residual-max-1', 'roc-1']) await expect(editor.node(id)).toBeVisible();

  for (const [from, to] of wiring) await editor.connect(from, to);
  await expect(editor.edges()).toHaveCount(5);
  for (const [[s, sp], [t, tp]] of wiring) await expect(editor.edge(`e-${s}.${sp}-${t}.${tp}`)).toBeAttached();

  await setSmallParams(editor);
  await runToAuc(editor);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/built-from-empty.png' });
});

/** Ctrl+K, the node's id, Enter: the keyboard way to select a node (and focus it on the canvas). */
async function findAndSelect(editor: EditorPage, id: string) {
  const page = editor.page;
  await page.keyboard.press('Control+k');
  const input = page.getByTestId('node-search-input');
  await expect(input).toBeFocused();
  await input.fill(id);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-search')).toHaveCount(0);
  await expect(page.getByTestId('param-form')).toContainText(id);
  await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toBeFocused();
}

test('without a mouse: palette by keyboard, ports wired in the Connections fields, Ctrl+K finds a node', async ({ editor, page }) => {
  test.setTimeout(360_000);
  await editor.newEmpty();
  for (const type of ['image-set', 'image-set', 'autoencoder', 'residual-max', 'roc']) {
    await page.getByTestId(`palette-${type}`).focus();
    await page.keyboard.press('Enter');
  }
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  // Find by words of the title: "residual" lists the residual-max node only.
  await page.keyboard.press('Control+k');
  await page.getByTestId('node-search-input').fill('residual');
  await expect(page.getByTestId('find-residual-max-1')).toBeVisible();
  await expect(page.getByTestId('find-roc-1')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('node-search')).toHaveCount(0);

  // An unconnected required input is marked; the select lists only outputs of a matching type.
  await findAndSelect(editor, 'roc-1');
  const scores = page.getByTestId('connect-scores');
  await expect(scores).toHaveAttribute('aria-invalid', 'true');
  const offered = await scores.locator('option').allTextContents();
  expect(offered.some((o) => o.includes('residual-max-1'))).toBe(true);
  expect(offered.some((o) => o.includes('image-set-1'))).toBe(false);

  for (const [[source, sourcePort], [target, targetPort]] of wiring) {
    await findAndSelect(editor, target);
    await page.getByTestId(`connect-${targetPort}`).selectOption(`${source}\t${sourcePort}`);
  }
  await expect(editor.edges()).toHaveCount(5);
  await findAndSelect(editor, 'roc-1');
  await expect(scores).toHaveAttribute('aria-invalid', 'false');
  // The output side lists where each output goes.
  await findAndSelect(editor, 'image-set-2');
  await expect(page.getByTestId('connections-out')).toContainText('autoencoder-1');
  await expect(page.getByTestId('connections-out')).toContainText('residual-max-1');
  if (process.env.SCREENSHOTS) {
    await findAndSelect(editor, 'residual-max-1');
    await page.screenshot({ path: 'docs/screenshots/connections-panel.png' });
    await page.keyboard.press('Control+k');
    await page.getByTestId('node-search-input').fill('image');
    await page.screenshot({ path: 'docs/screenshots/find-node.png' });
    await page.keyboard.press('Escape');
  }

  // A cycle is never offered: the AutoEncoder's inputs do not list the residual-max or ROC outputs.
  await findAndSelect(editor, 'autoencoder-1');
  const trainOptions = await page.getByTestId('connect-train').locator('option').allTextContents();
  expect(trainOptions.some((o) => o.includes('residual-max-1') || o.includes('roc-1'))).toBe(false);

  // Disconnect with the keyboard too; with the node focused again, Ctrl+Z brings the connection back.
  await findAndSelect(editor, 'roc-1');
  await scores.selectOption('');
  await expect(editor.edges()).toHaveCount(4);
  await findAndSelect(editor, 'roc-1');
  await page.keyboard.press('Control+z');
  await expect(editor.edges()).toHaveCount(5);

  await setSmallParams(editor, (id) => findAndSelect(editor, id));
  // Ctrl+Enter runs from inside a parameter field too.
  await editor.param('batchSize').focus();
  await page.keyboard.press('Control+Enter');
  await expect(editor.node('roc-1')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  await expect(editor.node('roc-1').getByTestId('auc')).toContainText(/AUC \d\.\d{3}/);
});
