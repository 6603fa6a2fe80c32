import { test, expect } from '@playwright/test';
import { allyPally, expectNoSeriousAccessibilityViolations, logIn } from '../support/portal';

test('a Finance contact sees only the change they may request: their own details', async ({ page }) => {
  await logIn(page, allyPally);
  await page.goto('/organisation');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Organisation details');
  await expect(page.getByRole('link', { name: 'Contacts and roles' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /^Request a change/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'Contacts and roles' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contacts');
  await expect(page.getByRole('row')).not.toHaveCount(0);
  await expect(page.getByRole('link', { name: "Edit Jo Hunter's details" })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Edit/ })).toHaveCount(1);
  await expect(page.getByRole('link', { name: /^Request role/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Request a new contact' })).toHaveCount(0);
  await expectNoSeriousAccessibilityViolations(page);
  await page.getByRole('link', { name: "Edit Jo Hunter's details" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request a change to contact details');
});
