import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** A demo login: the server's `--demo` prints these. */
export interface Login {
  email: string;
  password: string;
  securityCode: string;
  /** The home page's heading once signed in. */
  organisation: string;
}

/** The demo world's Ally Pally contact (Bradford homecare). */
export const allyPally: Login = {
  email: 'contact@allypally.example',
  password: 'portal-demo-2022',
  securityCode: '240613',
  organisation: 'Ally Pally Ltd',
};

/** The demo world's Diamond Home Care contact (Stockport). */
export const diamondHomeCare: Login = {
  email: 'greg.finance@diamondhomecare.example',
  password: 'portal-demo-2022',
  securityCode: '240613',
  organisation: 'Diamond Home Care',
};

/** The demo world's Day Opportunities PP Home contact (Bedford, timetabled). Only the
 * password-reset test signs in as them, since it changes their password. */
export const dayOpportunities: Login = {
  email: 'michaela.george@dayopspphome.example',
  password: 'portal-demo-2022',
  securityCode: '240613',
  organisation: 'Day Opportunities PP Home',
};

/** The demo world's Bradford Council staff member. */
export const bradfordCouncil: Login = {
  email: 'trevor.bland@bradford.example',
  password: 'portal-demo-2022',
  securityCode: '240613',
  organisation: 'Council staff',
};

/** The demo world's manager of both Ally Pally Ltd and Diamond Home Care, who switches
 * between them in the header; the home page starts with the first. */
export const patMorgan: Login = {
  email: 'pat.morgan@carecollective.example',
  password: 'portal-demo-2022',
  securityCode: '240613',
  organisation: 'Ally Pally Ltd',
};

/** The digit the security code has at the position a label names ("4th digit" -> '6'). */
export function digitFor(label: string, securityCode = allyPally.securityCode): string {
  const position = Number.parseInt(label, 10);
  expect(position, `a position in "${label}"`).toBeGreaterThanOrEqual(1);
  return securityCode[position - 1];
}

/** The three labels of the digit step, as the page chose them. */
export async function digitLabels(page: Page): Promise<string[]> {
  const labels = page.locator('label').filter({ hasText: /^\s*\d(st|nd|rd|th) digit\s*$/ });
  await expect(labels).toHaveCount(3);
  return (await labels.allTextContents()).map((text) => text.trim());
}

/** Logs in and lands on the home page, headed with the login's organisation. */
export async function logIn(page: Page, login: Login = allyPally): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email address', { exact: true }).fill(login.email);
  await page.getByLabel('Password', { exact: true }).fill(login.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  for (const label of await digitLabels(page)) {
    await page.getByLabel(label, { exact: true }).fill(digitFor(label, login.securityCode));
  }
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(login.organisation);
}

/** The password the password-reset test gives the Bedford login. */
export const passwordAfterReset = 'quilt harbour meadow lantern';

/**
 * Logs in as the Bedford day-opportunities contact, whose password the password-reset test
 * changes: with the demo password, or else with the one that test chose.
 */
export async function logInAsDayOpportunities(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email address', { exact: true }).fill(dayOpportunities.email);
  await page.getByLabel('Password', { exact: true }).fill(dayOpportunities.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  const digits = page.locator('label').filter({ hasText: /^\s*\d(st|nd|rd|th) digit\s*$/ });
  await digits.first().or(page.locator('.govuk-error-summary')).waitFor();
  const login = (await digits.count()) > 0 ? dayOpportunities : { ...dayOpportunities, password: passwordAfterReset };
  if (login !== dayOpportunities) {
    await page.getByLabel('Password', { exact: true }).fill(login.password);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  for (const label of await digitLabels(page)) {
    await page.getByLabel(label, { exact: true }).fill(digitFor(label, login.securityCode));
  }
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(login.organisation);
}

/** The portal's main navigation bar. */
export function mainNavigation(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Opens the actuals page from the navigation; it settles on the first service and this week. */
export async function openActuals(page: Page): Promise<void> {
  await mainNavigation(page).getByRole('link', { name: 'Actuals', exact: true }).click();
  await expect(page).toHaveURL(/\/actuals\/[^/]+\/\d{4}-\d{2}-\d{2}/);
}

/** Fails on any axe violation of impact "serious" or "critical", naming each. */
export async function expectNoSeriousAccessibilityViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

/** Types a date into a GOV.UK date input, found by its legend. */
export async function fillDate(page: Page, legend: string, date: string): Promise<void> {
  const [day, month, year] = date.split('/');
  const group = page.getByRole('group', { name: legend, exact: true });
  await group.getByLabel('Day', { exact: true }).fill(day);
  await group.getByLabel('Month', { exact: true }).fill(month);
  await group.getByLabel('Year', { exact: true }).fill(year);
}
