import { test, expect } from '@playwright/test';
import { expectNoSeriousAccessibilityViolations, logIn, dayOpportunities, passwordAfterReset } from '../support/portal';

test('a forgotten password is reset from the mailed link, which works once', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const newPassword = passwordAfterReset;

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
  await page.getByLabel('Email address', { exact: true }).fill(dayOpportunities.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  await expect(page.getByRole('status')).toContainText('If that email address has an account');
  await expectNoSeriousAccessibilityViolations(page);

  // The demo sends no mail: its outbox shows the message, with the link.
  await page.goto('/outbox');
  const mail = page.getByRole('region', { name: 'Reset your Care Provider Portal password' }).first();
  await expect(mail).toContainText(`To ${dayOpportunities.email}`);
  const body = (await mail.locator('pre').textContent()) ?? '';
  const link = body.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link).toBeTruthy();

  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await page.getByLabel('New password', { exact: true }).fill('password1234');
  await page.getByLabel('Confirm new password', { exact: true }).fill('password1234');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('too common or too easy to guess');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('.govuk-panel__title')).toHaveText('Password changed');

  // The link was used up.
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await page.getByLabel('New password', { exact: true }).fill('another long passphrase here');
  await page.getByLabel('Confirm new password', { exact: true }).fill('another long passphrase here');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('This reset link has expired or was already used');

  await logIn(await (await browser.newContext()).newPage(), { ...dayOpportunities, password: newPassword });
  await context.close();
});
