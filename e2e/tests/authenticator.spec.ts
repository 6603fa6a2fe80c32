import { test, expect, type Page } from '@playwright/test';
import { digitFor, digitLabels, logIn, type Login } from '../support/portal';
import {
  codeAfter,
  expectNoAccessibilityViolations,
  newAllyPallyContact,
  totpCode,
  totpStep,
} from '../support/authenticator';

/** The login page up to its second step: email and password, then Continue. */
async function enterPassword(page: Page, login: Login): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email address', { exact: true }).fill(login.email);
  await page.getByLabel('Password', { exact: true }).fill(login.password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to your Provider Portal');
}

async function expectHome(page: Page, login: Login): Promise<void> {
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(login.organisation);
}

test('a contact sets up an authenticator app, then signs in with its code, the security code or a recovery code, and removes it', async ({
  browser,
  request,
}) => {
  // Up to 30 seconds go waiting for a code the set-up did not use.
  test.setTimeout(150_000);
  // A contact of their own: no demo login other specs sign in with gets an authenticator.
  const login = await newAllyPallyContact(request, 'Sam Authenticator');
  const context = await browser.newContext();
  const page = await context.newPage();
  const codeBox = () => page.getByLabel('Code from your authenticator app', { exact: true });
  let secret = '';
  let setUpStep = 0;
  let recoveryCodes: string[] = [];

  await test.step('from the home page, the contact sets the app up with the QR code or the key', async () => {
    await logIn(page, login);
    // Bradford lets people choose, so nothing asks them to set an app up.
    await expect(page.getByRole('region', { name: 'Important' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Authenticator app', exact: true }).click();
    await expect(page).toHaveURL(/\/account\/authenticator$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Authenticator app');
    await expect(page).toHaveTitle('Authenticator app - Care Provider Portal');
    await expectNoAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up your authenticator app');
    const qr = page.getByRole('img', { name: /QR code/ });
    await expect(qr).toBeVisible();
    await expect(qr.locator('svg')).toHaveCount(1);
    secret = ((await page.locator('#authenticator-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    await expect(codeBox()).toHaveAttribute('inputmode', 'numeric');
    await expect(codeBox()).toHaveAttribute('autocomplete', 'one-time-code');
    await expectNoAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Confirm' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: 'Enter the code from your authenticator app' })).toHaveAttribute(
      'href',
      '#code',
    );
    await expect(page).toHaveTitle('Error: Authenticator app - Care Provider Portal');

    // A code from no step near now: the server says what to check.
    const near = [-1, 0, 1].map((offset) => totpCode(secret, Date.now() + offset * 30_000));
    let wrong = '000000';
    for (let n = 1; near.includes(wrong); n += 1) wrong = String(n).padStart(6, '0');
    await codeBox().fill(wrong);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(summary).toContainText('That code is not right');
    await expect(codeBox()).toHaveAttribute('aria-describedby', /code-error/);
    await expectNoAccessibilityViolations(page);

    const now = Date.now();
    setUpStep = totpStep(now);
    await codeBox().fill(totpCode(secret, now));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Authenticator app set up');
    await expect(page).toHaveTitle('Authenticator app set up - Care Provider Portal');
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect(codes).toHaveCount(10);
    recoveryCodes = (await codes.allTextContents()).map((code) => code.trim());
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    await expect(page.locator('.govuk-warning-text')).toContainText('shown only once');
    await expectNoAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Continue' }).click();
    await expectHome(page, login);
    await page.getByRole('link', { name: 'Authenticator app', exact: true }).click();
    await expect(page.locator('#recovery-codes-left')).toHaveText('You have 10 recovery codes left.');
    await signOut(page);
  });

  await test.step('signing in asks for the app’s code; the security code can be used instead', async () => {
    await enterPassword(page, login);
    await expect(codeBox()).toBeFocused();
    await expect(codeBox()).toHaveAttribute('inputmode', 'numeric');
    await expect(codeBox()).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(codeBox()).toHaveClass(/govuk-input--width-10/);
    await expectNoAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the code from your authenticator app');
    await expect(page).toHaveTitle('Error: Log in - Care Provider Portal');
    await expectNoAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Use your security code instead' }).click();
    await expect(page.locator('.govuk-error-summary')).toHaveCount(0);
    await expect(page.locator('#digits-hint')).toContainText(/Please enter the \d(st|nd|rd|th), .* digits/);
    const labels = await digitLabels(page);
    await expect(page.getByLabel(labels[0], { exact: true })).toBeFocused();
    await page.getByRole('button', { name: 'Use your authenticator app instead' }).click();
    await expect(codeBox()).toBeFocused();
    await page.getByRole('button', { name: 'Use your security code instead' }).click();
    for (const label of await digitLabels(page)) {
      await page.getByLabel(label, { exact: true }).fill(digitFor(label, login.securityCode));
    }
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHome(page, login);
    await signOut(page);
  });

  await test.step('a recovery code signs in once', async () => {
    await enterPassword(page, login);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    const box = page.getByLabel('Recovery code', { exact: true });
    await expect(box).toBeFocused();
    await expectNoAccessibilityViolations(page);
    // As people type it: any case, with spaces.
    await box.fill(recoveryCodes[0].toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHome(page, login);
    await signOut(page);

    await enterPassword(page, login);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Log in' }).click();
    // A refused answer uses the sign-in up: the password is asked for again.
    await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
    await expect(page.locator('.govuk-error-summary')).toContainText(
      'That code is not right. Start again with your password.',
    );
  });

  await test.step('the app’s code signs in, once the code used at set-up has passed', async () => {
    const { code } = await codeAfter(secret, setUpStep);
    await enterPassword(page, login);
    await codeBox().fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHome(page, login);
  });

  await test.step('the contact removes the app with their password', async () => {
    await page.getByRole('link', { name: 'Authenticator app', exact: true }).click();
    await expect(page.locator('#recovery-codes-left')).toHaveText('You have 9 recovery codes left.');
    await expectNoAccessibilityViolations(page);
    const password = page.getByLabel('Current password', { exact: true });
    await password.fill('not my password at all');
    await page.getByRole('button', { name: 'Remove authenticator app' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveAttribute('href', '#current-password');
    await password.fill(login.password);
    await page.getByRole('button', { name: 'Remove authenticator app' }).click();
    await expectHome(page, login);
    await expect(page.locator('.govuk-notification-banner')).toContainText('Your authenticator app has been removed.');
    await page.getByRole('link', { name: 'Authenticator app', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Set up an authenticator app' })).toBeVisible();
    await signOut(page);

    // Sign-in asks for the digits again.
    await logIn(page, login);
  });

  await context.close();
});
