import path from 'node:path';
import { test, expect } from '@playwright/test';
import {
  allyPally,
  digitFor,
  digitLabels,
  expectNoSeriousAccessibilityViolations,
  logIn,
  openActuals,
} from '../support/portal';

const doubleHanded = 'Homecare Flexible - Bradford - Double-handed';

test('a provider corrects a line from E5 to E6 and the totals follow', async ({ browser }) => {
  // axe-core needs a page of a context made with browser.newContext().
  const context = await browser.newContext();
  const page = await context.newPage();

  await test.step('log in with the password and three digits of the security code', async () => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to your Provider Portal');
    await expectNoSeriousAccessibilityViolations(page);

    // A wrong password is reported in the error summary, which takes focus.
    await page.getByLabel('Email address', { exact: true }).fill(allyPally.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Continue' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveCount(1);

    await logIn(page);
    await expect(page.getByText(/Signed in as .+ @ Ally Pally/)).toBeVisible();
    await openActuals(page);
  });

  await test.step('open the week of 06/06/2022 and generate its actuals', async () => {
    const jump = page.getByRole('group', { name: 'Go to the week of a date' });
    await jump.getByLabel('Day').fill('6');
    await jump.getByLabel('Month').fill('6');
    await jump.getByLabel('Year').fill('2022');
    await page.getByRole('button', { name: 'Go to week' }).click();

    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toContainText('Ally Pally Home Care');
    await expect(heading).toContainText('Week beginning 06/06/2022');
    await expect(page).toHaveURL(/\/actuals\/[^/]+\/2022-06-06$/);
    await expect(page.getByRole('button', { name: 'Week beginning 06/06/2022' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await page.getByRole('button', { name: 'Generate Actuals' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText(
      /Generated \d+ actuals? \(\d+ already existed\)/,
    );
  });

  const eric = page.getByRole('region', { name: /Mr Eric Bristow/ });
  const field = (name: string) => eric.getByLabel(`${name} for ${doubleHanded}`, { exact: true });

  await test.step('E5 warns that the line does not add up before it is saved', async () => {
    await expect(eric).toContainText('£180.00 of £180.00');
    await eric.getByRole('button', { name: /^Add\/Edit/ }).click();
    // Focus moves into the first line's first figure, ready to type.
    await expect(eric.locator('input').first()).toBeFocused();

    await field('Actual').fill('1');
    await field('Frustrated').fill('0');
    await field('Missed').fill('1');
    await field('Extra').fill('0');

    await expect(eric).toContainText('Actual does not add up');
    await expect(eric).toContainText('does not equal the result Actual (0)');
    await expect(eric.getByText('does not equal the result Actual (0)')).toBeVisible();
    // Nothing has been saved yet: the week's total is still the plan.
    await expect(page.locator('.app-week-total')).toContainText('£820.00 of £820.00');

    // An unreadable figure is named by its field and blocks saving.
    await field('Extra').fill('lots');
    await expect(eric.locator('.govuk-error-message')).toContainText('Extra must be a number');
    await expect(eric.getByRole('button', { name: /^Save/ })).toBeDisabled();
    await field('Extra').fill('0');
    await expect(eric.getByRole('button', { name: /^Save/ })).toBeEnabled();

    // Undo puts back the saved figures and leaves edit mode; nothing was written.
    await eric.getByRole('button', { name: /^Undo/ }).click();
    await expect(eric.getByRole('button', { name: /^Add\/Edit/ })).toBeFocused();
    await expect(eric).not.toContainText('does not equal the result Actual');
    await expect(eric).toContainText('£180.00 of £180.00');

    await eric.getByRole('button', { name: /^Add\/Edit/ }).click();
    await field('Actual').fill('1');
    await field('Missed').fill('1');
    await expect(eric).toContainText('does not equal the result Actual (0)');
    // Edit mode too: every input labelled, errors and warnings readable.
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('E6 with a comment saves', async () => {
    await field('Actual').fill('0');
    await expect(eric).not.toContainText('does not equal the result Actual');
    await expect(eric).toContainText('£0.00 = 0 (Actual + Frstd) Hours x £40.00');
    await field('Comment').fill('Call cancelled this week');
    await eric.getByRole('button', { name: /^Save/ }).click();
    await expect(eric.getByRole('status')).toHaveText('Actuals saved for Mr Eric Bristow.');
    await expect(page.locator('.app-week-total')).toContainText('£780.00 of £820.00');
  });

  await test.step('after a reload the saved line, client total and week total hold', async () => {
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Week beginning 06/06/2022');
    const row = eric.getByRole('row', { name: new RegExp(doubleHanded) });
    await expect(row).toContainText('£0.00');
    await expect(row).toContainText('Call cancelled this week');
    await expect(row).toContainText('Fewer than planned');
    await expect(eric).toContainText('£140.00 of £180.00');
    await expect(page.locator('.app-week-total')).toContainText('Week total: £780.00 of £820.00');

    // The week's history says who changed what, newest first.
    await eric.getByText('History of this week').click();
    const history = eric.getByRole('table', { name: /Changes to this week for Mr Eric Bristow/ });
    await expect(history.getByRole('row').nth(1)).toContainText('Jo Hunter');
    await expect(history.getByRole('row').nth(1)).toContainText(
      `${doubleHanded}: Actual 1.00 → 0.00, Missed 0.00 → 1.00, Comment “” → “Call cancelled this week”`,
    );
    await expect(history).toContainText(`${doubleHanded}: generated from the plan`);

    // The provider confirms the week as it stands; the row then says who did.
    await eric.getByRole('button', { name: 'Confirm the week for Mr Eric Bristow' }).click();
    await expect(eric.getByRole('status')).toHaveText('Week confirmed for Mr Eric Bristow.');
    await expect(eric.locator('.app-client__confirmed')).toContainText(/Confirmed by Jo Hunter on \d{2}\/\d{2}\/\d{4}/);
    await expect(eric.getByRole('button', { name: /^Confirm/ })).toHaveCount(0);

    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({
      path: path.join(__dirname, '..', 'screenshots', 'actuals-grid.png'),
      fullPage: true,
    });
  });

  await context.close();
});

test('a keyboard-only user can log in and reach the actuals page', async ({ page }) => {
  // Signed out, the actuals page sends the user to log in.
  await page.goto('/actuals/1/2022-06-06');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to your Provider Portal');

  // Tab from the top of the page to the email field: nothing before it traps focus.
  for (let presses = 0; presses < 10; presses += 1) {
    if (await page.getByLabel('Email address', { exact: true }).evaluate((el) => el === document.activeElement)) {
      break;
    }
    await page.keyboard.press('Tab');
  }
  await expect(page.getByLabel('Email address', { exact: true })).toBeFocused();
  await page.keyboard.type(allyPally.email);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(allyPally.password);
  await page.keyboard.press('Enter');

  // The digit step puts focus on its first field; Tab moves through the other two.
  const labels = await digitLabels(page);
  await expect(page.getByLabel(labels[0], { exact: true })).toBeFocused();
  for (const [index, label] of labels.entries()) {
    if (index > 0) {
      await page.keyboard.press('Tab');
    }
    await expect(page.getByLabel(label, { exact: true })).toBeFocused();
    await page.keyboard.type(digitFor(label));
  }
  await page.keyboard.press('Enter');

  // Signed in, the home page; Tab reaches the Actuals link and Enter follows it.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(allyPally.organisation);
  // Either the navigation's link or the home page's tile will do.
  const onActualsLink = () =>
    page.evaluate(() => {
      const focused = document.activeElement;
      return focused instanceof HTMLAnchorElement && focused.textContent?.trim() === 'Actuals';
    });
  for (let presses = 0; presses < 15 && !(await onActualsLink()); presses += 1) {
    await page.keyboard.press('Tab');
  }
  expect(await onActualsLink(), 'Tab reaches a link to Actuals').toBe(true);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/actuals\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Actuals for Ally Pally');
});

test('a save on a stale version is refused, and Reload shows the other save', async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  for (const page of [first, second]) {
    await logIn(page);
    await openActuals(page);
    const week = page.url().replace(/\/\d{4}-\d{2}-\d{2}.*$/, '/2022-06-06');
    await page.goto(week);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Week beginning 06/06/2022');
  }
  const fallon = (page: typeof first) => page.getByRole('region', { name: /Miss Fallon Sherrock/ });
  const comment = (page: typeof first) =>
    fallon(page).getByLabel('Comment for Homecare Flexible - Bradford - Single-handed', { exact: true });

  // Both open the same version of Fallon Sherrock's week.
  for (const page of [first, second]) {
    await fallon(page).getByRole('button', { name: /^Add\/Edit/ }).click();
  }
  await comment(first).fill('Checked by the first user');
  await fallon(first).getByRole('button', { name: /^Save/ }).click();
  await expect(fallon(first).getByRole('status')).toHaveText('Actuals saved for Miss Fallon Sherrock.');

  await comment(second).fill('Checked by the second user');
  await fallon(second).getByRole('button', { name: /^Save/ }).click();
  const summary = fallon(second).locator('.govuk-error-summary');
  await expect(summary).toContainText(
    "Someone else saved this client's week first. Reload to see their changes.",
  );
  await expect(summary).toBeFocused();

  await fallon(second).getByRole('button', { name: 'Reload this week' }).click();
  await expect(fallon(second)).toContainText('Checked by the first user');
  await expect(fallon(second)).not.toContainText('Checked by the second user');
});
