import { test, expect, type Page } from '@playwright/test';
import {
  allyPally,
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logIn,
  mainNavigation,
} from '../support/portal';

/** A small PDF: only its first bytes are checked, but keep it a real one. */
const evidencePdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Opens One-Off Claims from the navigation, once the Actuals section (shown when the
 * organisation has services with actuals, which the header learns after signing in) has
 * settled, so the links no longer move under the click. */
async function openClaims(page: Page): Promise<void> {
  await expect(mainNavigation(page).getByRole('link', { name: 'Actuals', exact: true })).toBeVisible();
  await mainNavigation(page).getByRole('link', { name: 'One-Off Claims' }).click();
  await expect(page).toHaveURL(/\/one-off-claims$/);
}

test('a provider claims a taxi for a client with a PDF receipt, and council staff approve it', async ({ page }) => {
  const description = `Taxi to hospital appointment ${Date.now().toString(36)}`;

  await test.step('an empty claim names every missing answer', async () => {
    await logIn(page, allyPally);
    await openClaims(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('One-Off Claims');
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'New claim' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New one-off claim');
    await page.getByRole('button', { name: 'Submit claim' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Choose who the claim is for');
    await expect(summary).toContainText('Enter what the claim is for');
    await expect(summary).toContainText('Enter the date');
    await expect(summary).toContainText('Select a PDF, PNG or JPEG file of the evidence');
    await expect(summary.getByRole('link', { name: 'Enter the date' })).toHaveAttribute('href', '#claim-date-day');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('a client item with its evidence is submitted', async () => {
    await page.getByLabel('A client (client item)').check();
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Bristow, Eric (96836000)' });
    await page.getByLabel('Description').fill(description);
    await fillDate(page, 'Date', '06/06/2022');
    await page.getByLabel('Amount').fill('1072.3');
    await page.getByLabel('VAT').fill('0');
    await page.getByLabel('Evidence').setInputFiles({
      name: 'taxi-receipt.pdf',
      mimeType: 'application/pdf',
      buffer: evidencePdf,
    });
    await page.getByRole('button', { name: 'Submit claim' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Claim submitted to the council');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(description);
    await expect(page.locator('.govuk-tag')).toHaveText('Submitted');
    await expect(page.locator('.govuk-summary-list')).toContainText('Bristow, Eric (96836000)');
    await expect(page.locator('.govuk-summary-list')).toContainText('£1,072.30');
    await expect(page.locator('.govuk-summary-list')).toContainText('06/06/2022');
    // Providers do not decide their own claims.
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Download taxi-receipt\.pdf/ }).click();
    expect((await download).suggestedFilename()).toBe('taxi-receipt.pdf');
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByRole('link', { name: 'Back to one-off claims' }).click();
    const row = page.getByRole('row', { name: new RegExp(description) });
    await expect(row).toContainText('Submitted');
    await expect(row).toContainText('£1,072.30');
  });

  await test.step('council staff need a reason to reject, then approve it', async () => {
    await page.getByRole('link', { name: 'Sign out' }).click();
    await logIn(page, bradfordCouncil);
    await openClaims(page);
    await page.getByLabel('Status').selectOption({ label: 'Submitted' });
    await page.getByRole('button', { name: 'View' }).click();
    await expect(page).toHaveURL(/status=submitted/);
    await page.getByRole('link', { name: description }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(description);
    await page.getByRole('button', { name: 'Reject' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter why the claim is rejected');
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Claim approved');
    await expect(page.locator('.govuk-tag')).toHaveText('Approved');
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expectNoSeriousAccessibilityViolations(page);
  });
});
