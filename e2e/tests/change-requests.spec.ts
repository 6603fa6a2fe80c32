import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import {
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  logIn,
  mainNavigation,
  patMorgan,
} from '../support/portal';

// DOMAIN 10 change requests: Ally Pally's manager asks for the organisation's telephone to
// change; it stays Pending Review (amber) until Bradford's staff approve it (a rejection
// without a reason is refused); then the provider sees Approved (green) and the new number.

/** A number no earlier run used, so the request is this run's. */
const newPhone = `01274 ${String(Date.now() % 1_000_000).padStart(6, '0')}`;

function requestRow(page: Page) {
  return page.locator('.app-change-requests tbody tr').filter({ hasText: newPhone });
}

test('a provider requests a telephone change and the council approves it', async ({ browser, page }) => {
  await test.step('the provider requests the change from Organisation details', async () => {
    await logIn(page, patMorgan);
    await mainNavigation(page).getByRole('link', { name: 'Organisation details' }).click();
    await page.getByRole('link', { name: 'Request a change to Ally Pally Ltd' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      "Request a change to the organisation's details",
    );
    // The form starts from the details as they are.
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Ally Pally Ltd');
    await expect(page.getByLabel('Town', { exact: true })).toHaveValue('Bradford');
    const telephone = page.getByLabel('Telephone', { exact: true });
    await expectNoSeriousAccessibilityViolations(page);
    await telephone.fill(newPhone);
    await page.getByRole('button', { name: 'Send the change request' }).click();
    await expect(page).toHaveURL(/\/change-requests$/);
    await expect(page.locator('.govuk-notification-banner')).toContainText('Pending Review');
    const row = requestRow(page);
    await expect(row).toHaveCount(1);
    await expect(row.locator('.govuk-tag')).toHaveText('Pending Review');
    await expect(row.locator('.govuk-tag')).toHaveClass(/govuk-tag--orange/);
    await expect(row).toContainText('Update Organisation');
    await expect(row).toContainText(`Telephone: `);
    await expect(row).toContainText(`→ ${newPhone}`);
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('a new contact needs a name, an email address and a role', async () => {
    await mainNavigation(page).getByRole('link', { name: 'Organisation details' }).click();
    await page.getByRole('link', { name: 'Contacts and roles' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contacts');
    await expect(page.getByRole('table')).toContainText('Pat Morgan');
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Request a new contact' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request a new contact');
    await page.getByRole('button', { name: 'Send the change request' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.getByRole('link')).toHaveText([
      'Enter the name',
      'Enter the email',
      "Choose the contact's role",
    ]);
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('council staff must give a reason to reject, then approve instead', async () => {
    const councilContext = await browser.newContext();
    const council = await councilContext.newPage();
    await logIn(council, bradfordCouncil);
    await mainNavigation(council).getByRole('link', { name: 'Change requests' }).click();
    await council.getByLabel('Status').selectOption('pending_review');
    await council.getByRole('button', { name: 'View' }).click();
    await expect(council).toHaveURL(/status=pending_review/);
    await requestRow(council).getByRole('link', { name: /Decide/ }).click();
    await expect(council.getByRole('heading', { level: 1 })).toHaveText('Ally Pally Ltd');
    await expect(council.getByRole('table')).toContainText(newPhone);
    await council.getByRole('button', { name: 'Reject' }).click();
    const summary = council.locator('.govuk-error-summary');
    await expect(summary.getByRole('link')).toHaveText(['Enter the reason for rejecting the change request']);
    await expectNoSeriousAccessibilityViolations(council);
    await council.getByRole('button', { name: 'Approve' }).click();
    await expect(council.locator('.govuk-notification-banner')).toContainText('approved');
    await expect(council.locator('.govuk-tag')).toHaveText('Approved');
    await expect(council.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expectNoSeriousAccessibilityViolations(council);
    await councilContext.close();
  });

  await test.step('the provider sees it Approved and the new telephone number', async () => {
    await page.goto('/change-requests');
    const row = requestRow(page);
    await expect(row.locator('.govuk-tag')).toHaveText('Approved');
    await expect(row.locator('.govuk-tag')).toHaveClass(/govuk-tag--green/);
    await expect(row).toContainText('Trevor Bland');
    await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'change-requests.png'), fullPage: true });
    await mainNavigation(page).getByRole('link', { name: 'Organisation details' }).click();
    await expect(page.locator('.govuk-summary-list').first()).toContainText(newPhone);
    await expectNoSeriousAccessibilityViolations(page);
  });
});
