import { test, expect } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import { allyPally, bradfordCouncil, expectNoSeriousAccessibilityViolations, logIn, openActuals } from '../support/portal';

// A week no other test edits.
const week = '2022-05-23';

test('a week the council has locked says why and offers no changes', async ({ page, request }) => {
  const council = { Authorization: `Bearer ${await apiToken(request, bradfordCouncil)}` };
  const services = await request.get('/api/v1/services', { headers: council });
  const allyPallyHomeCare = (await services.json()).items.find(
    (service: { name: string }) => service.name === 'Ally Pally Home Care',
  );
  const locked = await request.post(`/api/v1/services/${allyPallyHomeCare.id}/weeks/${week}/lock`, {
    headers: council,
    data: { reason: 'Paid in the payment run of 06/06/2022' },
  });
  expect(locked.status(), await locked.text()).toBe(200);

  await logIn(page, allyPally);
  await openActuals(page);
  await page.goto(`/actuals/${allyPallyHomeCare.id}/${week}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Week beginning 23/05/2022');
  await expect(page.locator('.app-week-locked')).toContainText(
    "This week's actuals cannot change: Paid in the payment run of 06/06/2022.",
  );
  await expect(page.getByRole('button', { name: 'Generate Actuals' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Add\/Edit/ })).toHaveCount(0);
  await expectNoSeriousAccessibilityViolations(page);

  const unlocked = await request.post(`/api/v1/services/${allyPallyHomeCare.id}/weeks/${week}/unlock`, {
    headers: council,
  });
  expect(unlocked.status()).toBe(200);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Generate Actuals' })).toBeVisible();
  await expect(page.locator('.app-week-locked')).toHaveCount(0);
});

test('council staff lock a week with a reason from the actuals page, and unlock it', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, bradfordCouncil);
  await openActuals(page);
  await page.goto(page.url().replace(/\d{4}-\d{2}-\d{2}$/, '2022-05-09'));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Week beginning 09/05/2022');
  // Council staff read the week; only providers enter actuals.
  await expect(page.getByRole('button', { name: 'Generate Actuals' })).toHaveCount(0);

  const panel = page.getByRole('region', { name: 'Lock this week' });
  await panel.getByRole('button', { name: 'Lock this week' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter why the week is locked');
  await panel.getByLabel('Why is the week locked?').fill('Paid in the payment run of 23/05/2022');
  await panel.getByRole('button', { name: 'Lock this week' }).click();
  await expect(panel.getByRole('status')).toHaveText('The week beginning 09/05/2022 is locked.');
  await expect(page.locator('.app-week-locked')).toContainText(
    "This week's actuals cannot change: Paid in the payment run of 23/05/2022.",
  );
  await expectNoSeriousAccessibilityViolations(page);

  await panel.getByRole('button', { name: 'Unlock this week' }).click();
  await expect(panel.getByRole('status')).toHaveText('The week beginning 09/05/2022 is unlocked.');
  await expect(page.locator('.app-week-locked')).toHaveCount(0);
  await context.close();
});
