import { test, expect } from '@playwright/test';
import {
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logInAsDayOpportunities,
  mainNavigation,
  openActuals,
} from '../support/portal';

test('a day-opportunities provider creates an invoice for a period and sees its items', async ({ page }) => {
  await logInAsDayOpportunities(page);

  await test.step('the week of 28/03/2022 is recorded as planned', async () => {
    await openActuals(page);
    const jump = page.getByRole('group', { name: 'Go to the week of a date' });
    await jump.getByLabel('Day').fill('28');
    await jump.getByLabel('Month').fill('03');
    await jump.getByLabel('Year').fill('2022');
    await page.getByRole('button', { name: 'Go to week' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Week beginning 28/03/2022');
    await page.getByRole('button', { name: 'Generate Actuals' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText(/Generated \d+ actuals?|Generated/);
  });

  await test.step('the list of invoices and credit notes', async () => {
    await mainNavigation(page).getByRole('link', { name: 'Invoices/Credit Notes', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Invoices/Credit Notes');
    await expectNoSeriousAccessibilityViolations(page);
  });

  const reference = `E2E-${Date.now()}`;
  await test.step('New invoice: one client, one period', async () => {
    await page.getByRole('button', { name: 'New invoice' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New invoice');
    // Nothing chosen yet: every missing field is named in the error summary.
    await page.getByRole('button', { name: 'Create' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toContainText('Payment period');
    await expect(summary).toContainText('reference');
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByLabel('One client', { exact: true }).check();
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Angelo, Iris (A1)' });
    await page.getByLabel('Payment period', { exact: true }).selectOption({ label: '28/03/2022 - 24/04/2022' });
    await page.getByLabel('Reference', { exact: true }).fill(reference);
    await fillDate(page, 'Date on invoice', '09/10/2022');
    await page.getByLabel('Total excluding VAT, in pounds', { exact: true }).fill('1072.30');
    await page.getByLabel('VAT, in pounds', { exact: true }).fill('214.46');
    await page.getByRole('button', { name: 'Create' }).click();
  });

  await test.step('the invoice: two commitments split at 31 March, and its totals', async () => {
    await expect(page).toHaveURL(/\/invoices\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Invoice ${reference}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Unsubmitted');
    const items = page.getByRole('table', { name: 'Commitments on this invoice' });
    const old = items.getByRole('row', { name: /Angelo, Iris \(A1\) - 2021\/2022/ });
    await expect(old).toContainText('£857.84');
    await expect(old).toContainText('£171.57');
    await expect(old).toContainText('28/03/2022 - 24/04/2022');
    const current = items.getByRole('row', { name: /Angelo, Iris \(A1\) - 2022\/2023/ });
    await expect(current).toContainText('£214.46');
    await expect(current).toContainText('£42.89');
    await expect(page.locator('#items-total')).toHaveText('£1,072.30');
    await expect(page.locator('#total-payable')).toHaveText('£1,286.76');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('removing an item changes the totals; re-adding restores them', async () => {
    await page.getByRole('button', { name: 'Remove Angelo, Iris (A1) - 2022/2023' }).click();
    await expect(page.locator('#items-total')).toHaveText('£857.84');
    await page.getByRole('button', { name: 'Re-add Angelo, Iris (A1) - 2022/2023' }).click();
    await expect(page.locator('#items-total')).toHaveText('£1,072.30');
  });

  await test.step('Submit: the invoice is Pending and can no longer be edited', async () => {
    await page.getByRole('button', { name: 'Submit Invoice' }).click();
    await expect(page.getByText('Invoice submitted: it is now Pending')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Pending');
    await expect(page.getByRole('button', { name: /^Remove / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Submit Invoice' })).toHaveCount(0);
    await expectNoSeriousAccessibilityViolations(page);
  });
});
