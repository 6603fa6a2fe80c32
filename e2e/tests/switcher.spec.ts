import { test, expect } from '@playwright/test';
import { expectNoSeriousAccessibilityViolations, logIn, mainNavigation, openActuals, patMorgan } from '../support/portal';

test('a contact of two organisations switches between them in the header, and the pages follow', async ({ page }) => {
  await logIn(page, patMorgan);
  const header = page.locator('header');
  await expect(header).toContainText('Signed in as Pat Morgan @ Ally Pally Ltd');
  const switcher = page.getByRole('form', { name: 'Switch organisation' });
  await expect(switcher.getByLabel('Organisation', { exact: true })).toHaveValue(/.+/);
  await expectNoSeriousAccessibilityViolations(page);

  await test.step('Ally Pally first: its services only', async () => {
    await openActuals(page);
    await expect(page.getByRole('link', { name: 'Ally Pally Home Care' })).toBeVisible();
    await expect(page.getByText('Diamond Home Care - Tame Valley')).toHaveCount(0);
  });

  await test.step('switch to Diamond Home Care with the keyboard', async () => {
    await switcher.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Diamond Home Care' });
    await switcher.getByRole('button', { name: 'Switch' }).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diamond Home Care');
    await expect(page.locator('.govuk-notification-banner')).toContainText('You are now working for Diamond Home Care');
    await expect(header).toContainText('Signed in as Pat Morgan @ Diamond Home Care');
  });

  await test.step("Diamond's services only, and the choice survives a reload", async () => {
    await openActuals(page);
    await expect(page.getByRole('link', { name: 'Diamond Home Care - Tame Valley' })).toBeVisible();
    await expect(page.getByText('Ally Pally Home Care')).toHaveCount(0);
    await page.reload();
    await expect(header).toContainText('Signed in as Pat Morgan @ Diamond Home Care');
    await mainNavigation(page).getByRole('link', { name: 'Care Package Line Items' }).click();
    await expect(page.getByRole('table').getByText('Diamond Home Care - Tame Valley').first()).toBeVisible();
    await expect(page.getByRole('table').getByText('Ally Pally Home Care')).toHaveCount(0);
    await mainNavigation(page).getByRole('link', { name: 'Organisation details' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Diamond Home Care', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Ally Pally Ltd', exact: true })).toHaveCount(0);
  });
});
