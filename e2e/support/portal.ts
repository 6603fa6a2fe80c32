import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The demo world's Ally Pally contact (the server's `--demo` prints these). */
export const allyPally = {
  email: 'contact@allypally.example',
  password: 'portal-demo-2022',
  securityCode: '240613',
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

export async function logIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email address', { exact: true }).fill(allyPally.email);
  await page.getByLabel('Password', { exact: true }).fill(allyPally.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  for (const label of await digitLabels(page)) {
    await page.getByLabel(label, { exact: true }).fill(digitFor(label));
  }
  await page.getByRole('button', { name: 'Log in' }).click();
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
