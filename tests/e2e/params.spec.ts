import { expect, test } from './fixtures';

test('an edited parameter survives a reload', async ({ editor, page }) => {
  await editor.selectNode('ae');
  await editor.param('epochs').fill('3');
  await editor.param('channels').fill('4,8');
  await expect(editor.paramError('epochs')).toHaveCount(0);
  // Autosave is debounced; wait until it has written the new value.
  await expect.poll(() => editor.savedDraft()).toContain('"epochs":3');

  await page.reload();
  await expect(editor.node('ae')).toBeVisible();
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('3');
  await expect(editor.param('channels')).toHaveValue('4,8');
});

test('an invalid parameter shows an inline error and blocks Run', async ({ editor }) => {
  await editor.selectNode('ae');
  await editor.param('epochs').fill('0');
  await expect(editor.param('epochs')).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.paramError('epochs')).toBeVisible();
  await expect(editor.paramError('epochs')).toContainText(/>=\s*1|at least|too small/i);
  await expect(editor.node('ae')).toContainText('Invalid parameters');

  await editor.param('channels').fill('8,x');
  await expect(editor.paramError('channels')).toBeVisible();

  await editor.runButton.click();
  await expect(editor.notice).toContainText('Cannot run: fix the parameters of ae first.');
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'idle');

  await editor.param('epochs').fill('2');
  await editor.param('channels').fill('8,16');
  await expect(editor.page.getByTestId('params-invalid')).toHaveCount(0);
});

test('enum params are selects and booleans are checkboxes', async ({ editor }) => {
  await editor.selectNode('test-data');
  await expect(editor.param('include')).toHaveValue('all');
  await editor.param('source').selectOption('folder');
  await expect(editor.page.getByRole('button', { name: /Choose folder/ }).or(editor.page.getByText('Choose folder…'))).toBeVisible();
  await expect(editor.param('grayscale')).toBeChecked();
});

test('undo and redo a parameter edit, a new node and a deletion (buttons and keyboard)', async ({ editor, page }) => {
  await editor.selectNode('ae');
  await expect(editor.page.getByTestId('undo')).toBeDisabled();
  await editor.param('epochs').fill('7');
  await editor.param('epochs').blur();
  await expect(editor.page.getByTestId('undo')).toBeEnabled();

  await editor.page.getByTestId('undo').click();
  await expect(editor.param('epochs')).not.toHaveValue('7');
  const original = await editor.param('epochs').inputValue();
  await expect(editor.page.getByTestId('redo')).toBeEnabled();
  await editor.page.getByTestId('redo').click();
  await expect(editor.param('epochs')).toHaveValue('7');

  // Keyboard, with the focus outside text fields: delete the node, undo brings it back with its edited params.
  await editor.node('ae').click();
  await page.keyboard.press('Delete');
  await expect(editor.node('ae')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(editor.node('ae')).toBeVisible();
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('7');
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue(original);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Shift+z');
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('7');

  // The shortcut list opens with "?" and closes with Escape.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Undo the last edit');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});
