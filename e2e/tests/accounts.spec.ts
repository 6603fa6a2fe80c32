import { test, expect } from '@playwright/test';
import { bradfordCouncil, expectNoSeriousAccessibilityViolations, logIn, mainNavigation } from '../support/portal';

test('council staff add a contact, who chooses a password and security code at first sign-in; a locked account is unlocked; Jo changes the code and password', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const email = `jo.${stamp}@allypally.example`;
  const newPassword = 'marmalade kettle orbit tuesday';
  const councilContext = await browser.newContext();
  const council = await councilContext.newPage();
  let oneTimePassword = '';

  await test.step('council staff add Jo Bloggs at Ally Pally, and see the one-time password once', async () => {
    await logIn(council, bradfordCouncil);
    await mainNavigation(council).getByRole('link', { name: 'Accounts' }).click();
    await expect(council.getByRole('heading', { level: 1 })).toHaveText('Accounts');
    await expect(council.getByRole('row', { name: /Trevor Bland/ })).toContainText('Active');
    await council.getByRole('link', { name: 'Add an account' }).click();
    await council.getByRole('button', { name: 'Add account' }).click();
    const summary = council.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("Enter the person's full name");
    await expect(summary).toContainText('Enter the email address');
    await council.getByLabel('Full name', { exact: true }).fill('Jo Bloggs');
    await council.getByLabel('Email address', { exact: true }).fill(email);
    await council.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Ally Pally Ltd' });
    await council.getByLabel('Finance', { exact: true }).check();
    await expectNoSeriousAccessibilityViolations(council);
    await council.getByRole('button', { name: 'Add account' }).click();
    await expect(council.locator('.govuk-panel__title')).toHaveText('Account added');
    oneTimePassword = (await council.locator('#one-time-password').textContent())!.trim();
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    await council.getByRole('link', { name: 'Back to accounts' }).first().click();
    const row = council.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) });
    await expect(row).toContainText('Ally Pally Ltd (Finance)');
    await expect(row).toContainText('Awaiting first sign-in');
    await expect(row).toContainText('Never');
  });

  const joContext = await browser.newContext();
  const jo = await joContext.newPage();
  await test.step('at first sign-in Jo replaces the password, then creates the security code', async () => {
    await jo.goto('/login');
    await jo.getByLabel('Email address', { exact: true }).fill(email);
    await jo.getByLabel('Password', { exact: true }).fill(oneTimePassword);
    await jo.getByRole('button', { name: 'Continue' }).click();
    await expect(jo.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
    await expect(jo.getByLabel('New password', { exact: true })).toHaveAttribute('autocomplete', 'new-password');
    await expectNoSeriousAccessibilityViolations(jo);

    await jo.getByLabel('New password', { exact: true }).fill('password1234');
    await jo.getByLabel('Confirm new password', { exact: true }).fill('password1234');
    await jo.getByRole('button', { name: 'Continue' }).click();
    const summary = jo.locator('.govuk-error-summary');
    await expect(summary).toContainText('Your new password is too common or too easy to guess');
    await expect(summary.getByRole('link')).toHaveAttribute('href', '#new-password');

    await jo.getByLabel('New password', { exact: true }).fill(newPassword);
    await jo.getByLabel('Confirm new password', { exact: true }).fill(newPassword);
    await jo.getByRole('button', { name: 'Continue' }).click();
    await expect(jo.getByRole('heading', { level: 1 })).toHaveText('Create your security code');
    await expectNoSeriousAccessibilityViolations(jo);

    await jo.getByLabel('Security code', { exact: true }).fill('123456');
    await jo.getByLabel('Confirm security code', { exact: true }).fill('123456');
    await jo.getByRole('button', { name: 'Save security code and log in' }).click();
    await expect(jo.locator('.govuk-error-summary')).toContainText(
      'Your security code must not contain a run of more than three consecutive digits, such as 123456',
    );
    await jo.getByLabel('Security code', { exact: true }).fill('240613');
    await jo.getByLabel('Confirm security code', { exact: true }).fill('240613');
    await jo.getByRole('button', { name: 'Save security code and log in' }).click();
    await expect(jo).toHaveURL(/\/$/);
    await expect(jo.getByRole('heading', { level: 1 })).toHaveText('Ally Pally Ltd');
  });

  await test.step('five wrong passwords lock Jo out; council staff unlock the account', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await jo.request.post('/api/v1/auth/login', { data: { email, password: 'not my password' } });
      expect(response.status()).toBe(401);
    }
    const locked = await jo.request.post('/api/v1/auth/login', { data: { email, password: newPassword } });
    expect(locked.status()).toBe(403);
    expect((await locked.json()).detail).toContain('Your account is locked. Contact Bradford');

    await council.reload();
    const row = council.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) });
    await expect(row).toContainText('Locked: 5 failed sign-ins');
    await row.getByRole('button', { name: 'Unlock Jo Bloggs' }).click();
    await expect(council.locator('.govuk-notification-banner')).toContainText('Jo Bloggs can sign in again');
    await expect(row).toContainText('Active');

  });

  await test.step('from the home page Jo changes the security code, then the password', async () => {
    const page = await (await browser.newContext()).newPage();
    await logIn(page, { email, password: newPassword, securityCode: '240613', organisation: 'Ally Pally Ltd' });
    await page.getByRole('link', { name: 'Change your security code' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change your security code');
    await page.getByLabel('Current password', { exact: true }).fill(newPassword);
    await page.getByLabel('New security code', { exact: true }).fill('240613');
    await page.getByLabel('Confirm new security code', { exact: true }).fill('240613');
    await page.getByRole('button', { name: 'Change security code' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText(
      'Your new security code must be different from your previous one',
    );
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByLabel('New security code', { exact: true }).fill('970351');
    await page.getByLabel('Confirm new security code', { exact: true }).fill('970351');
    await page.getByRole('button', { name: 'Change security code' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Your security code has been changed.');

    await page.getByRole('link', { name: 'Change your password' }).click();
    await page.getByLabel('Current password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password', { exact: true }).fill('lantern pebble violin saucepan');
    await page.getByLabel('Confirm new password', { exact: true }).fill('lantern pebble violin saucepan');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Your password has been changed.');

    await logIn(await (await browser.newContext()).newPage(), {
      email,
      password: 'lantern pebble violin saucepan',
      securityCode: '970351',
      organisation: 'Ally Pally Ltd',
    });
  });

  await councilContext.close();
  await joContext.close();
});
