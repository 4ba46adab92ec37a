/**
 * Keyboard and screen-reader basics: add a node from the palette with Enter, select a canvas node with the
 * keyboard (its parameters open), visible focus rings, and labelled controls (React Flow's via ariaLabelConfig).
 */
import { expect, test } from './fixtures';

test('keyboard: add a node, select a node, see where the focus is', async ({ editor, page }) => {
  // A key press first, so that programmatic focus counts as keyboard focus (:focus-visible).
  await page.keyboard.press('Shift');
  const item = page.getByTestId('palette-roc');
  await item.focus();
  await expect(item).toHaveCSS('outline-style', 'solid');
  await page.keyboard.press('Enter');
  await expect(editor.node('roc-1')).toBeVisible();

  const node = page.locator('.react-flow__node[data-id="ae"]');
  await node.focus();
  await expect(node).toBeFocused();
  await expect(node).toHaveCSS('outline-style', 'solid');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('param-form')).toBeVisible();
  await expect(page.getByTestId('param-form')).toHaveAttribute('aria-label', 'Parameters of ae');

  // Every parameter input has a label and its help is linked.
  await expect(page.getByLabel('epochs')).toBeVisible();
  await expect(editor.param('epochs')).toHaveAttribute('aria-describedby', 'param-epochs-help');
});

test('canvas controls and regions are labelled, in the UI language', async ({ editor, page }) => {
  await expect(editor.canvas).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zoom In' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Pipeline canvas' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Node palette' })).toBeVisible();
  await page.getByTestId('lang-ja').click();
  await expect(page.getByRole('button', { name: '拡大' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'パイプラインのキャンバス' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'ノードパレット' })).toBeVisible();
});
