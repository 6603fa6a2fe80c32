// Contract documents (DOMAIN 11): council staff publish a PDF for Ally Pally's home care; a
// contact of Ally Pally finds it on the home page and in the list, downloads it, is refused
// with a wrong password and without a reason to reject, then agrees with the right password
// and sees the signature with the document's SHA-256; council staff then terminate it, and
// it stays listed as Terminated. axe on each screen.
//
// The signer is a contact made for this test, so the wrong password counts towards no demo
// login's lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { newAllyPallyContact } from '../support/authenticator';
import {
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logIn,
  mainNavigation,
} from '../support/portal';

const documentPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);
const sha256 = crypto.createHash('sha256').update(documentPdf).digest('hex');

function summaryValue(page: Page, key: string) {
  return page
    .locator('.govuk-summary-list__row')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${key}$`) }) })
    .locator('dd');
}

function errorSummary(page: Page) {
  return page.locator('.govuk-error-summary');
}

test('council staff publish a contract document and the provider signs it with their password', async ({
  browser,
  request,
}) => {
  // Its own title, so a second run against the same database finds its own document.
  const title = `Home care contract 2022/2023 (${Date.now().toString(36)})`;
  const signer = await newAllyPallyContact(request, 'Casey Signer');

  const councilContext = await browser.newContext();
  const council = await councilContext.newPage();
  let documentUrl = '';

  await test.step('council staff open Contract documents from the navigation', async () => {
    await logIn(council, bradfordCouncil);
    await mainNavigation(council).getByRole('link', { name: 'Contract documents', exact: true }).click();
    await expect(council).toHaveURL(/\/contract-documents$/);
    await expect(council.getByRole('heading', { level: 1 })).toHaveText('Contract documents');
    await expect(mainNavigation(council).getByRole('link', { name: 'Contract documents' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expectNoSeriousAccessibilityViolations(council);
  });

  await test.step('an empty form names every missing field, as the API refuses it', async () => {
    await council.getByRole('button', { name: 'Publish contract document' }).click();
    await expect(council).toHaveURL(/\/contract-documents\/new$/);
    await expect(council.getByRole('heading', { level: 1 })).toHaveText('Publish contract document');
    await council.getByRole('button', { name: 'Publish document' }).click();
    const summary = errorSummary(council);
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Choose the service',
      'Enter the type of document',
      /^Enter a title/,
      'Enter the date the document applies from',
      "Select the document's PDF file",
    ]);
    await expect(summary.getByRole('link', { name: 'Enter the date the document applies from' })).toHaveAttribute(
      'href',
      '#starts-on-day',
    );
    await expect(council).toHaveTitle(/^Error: Publish contract document/);
    await expectNoSeriousAccessibilityViolations(council);
  });

  await test.step('council staff publish the PDF for Ally Pally Home Care', async () => {
    await council.getByLabel('Service', { exact: true }).selectOption({ label: 'Ally Pally Home Care (Ally Pally Ltd)' });
    await council.getByLabel('Type of document', { exact: true }).fill('Provider Contract');
    await council.getByLabel('Title', { exact: true }).fill(title);
    await fillDate(council, 'Applies from', '01/04/2022');
    await fillDate(council, 'Applies to (optional)', '31/03/2023');
    await council.getByLabel('Document (PDF)').setInputFiles({
      name: 'contract.pdf',
      mimeType: 'application/pdf',
      buffer: documentPdf,
    });
    await council.getByRole('button', { name: 'Publish document' }).click();
    await expect(council).toHaveURL(/\/contract-documents\/\d+$/);
    documentUrl = new URL(council.url()).pathname;
    await expect(council.locator('.govuk-notification-banner')).toContainText(`Published ${title}`);
    await expect(council.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(summaryValue(council, 'Status')).toHaveText('Published');
    await expect(summaryValue(council, 'Provider')).toHaveText('Ally Pally Ltd');
    await expect(summaryValue(council, 'Dates')).toHaveText('01/04/2022 to 31/03/2023');
    await expect(summaryValue(council, 'SHA-256')).toHaveText(sha256);
    // Council staff terminate; only the provider agrees or rejects.
    await expect(council.getByRole('button', { name: 'Agree' })).toHaveCount(0);
    await expect(council.getByRole('button', { name: 'Terminate' })).toBeVisible();
    await expectNoSeriousAccessibilityViolations(council);
  });

  const providerContext = await browser.newContext();
  const page = await providerContext.newPage();

  await test.step('the provider is told on the home page and finds the document in the list', async () => {
    await logIn(page, signer);
    const notice = page.locator('.app-contract-documents-notice');
    await expect(notice).toContainText(/Contract documents: \d+ documents? awaiting your agreement/);
    await mainNavigation(page).getByRole('link', { name: 'Contract documents', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contract documents');
    await expect(page.getByRole('button', { name: 'Publish contract document' })).toHaveCount(0);
    await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Ally Pally Home Care' });
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Published' });
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await expect(page).toHaveURL(/\/contract-documents\?service_id=\d+&status=published$/);
    const row = page.getByRole('row', { name: new RegExp(title.replace(/[()/]/g, '\\$&')) });
    await expect(row.locator('td')).toHaveText([
      title,
      'Provider Contract',
      'Ally Pally Home Care',
      'All clients',
      '01/04/2022 to 31/03/2023',
      /^\d{2}\/\d{2}\/\d{4}$/,
      'Published',
      `View ${title}`,
    ]);
    await expect(row.locator('.govuk-tag--blue')).toHaveText('Published');
    await expectNoSeriousAccessibilityViolations(page);
    await row.getByRole('link', { name: `View ${title}` }).click();
    await expect(page).toHaveURL(new RegExp(`${documentUrl}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  });

  await test.step('the provider downloads the PDF', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download contract\.pdf/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('contract.pdf');
    const bytes = fs.readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    await expect(page.locator('.app-no-signatures')).toBeVisible();
  });

  await test.step('a wrong password signs nothing', async () => {
    await page.getByLabel('Your password', { exact: true }).fill('not my password at all');
    await page.getByRole('button', { name: 'Agree', exact: true }).click();
    const summary = errorSummary(page);
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Your password is not right']);
    await expect(summary.getByRole('link')).toHaveAttribute('href', '#password');
    await expect(page).toHaveTitle(/^Error: Contract document/);
    await expect(summaryValue(page, 'Status')).toHaveText('Published');
    await expect(page.locator('.app-no-signatures')).toBeVisible();
    // The password is never left on screen.
    await expect(page.getByLabel('Your password', { exact: true })).toHaveValue('');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('rejecting needs a reason', async () => {
    await page.getByLabel('Your password', { exact: true }).fill(signer.password);
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect(errorSummary(page).getByRole('link')).toHaveText(['Enter why you reject the document']);
    await expect(summaryValue(page, 'Status')).toHaveText('Published');
  });

  await test.step('the right password agrees, and the signature is kept with the hash', async () => {
    await page.getByLabel('Your password', { exact: true }).fill(signer.password);
    await page.getByRole('button', { name: 'Agree', exact: true }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText(
      'You agreed to this document: it is now Agreed.',
    );
    await expect(errorSummary(page)).toHaveCount(0);
    await expect(summaryValue(page, 'Status')).toHaveText('Agreed');
    await expect(page.getByRole('button', { name: 'Agree', exact: true })).toHaveCount(0);
    const signatures = page.locator('.app-signatures-table tbody tr');
    await expect(signatures).toHaveCount(1);
    await expect(signatures.first().locator('td')).toHaveText([
      'Agreed',
      'Casey Signer',
      /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
      '',
      sha256,
    ]);
    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'contract-document.png'), fullPage: true });
  });

  await test.step('council staff see the signature and terminate the document; it stays listed', async () => {
    await council.goto(documentUrl);
    await expect(summaryValue(council, 'Status')).toHaveText('Agreed');
    await expect(council.locator('.app-signatures-table tbody tr')).toContainText(['Casey Signer']);
    await council.getByRole('button', { name: 'Terminate' }).click();
    await expect(council.locator('.govuk-notification-banner')).toContainText('The document is terminated.');
    await expect(summaryValue(council, 'Status')).toHaveText('Terminated');
    await expect(council.getByRole('button', { name: 'Terminate' })).toHaveCount(0);

    await council.getByRole('link', { name: 'Back to contract documents' }).first().click();
    await council.getByLabel('Status', { exact: true }).selectOption({ label: 'Terminated' });
    await council.getByRole('button', { name: 'View', exact: true }).click();
    const row = council.getByRole('row', { name: new RegExp(title.replace(/[()/]/g, '\\$&')) });
    await expect(row.locator('.govuk-tag--grey')).toHaveText('Terminated');
    await expect(row).toContainText('Ally Pally Ltd');
    await expectNoSeriousAccessibilityViolations(council);
  });

  await councilContext.close();
  await providerContext.close();
});
