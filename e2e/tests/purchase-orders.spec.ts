import { test, expect } from '@playwright/test';
import {
  diamondHomeCare,
  expectNoSeriousAccessibilityViolations,
  logIn,
  mainNavigation,
} from '../support/portal';

test('a provider opens a purchase order and sees its value (E13)', async ({ browser }) => {
  // axe-core needs a page of a context made with browser.newContext().
  const context = await browser.newContext();
  const page = await context.newPage();

  await test.step('open the POs of 2019/2020 from the navigation', async () => {
    await logIn(page, diamondHomeCare);
    await mainNavigation(page).getByRole('link', { name: 'POs' }).click();
    await expect(page).toHaveURL(/\/purchase-orders$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Purchase Orders');
    await page.getByLabel('Financial year').selectOption('2019-2020');
    await page.getByRole('button', { name: 'View' }).click();
    await expect(page).toHaveURL(/financial_year=2019-2020/);
    await expect(page.getByRole('status')).toHaveText('3 purchase orders for 2019/2020');
    const geller = page.getByRole('row').filter({ hasText: 'Geller, Monica (MG123) - 2019/2020' });
    await expect(geller).toContainText('£9,114.24');
    await expect(geller).toContainText('£0.00');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('open Monica Geller\'s PO', async () => {
    await page.getByRole('link', { name: 'Geller, Monica (MG123) - 2019/2020' }).click();
    await expect(page).toHaveURL(/\/purchase-orders\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Purchase Order \d+ - 1$/);
    const items = page.getByRole('table', { name: /Items/ });
    await expect(items).toContainText(
      "Service 'Diamond Home Care - Marple', Level 'Home Care - Single Assist Fixed Rate (Hour)', 14 Hours every week @£16.16. Weekly cost £226.24",
    );
    await expect(items).toContainText('24/06/2019 - 31/03/2020');
    await expect(items.getByRole('row').filter({ hasText: 'Total (ex VAT)' })).toContainText('£9,114.24');
    await expect(page.getByRole('link', { name: 'Download PDF' })).toBeVisible();
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('download the PDF', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download PDF' }).click();
    expect((await download).suggestedFilename()).toMatch(/^purchase-order-\d+\.pdf$/);
  });

  await context.close();
});
