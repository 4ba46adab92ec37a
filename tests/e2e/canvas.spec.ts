import { expect, test } from './fixtures';

test('drag a node type from the palette onto the canvas', async ({ editor }) => {
  await expect(editor.node('roc-1')).toHaveCount(0);
  await editor.dropFromPalette('roc', { x: 120, y: 420 });
  await expect(editor.node('roc-1')).toBeVisible();
  await expect(editor.node('roc-1')).toContainText('ROC evaluator');
  // The new node is selected and its (empty) parameter form is shown.
  await expect(editor.page.getByTestId('param-form')).toContainText('roc-1');
});

test('click a palette entry to add a node (keyboard-friendly path)', async ({ editor }) => {
  await editor.page.getByTestId('palette-autoencoder').focus();
  await editor.page.keyboard.press('Enter');
  await expect(editor.node('autoencoder-1')).toBeVisible();
});

test('palette search filters by title and description', async ({ editor }) => {
  await editor.page.getByRole('searchbox', { name: 'Search nodes' }).fill('roc');
  await expect(editor.page.getByTestId('palette-roc')).toBeVisible();
  await expect(editor.page.getByTestId('palette-autoencoder')).toHaveCount(0);
});

test('connect two compatible ports by dragging between handles', async ({ editor }) => {
  await editor.newEmpty();
  await editor.dropFromPalette('image-set', { x: 80, y: 120 });
  await editor.dropFromPalette('autoencoder', { x: 460, y: 120 });
  await expect(editor.node('image-set-1')).toBeVisible();
  await expect(editor.node('autoencoder-1')).toBeVisible();

  await editor.connect(['image-set-1', 'images'], ['autoencoder-1', 'train']);
  await expect(editor.edge('e-image-set-1.images-autoencoder-1.train')).toBeAttached();
  await expect(editor.edges()).toHaveCount(1);
});

test('an input takes one connection: a new edge replaces the old one', async ({ editor }) => {
  // In the template, ae.train is fed by train-data; wire test-data into it instead.
  await expect(editor.edge('e-train')).toHaveCount(1);
  await editor.connect(['test-data', 'images'], ['ae', 'train']);
  await expect(editor.edge('e-test-data.images-ae.train')).toBeAttached();
  await expect(editor.edge('e-train')).toHaveCount(0);
});

test('a connection between different port types is refused with a reason', async ({ editor }) => {
  const before = await editor.edges().count();
  await editor.connect(['residual', 'scores'], ['ae', 'train']);
  await expect(editor.notice).toContainText('Cannot connect Scores output to Image set input: types differ');
  await expect(editor.edges()).toHaveCount(before);

  await editor.connect(['roc', 'metrics'], ['ae', 'images']);
  await expect(editor.notice).toContainText('Cannot connect Metrics output to Image set input: types differ');
  await expect(editor.edges()).toHaveCount(before);
});

test('a connection that would close a cycle is refused with a reason', async ({ editor }) => {
  await editor.dropFromPalette('autoencoder', { x: 320, y: 520 });
  await expect(editor.node('autoencoder-1')).toBeVisible();
  await editor.connect(['ae', 'recon'], ['autoencoder-1', 'train']);
  await expect(editor.edge('e-ae.recon-autoencoder-1.train')).toBeAttached();
  const before = await editor.edges().count();

  await editor.connect(['autoencoder-1', 'recon'], ['ae', 'images']);
  await expect(editor.notice).toContainText('would create a cycle');
  await expect(editor.edges()).toHaveCount(before);
});

test('Delete removes the selected node and its edges', async ({ editor }) => {
  await editor.selectNode('roc');
  await editor.node('roc').press('Delete');
  await expect(editor.node('roc')).toHaveCount(0);
  await expect(editor.edge('e-scores')).toHaveCount(0);
});

test('running with an unconnected input explains the problem on the node', async ({ editor }) => {
  await editor.selectNode('roc');
  await editor.node('roc').press('Delete');
  await editor.dropFromPalette('roc', { x: 200, y: 480 });
  await expect(editor.node('roc-1')).toBeVisible();
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'invalid');
  await expect(editor.node('roc-1')).toHaveAttribute('data-status', 'failed');
  await expect(editor.page.getByTestId('error-roc-1')).toContainText('not connected');
  await expect(editor.notice).toContainText('cannot run');
});
