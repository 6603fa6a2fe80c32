import { test, expect } from '@playwright/test';
import { bradfordCouncil, expectNoSeriousAccessibilityViolations, logIn, mainNavigation } from '../support/portal';

test("council staff issue a tool's credentials, which reach only its organisation; rotating and revoking stop the old ones", async ({
  page,
  request,
}) => {
  const name = `CallTime ${Date.now().toString(36)}`;
  let clientId = '';
  let secret = '';

  await test.step('an empty form names every missing answer', async () => {
    await logIn(page, bradfordCouncil);
    await mainNavigation(page).getByRole('link', { name: 'Tools' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tools');
    await page.getByRole('link', { name: 'Issue credentials' }).click();
    await page.getByRole('button', { name: 'Issue credentials' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("Enter the tool's name");
    await expect(summary).toContainText('Choose the organisation');
    await expect(summary).toContainText('Choose what the tool may do');
    await expect(summary.getByRole('link', { name: 'Choose what the tool may do' })).toHaveAttribute('href', '#scopes');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('issued for Ally Pally, to read care packages and write actuals; the secret is shown once', async () => {
    await page.getByLabel('Tool', { exact: true }).fill(name);
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Ally Pally Ltd' });
    await page.getByLabel(/Read services and care package line items, with their clients/).check();
    await page.getByLabel(/Enter and generate actuals/).check();
    await page.getByRole('button', { name: 'Issue credentials' }).click();
    await expect(page.locator('.govuk-panel__title')).toHaveText('Credentials issued');
    clientId = (await page.locator('#client-id').textContent())!.trim();
    secret = (await page.locator('#client-secret').textContent())!.trim();
    expect(secret).toMatch(/^pps_/);
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Back to tools' }).click();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText('Ally Pally Ltd');
    await expect(row).toContainText('Active');
    await expect(page.getByText(secret)).toHaveCount(0);
  });

  await test.step("the tool's token sees Ally Pally's services and nobody else's", async () => {
    const answer = await request.post('/api/v1/auth/token', {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
    });
    expect(answer.status()).toBe(200);
    const { access_token: token } = await answer.json();
    const services = await request.get('/api/v1/services', { headers: { authorization: `Bearer ${token}` } });
    const names = (await services.json()).items.map((service: { organisation_name: string }) => service.organisation_name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(['Ally Pally Ltd']));
  });

  await test.step('rotating shows a new secret once; the old one is refused', async () => {
    await page.getByRole('button', { name: `Rotate secret of ${name}` }).click();
    await expect(page.locator('.govuk-panel__title')).toHaveText('Secret rotated');
    const rotated = (await page.locator('#client-secret').textContent())!.trim();
    expect(rotated).not.toBe(secret);
    const old = await request.post('/api/v1/auth/token', {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
    });
    expect(old.status()).toBe(401);
    secret = rotated;
    await page.getByRole('link', { name: 'Back to tools' }).click();
  });

  await test.step('revoking asks first, then the tool can no longer sign in', async () => {
    await page.getByRole('button', { name: `Revoke ${name}` }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Revoke ${name}?`);
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Yes, revoke it' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText(`${name} was revoked`);
    await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Revoked on');
    const refused = await request.post('/api/v1/auth/token', {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
    });
    expect(refused.status()).toBe(401);
  });
});
