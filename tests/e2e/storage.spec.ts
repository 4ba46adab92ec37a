/**
 * Server storage in the browser: save → reload → history (diff on the canvas) → restore; a save conflict
 * between two tabs; publishing a template with a locked parameter, opening its link in a fresh browser
 * context, making a copy and editing it; view links are read-only and can be revoked.
 */
import type { Page } from '@playwright/test';
import { type EditorPage, expect, test } from './fixtures';

const status = (page: Page) => page.getByTestId('save-status');

/** Save the canvas on the server for the first time; returns the edit link shown once. */
async function firstSave(page: Page, message: string): Promise<string> {
  await page.getByTestId('save').click();
  await page.getByTestId('save-message').fill(message);
  await page.getByTestId('save-confirm').click();
  const link = await page.getByTestId('edit-link').inputValue();
  expect(link).toMatch(/\?edit=[A-Za-z0-9_-]{43}$/);
  await page.getByTestId('edit-link-done').click();
  await expect(status(page)).toHaveAttribute('data-status', 'saved');
  return link;
}

async function setEpochs(editor: EditorPage, value: string) {
  await editor.selectNode('ae');
  await editor.param('epochs').fill(value);
}

test('save, reload, history with a visual diff, restore', async ({ editor, page }) => {
  await firstSave(page, 'first version');
  await expect(status(page)).toHaveAttribute('data-revision', '1');

  await setEpochs(editor, '3');
  await editor.selectNode('roc');
  await editor.node('roc').press('Delete');
  await expect(editor.node('roc')).toHaveCount(0);
  // Autosave (debounced, 1.5 s) makes revision 2 — or 2 and 3 when the machine is slow enough that the two edits
  // land in separate autosaves; the test reads which and compares with revision 1 explicitly.
  await expect(status(page)).toHaveAttribute('data-revision', /^[23]$/, { timeout: 15_000 });
  await expect(status(page)).toHaveAttribute('data-status', 'saved');
  await page.waitForTimeout(2_000); // a second autosave, if one is coming, has started by now
  await expect(status(page)).toHaveAttribute('data-status', 'saved', { timeout: 15_000 });
  const newest = Number(await status(page).getAttribute('data-revision'));

  await page.reload();
  await expect(editor.node('ae')).toBeVisible();
  await expect(status(page)).toHaveAttribute('data-revision', String(newest));
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('3');

  await page.getByTestId('history').click();
  const history = page.getByTestId('history-panel');
  await expect(history.getByTestId(`history-rev-${newest}`)).toContainText('Autosave');
  await expect(history.getByTestId('history-rev-1')).toContainText('first version');
  // Newest selected, compared with the first version: the AutoEncoder changed, epochs highlighted.
  await history.getByTestId('history-compare').selectOption('1');
  await expect(history.getByTestId('diff-summary')).toContainText('1 changed');
  await expect(history.getByTestId('diff-summary')).toContainText('−1 removed');
  await expect(history.getByTestId('dn-ae')).toHaveAttribute('data-change', 'changed');
  await expect(history.getByTestId('dn-changed-ae-epochs')).toContainText('epochs: 3');
  // The removed node is drawn where it was, ghosted; unchanged nodes are plain.
  await expect(history.getByTestId('dn-roc')).toHaveAttribute('data-change', 'removed');
  await expect(history.getByTestId('dn-roc')).toBeInViewport();
  await expect(history.getByTestId('dn-residual')).toHaveAttribute('data-change', 'same');

  await history.getByTestId('history-rev-1').click();
  await history.getByTestId('history-restore').click();
  await expect(history).toHaveCount(0);
  await expect(status(page)).toHaveAttribute('data-revision', String(newest + 1));
  await expect(editor.node('roc')).toBeVisible();
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('8');
});

test('a conflict resolved with "Reload theirs" shows their version', async ({ editor, page, context }) => {
  const link = await firstSave(page, 'shared');
  const other = await context.newPage();
  await other.goto(link.replace('?edit=', '?backend=cpu&edit='));
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-revision', '1');
  await other.getByTestId('doc-name').fill('Their name');
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-revision', '2', { timeout: 15_000 });

  await page.getByTestId('doc-name').fill('My name');
  await expect(page.getByTestId('conflict-dialog')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('conflict-reload').click();
  await expect(page.getByTestId('conflict-dialog')).toHaveCount(0);
  await expect(page.getByTestId('doc-name')).toHaveValue('Their name');
  await expect(status(page)).toHaveAttribute('data-revision', '2');
  await expect(status(page)).toHaveAttribute('data-status', 'saved');
  await expect(editor.node('ae')).toBeVisible();
});

test('a save on a stale revision asks: reload theirs or keep mine as a copy', async ({ editor, page, context }) => {
  const link = await firstSave(page, 'shared');
  const other = await context.newPage();
  await other.goto(link.replace('?edit=', '?backend=cpu&edit='));
  await expect(other.getByTestId('node-ae')).toBeVisible();
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-revision', '1');
  await other.getByTestId('node-ae').locator('.gn-title').click();
  await other.getByTestId('param-epochs').fill('5');
  await expect(other.getByTestId('save-status')).toHaveAttribute('data-revision', '2', { timeout: 15_000 });

  await setEpochs(editor, '7');
  const dialog = page.getByTestId('conflict-dialog');
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(dialog).toContainText('revision 2');
  await dialog.getByTestId('conflict-keep-copy').click();
  await expect(page.getByTestId('edit-link')).toBeVisible();
  await page.getByTestId('edit-link-done').click();
  await expect(page.getByTestId('doc-name')).toHaveValue(/\(my copy\)$/);
  await expect(status(page)).toHaveAttribute('data-status', 'saved');
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('7');

  // Theirs is untouched, and both pipelines are listed.
  await page.getByTestId('open-pipelines').click();
  await expect(page.getByTestId('pipeline-row')).toHaveCount(2);
});

test('publish a template with a locked parameter; a student copies it in a fresh browser and edits it', async ({ editor, page, browser }) => {
  await firstSave(page, 'for the class');
  await page.getByTestId('publish').click();
  const dlg = page.getByTestId('publish-dialog');
  await dlg.getByTestId('publish-title').fill('Week 3 <i>residuals</i>');
  await dlg.getByTestId('publish-notes').fill('Change <b>codeChannels</b> only.');
  await dlg.getByTestId('lock-ae-epochs').selectOption('locked');
  await dlg.getByTestId('lock-ae-seed').selectOption('hidden');
  await dlg.getByTestId('publish-confirm').click();
  const templateLink = await dlg.getByTestId('template-link').inputValue();
  expect(templateLink).toMatch(/\?template=[A-Za-z0-9_-]{22}$/);

  const student = await browser.newContext();
  try {
    const sp = await student.newPage();
    await sp.goto(templateLink);
    // Names and notes are text, never HTML.
    await expect(sp.getByTestId('view-title')).toHaveText('Week 3 <i>residuals</i>');
    await expect(sp.getByTestId('view-notes')).toHaveText('Change <b>codeChannels</b> only.');
    await expect(sp.locator('.view-notes b')).toHaveCount(0);
    await expect(sp.getByTestId('dn-ae')).toBeVisible();
    await sp.getByTestId('make-copy').click();

    await expect(sp.getByTestId('node-ae')).toBeVisible();
    await expect(sp).not.toHaveURL(/edit=/);
    await expect(sp.getByTestId('save-status')).toHaveAttribute('data-revision', '1');
    await sp.getByTestId('node-ae').locator('.gn-title').click();
    await expect(sp.getByTestId('param-locked-epochs')).toBeVisible();
    await expect(sp.getByTestId('param-epochs')).toBeDisabled();
    await expect(sp.getByTestId('param-seed')).toHaveCount(0);
    await sp.getByTestId('param-codeChannels').fill('8');
    await expect(sp.getByTestId('save-status')).toHaveAttribute('data-revision', '2', { timeout: 15_000 });
    await expect(sp.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  } finally {
    await student.close();
  }
  // The teacher's pipeline is unchanged.
  await expect(status(page)).toHaveAttribute('data-revision', '1');
  await expect(editor.node('ae')).toBeVisible();
});

test('a view link is read-only with "Make my copy", and stops working when revoked', async ({ editor, page, browser }) => {
  await expect(editor.node('ae')).toBeVisible();
  await firstSave(page, 'to share');
  await page.getByTestId('share').click();
  await page.getByTestId('create-view-link').click();
  const viewLink = await page.getByTestId('new-view-link').inputValue();
  expect(viewLink).toMatch(/\?view=[A-Za-z0-9_-]{43}$/);

  const visitor = await browser.newContext();
  try {
    const vp = await visitor.newPage();
    await vp.goto(viewLink);
    await expect(vp.getByTestId('dn-ae')).toBeVisible();
    await expect(vp.getByTestId('make-copy')).toBeEnabled();
    await expect(vp.getByTestId('save')).toHaveCount(0);

    // "Make my copy": the visitor's own pipeline, open in the editor.
    const cp = await visitor.newPage();
    await cp.goto(viewLink);
    await cp.getByTestId('make-copy').click();
    await expect(cp.getByTestId('node-ae')).toBeVisible();
    await expect(cp.getByTestId('doc-name')).toHaveValue(/\(my copy\)$/);
    await expect(cp.getByTestId('save-status')).toHaveAttribute('data-revision', '1');

    await page.getByTestId('revoke-link').click();
    await expect(page.getByTestId('link-row-view')).toContainText('revoked');
    await vp.reload();
    await expect(vp.getByTestId('view-error')).toContainText('not valid or was revoked');
  } finally {
    await visitor.close();
  }
});

test('open, rename, duplicate, delete to the trash and restore', async ({ editor, page }) => {
  await expect(editor.node('ae')).toBeVisible();
  await firstSave(page, 'list me');
  await page.getByTestId('open-pipelines').click();
  const dlg = page.getByTestId('open-dialog');
  await expect(dlg.getByTestId('pipeline-row')).toHaveCount(1);
  await dlg.getByTestId('pipeline-rename').click();
  await dlg.getByTestId('rename-input').fill('Renamed <script>');
  await dlg.getByTestId('rename-ok').click();
  await expect(dlg.getByTestId('pipeline-open')).toContainText('Renamed <script>');
  await expect(page.getByTestId('doc-name')).toHaveValue('Renamed <script>');

  await dlg.getByTestId('pipeline-duplicate').click();
  await expect(dlg.getByTestId('pipeline-row')).toHaveCount(2);
  await dlg.getByTestId('pipeline-row').filter({ hasText: '(copy)' }).getByTestId('pipeline-delete').click();
  await expect(dlg.getByTestId('pipeline-row')).toHaveCount(1);
  await expect(dlg.getByTestId('trash-row')).toHaveCount(1);
  await dlg.getByTestId('trash-restore').click();
  await expect(dlg.getByTestId('pipeline-row')).toHaveCount(2);
  await expect(dlg.getByTestId('trash-row')).toHaveCount(0);
});

test('the local draft (IndexedDB) survives a reload, also when not saved on the server', async ({ editor, page }) => {
  await page.getByTestId('doc-name').fill('Draft only');
  await editor.selectNode('ae');
  await editor.param('epochs').fill('11');
  await expect.poll(() => editor.savedDraft()).toContain('"epochs":11');
  await page.reload();
  await expect(editor.node('ae')).toBeVisible();
  await expect(page.getByTestId('doc-name')).toHaveValue('Draft only');
  await expect(status(page)).toHaveAttribute('data-status', 'local');
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('11');
});

test('New detaches from the saved pipeline: the server copy is not overwritten, and a reload stays local', async ({ editor, page }) => {
  await firstSave(page, 'keep me');
  await editor.newEmpty();
  await expect(status(page)).toHaveAttribute('data-status', 'local');
  await expect.poll(() => editor.savedDraft()).toContain('"nodes":[]');
  await page.reload();
  await expect(editor.canvas).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(status(page)).toHaveAttribute('data-status', 'local');

  await page.getByTestId('open-pipelines').click();
  const row = page.getByTestId('pipeline-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('rev 1');
  await row.getByTestId('pipeline-open').click();
  await expect(editor.node('ae')).toBeVisible();
  await expect(status(page)).toHaveAttribute('data-revision', '1');
  // An opened pipeline starts its own undo history: undo cannot bring the empty document into it.
  await expect(page.getByTestId('undo')).toBeDisabled();
});
