import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import {
  allyPally,
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logIn,
} from '../support/portal';

// Mr Peter Wright's one care package at Ally Pally: no other test raises an action on it.
const client = 'Wright, Peter';
const quoted =
  'Re: Care Package Line Item for Mr Peter Wright. Homecare Flexible - Bradford - Single-handed (Hour) ' +
  'from Ally Pally Home Care, Starts 12/07/2021.';
// A title no other run shares, so a second run against the same database finds its own.
const title = `Thread test ${Date.now().toString(36)}: Mr Peter Wright's visits`;

function errorSummary(page: Page) {
  return page.locator('.govuk-error-summary');
}

function banner(page: Page) {
  return page.locator('.govuk-notification-banner--success');
}

function thread(page: Page) {
  return page.locator('.app-action-thread');
}

/** dd/mm/yyyy, `days` from today. */
function daysFromToday(days: number): string {
  const day = new Date(Date.now() + days * 86_400_000);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(day.getUTCDate())}/${two(day.getUTCMonth() + 1)}/${day.getUTCFullYear()}`;
}

/** Opens this run's action from the list, whatever else the list holds. */
async function openTheAction(page: Page): Promise<void> {
  await page.goto('/actions');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Actions and Change Requests');
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page).toHaveURL(/\/actions\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

test('a provider and the council talk an action through to its close', async ({ browser }) => {
  // axe-core needs pages of contexts made with browser.newContext().
  const provider = await (await browser.newContext()).newPage();
  const council = await (await browser.newContext()).newPage();
  const newDue = daysFromToday(30);

  await test.step('the provider submits an action from a care package line item', async () => {
    await logIn(provider, allyPally);
    await provider.goto('/cplis');
    const row = provider.getByRole('table', { name: 'Care package line items' }).locator('tbody tr').filter({
      hasText: client,
    });
    await row.getByRole('link').first().click();
    await expect(provider).toHaveURL(/\/cplis\/\d+$/);
    await provider.getByRole('link', { name: 'Submit Action' }).click();

    await expect(provider).toHaveURL(/\/actions\/new\?/);
    const selected = (label: string) => provider.getByLabel(label, { exact: true }).locator('option:checked');
    await expect(selected('Type')).toHaveText('CPLI Amendment');
    await expect(selected('Related To')).toHaveText('Client');
    await expect(selected('Entity')).toHaveText('Mr Peter Wright (e0946000)');
    await expect(provider.getByLabel('Text', { exact: true })).toHaveValue(quoted);
    await provider.getByLabel('Title', { exact: true }).fill(title);
    await provider.getByRole('button', { name: 'Create Action' }).click();

    await expect(provider).toHaveURL(/\/actions\/\d+$/);
    await expect(provider.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(thread(provider)).toContainText(quoted);
    // The provider's buttons; the reply goes to the team the action is with.
    // The form's buttons (the file input is a button to assistive technology too).
    const respond = provider.locator('.app-action-respond .govuk-button-group');
    await expect(respond.getByRole('button')).toHaveText(['Comment', 'Reply', 'Request Closure']);
    await expect(provider.getByLabel('Reply to', { exact: true }).locator('option:checked')).toHaveText(
      'LA (Brokerage Team)',
    );
    await expect(provider.getByRole('group', { name: /New due date/ })).toHaveCount(0);
    await expectNoSeriousAccessibilityViolations(provider);
  });

  await test.step('council staff reply to the provider with a new due date', async () => {
    await logIn(council, bradfordCouncil);
    await openTheAction(council);
    const respond = council.locator('.app-action-respond .govuk-button-group');
    await expect(respond.getByRole('button')).toHaveText(['Comment', 'Reply', 'Close']);
    await expect(council.getByLabel('Reply to', { exact: true }).locator('option:checked')).toHaveText('Provider');

    // Nothing typed: the summary says so and links to the box.
    await council.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect(errorSummary(council)).toBeFocused();
    await expect(errorSummary(council).getByRole('link')).toHaveText(['Enter the text of your post']);

    await council.getByLabel('Text', { exact: true }).fill('Please confirm the new visit times with the family.');
    await fillDate(council, 'New due date (optional)', newDue);
    await council.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect(banner(council)).toContainText('Your reply has been sent. The action is assigned to Provider.');
    await expect(errorSummary(council)).toHaveCount(0);
    const post = thread(council).locator('li').last();
    await expect(post).toContainText('Trevor Bland');
    await expect(post).toContainText('Please confirm the new visit times with the family.');
    await expect(post).toContainText('Assigned to Provider');
    await expect(post).toContainText(`Due Date set to ${newDue}`);
    await expect(post.getByRole('heading')).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} /);
    await expectNoSeriousAccessibilityViolations(council);
    await council.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'action-thread.png'), fullPage: true });
  });

  await test.step('a post from a stale page is refused with the reason', async () => {
    // The provider's page still holds the version before the council's reply.
    await provider.getByLabel('Text', { exact: true }).fill('Checking in.');
    await provider.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect(errorSummary(provider)).toContainText('changed by someone else');
  });

  await test.step('the provider sees the action waiting for them', async () => {
    await provider.goto('/');
    const notice = provider.locator('.app-actions-notice');
    await expect(notice).toContainText(/Actions: \d+ open \(\d+ overdue\)/);
    await expect(notice.locator('.govuk-tag--yellow')).toHaveText(/^\d+ open$/);
    await notice.getByRole('link', { name: 'Actions' }).click();
    await expect(provider).toHaveURL(/\/actions$/);

    await provider.getByLabel('Assigned To', { exact: true }).selectOption({ label: 'Provider' });
    await provider.getByRole('button', { name: 'View Actions' }).click();
    await expect(provider).toHaveURL(/assigned_to=provider/);
    const row = provider.getByRole('row').filter({ hasText: title });
    await expect(row).toHaveCount(1);
    const headings = await provider.getByRole('columnheader').allTextContents();
    const cells = await row.getByRole('cell').allTextContents();
    const cell = (heading: string) => cells[headings.indexOf(heading)].trim();
    expect(headings).toEqual(['Status', 'Last Post Date', 'Title', 'Re.', 'Due', 'Type', 'Assigned To']);
    expect(cell('Assigned To')).toBe('Provider');
    expect(cell('Due')).toBe(newDue);
    expect(cell('Re.')).toBe('Mr Peter Wright (Client)');
    expect(cell('Type')).toBe('CPLI Amendment');
    // Every row shown is the provider's to answer.
    await expect(
      provider.locator('tbody tr').filter({ hasNotText: /Provider\s*$/ }),
    ).toHaveCount(0);
    await expectNoSeriousAccessibilityViolations(provider);
  });

  await test.step('the provider replies to the team, then requests closure', async () => {
    await provider.getByRole('link', { name: title, exact: true }).click();
    await expect(provider.getByRole('heading', { level: 1 })).toHaveText(title);
    const replyTo = provider.getByLabel('Reply to', { exact: true });
    // With the provider, a reply needs a team chosen.
    await expect(replyTo.locator('option:checked')).toHaveText('Please select');
    await provider.getByLabel('Text', { exact: true }).fill('Visit times agreed: Monday and Thursday mornings.');
    await provider.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect(errorSummary(provider).getByRole('link')).toHaveText(['Choose the council team to send this to']);

    await replyTo.selectOption({ label: 'LA (Brokerage Team)' });
    await provider.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect(banner(provider)).toContainText('The action is assigned to LA (Brokerage Team).');
    await expect(thread(provider).locator('li').last()).toContainText('Assigned to LA (Brokerage Team)');

    await provider.getByLabel('Text', { exact: true }).fill('All done from our side, thank you.');
    // A PNG named as a PDF is refused in the browser, naming the file, and nothing is posted.
    const files = provider.getByLabel('Attach files (optional)', { exact: true });
    await files.setInputFiles({
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    });
    await provider.getByRole('button', { name: 'Request Closure' }).click();
    await expect(errorSummary(provider).getByRole('link')).toHaveText([
      'scan.pdf: The file is not a PDF: its content does not match its type',
    ]);
    // A real PDF goes with the post, listed under it with its size, author and day.
    await files.setInputFiles({
      name: 'closure-note.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% visit times agreed\n%%EOF\n'),
    });
    await provider.getByRole('button', { name: 'Request Closure' }).click();
    await expect(banner(provider)).toContainText('Closure has been requested.');
    const attached = thread(provider).locator('li').last().locator('.app-attachment');
    await expect(attached).toHaveCount(1);
    await expect(attached).toContainText('closure-note.pdf');
    await expect(attached).toContainText(/PDF, \d+ bytes, uploaded by .+ on \d\d\/\d\d\/\d{4}/);
    const download = provider.waitForEvent('download');
    await attached.getByRole('link', { name: 'closure-note.pdf' }).click();
    expect((await download).suggestedFilename()).toBe('closure-note.pdf');
    await expect(provider.locator('.govuk-summary-list')).toContainText('LA (Brokerage Team)');
    await expect(provider.locator('.app-action-status .govuk-tag').first()).toHaveText('Closure requested');
    await expect(thread(provider).locator('li').last()).toContainText('Requested closure');
    await expectNoSeriousAccessibilityViolations(provider);
  });

  await test.step('council staff close it, and no more can be posted', async () => {
    await openTheAction(council);
    await council.getByLabel('Text', { exact: true }).fill('Care package updated. Closing.');
    await council.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(banner(council)).toContainText('The action has been closed.');
    await expect(council.locator('.app-action-status .govuk-tag').first()).toHaveText('Closed');
    await expect(thread(council).locator('li').last()).toContainText('Closed the action');
    await expect(council.locator('.app-action-respond')).toHaveCount(0);
    await expect(council.getByLabel('Text', { exact: true })).toHaveCount(0);
    await expect(council.getByText('This action is closed: nothing more can be posted to it.')).toBeVisible();
    await expectNoSeriousAccessibilityViolations(council);

    // Closed actions leave the open list, and show with Open Actions Only unticked.
    await council.goto('/actions');
    await expect(council.getByRole('link', { name: title, exact: true })).toHaveCount(0);
    await council.getByLabel('Open Actions Only').uncheck();
    await council.getByRole('button', { name: 'View Actions' }).click();
    await expect(council.getByRole('row').filter({ hasText: title })).toContainText('Closed');
  });

  await test.step('the provider finds it closed, with no form', async () => {
    await provider.reload();
    await expect(provider.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(provider.locator('.app-action-respond')).toHaveCount(0);
    await expect(provider.getByRole('button', { name: 'Request Closure' })).toHaveCount(0);
  });
});
