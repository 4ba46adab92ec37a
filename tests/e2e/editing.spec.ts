import { expect, test } from './fixtures';

test('duplicate, copy and paste nodes with their connections; undo a paste', async ({ editor, page }) => {
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(5);
  await expect(editor.edges()).toHaveCount(5);

  await editor.node('residual').locator('.gn-title').click();
  await page.keyboard.press('Control+d');
  await expect(editor.node('residual-max-1')).toBeVisible();
  await expect(nodes).toHaveCount(6);

  // Select ae and residual, copy, paste: two new nodes and the ae.recon → residual.recon connection between them.
  await editor.node('ae').locator('.gn-title').click();
  await editor.node('residual').locator('.gn-title').click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(editor.node('autoencoder-1')).toBeVisible();
  await expect(editor.node('residual-max-2')).toBeVisible();
  await expect(editor.edges()).toHaveCount(6);
  await expect(editor.edge('e-autoencoder-1.recon-residual-max-2.recon')).toHaveCount(1);
  // The copies keep the parameters.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await editor.selectNode('autoencoder-1');
  const epochs = await editor.param('epochs').inputValue();
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue(epochs);

  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(6);
  await expect(editor.node('autoencoder-1')).toHaveCount(0);
});

test('a disabled node is not run and its dependants say why; tidy up lays the graph out without overlaps', async ({ editor, page }) => {
  await editor.selectNode('ae');
  await editor.page.getByTestId('node-disabled').check();
  await expect(editor.node('ae')).toHaveAttribute('data-disabled', 'true');
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
  await expect(editor.node('ae')).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('skipped-ae')).toHaveText('Disabled: not run.');
  await expect(page.getByTestId('skipped-residual')).toHaveText('Skipped because ae is disabled.');
  await expect(page.getByTestId('skipped-roc')).toHaveText('Skipped because ae is disabled.');
  await expect(editor.node('test-data')).toHaveAttribute('data-status', 'done');
  // Saved with the document.
  await expect
    .poll(() => page.evaluate(() => window.localStorage.getItem('kizuki.editor.document') ?? ''))
    .toContain('"disabled":true');

  // Pile two nodes on top of each other, then tidy up.
  const roc = editor.node('roc');
  const from = (await roc.locator('.gn-title').boundingBox())!;
  const to = (await editor.node('train-data').locator('.gn-title').boundingBox())!;
  await page.mouse.move(from.x + 10, from.y + 5);
  await page.mouse.down();
  await page.mouse.move(to.x + 10, to.y + 5, { steps: 8 });
  await page.mouse.up();
  await page.getByTestId('tidy-up').click();
  await page.waitForTimeout(400); // the fit-view animation
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `nodes ${i} and ${j} overlap`).toBe(false);
    }
  }
  // Data flows left to right: the data nodes are left of the AutoEncoder, which is left of the ROC.
  const x = async (id: string) => (await editor.node(id).boundingBox())!.x;
  expect(await x('train-data')).toBeLessThan(await x('ae'));
  expect(await x('ae')).toBeLessThan(await x('residual'));
  expect(await x('residual')).toBeLessThan(await x('roc'));
});
