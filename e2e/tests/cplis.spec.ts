import path from 'node:path';
import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  diamondHomeCare,
  expectNoSeriousAccessibilityViolations,
  logIn,
  mainNavigation,
} from '../support/portal';

const headings = [
  'SSRef',
  'Client',
  'Service',
  'Service Level',
  'Start',
  'End',
  'Cost',
  'Pricing',
  'CPLI ID',
  'Auth',
];

function cpliTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Care package line items' });
}

function bodyRows(page: Page): Locator {
  return cpliTable(page).locator('tbody tr');
}

/** One row's cells by column heading, as the eye reads them (without visually hidden text). */
async function cellsOf(row: Locator): Promise<Record<string, string>> {
  const texts = await row.getByRole('cell').evaluateAll((cells) =>
    cells.map((cell) => {
      const copy = cell.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.govuk-visually-hidden').forEach((hidden) => hidden.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    }),
  );
  expect(texts).toHaveLength(headings.length);
  return Object.fromEntries(headings.map((heading, index) => [heading, texts[index]]));
}

async function firstClient(page: Page): Promise<string> {
  return (await cellsOf(bodyRows(page).first())).Client;
}

test('a provider finds the care packages commissioned from them', async ({ browser }) => {
  // axe-core needs a page of a context made with browser.newContext().
  const context = await browser.newContext();
  const page = await context.newPage();

  await test.step('log in and land on the home page, with a tile per task', async () => {
    await logIn(page, diamondHomeCare);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diamond Home Care');
    await expect(page.getByText('Pick a task...')).toBeVisible();
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { level: 2 })).toHaveText([
      'Actuals',
      'Care Package Line Items',
      'Organisation details',
      'Your account',
    ]);
    await expect(main.getByText('Submit your actuals using the online form.')).toBeVisible();
    await expect(main.getByText('View the care packages commissioned from you.')).toBeVisible();
    await expect(mainNavigation(page).getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('follow the Care Package Line Items tile', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Care Package Line Items' }).click();
    await expect(page).toHaveURL(/\/cplis$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Care Package Line Items');
    // Care packages are commissioned by the council, not added by providers.
    await expect(page.getByRole('link', { name: 'Add a care package line item' })).toHaveCount(0);
    await expect(mainNavigation(page).getByRole('link', { name: 'Care Package Line Items' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(mainNavigation(page).getByRole('link', { name: 'Home' })).not.toHaveAttribute('aria-current');
  });

  await test.step('the table has the guides\' columns and Monica Geller\'s package', async () => {
    const headers = cpliTable(page).getByRole('columnheader');
    await expect(headers).toHaveText(headings);
    await expect(bodyRows(page)).toHaveCount(4);
    await expect(page.getByRole('status').filter({ hasText: 'care package line items' })).toHaveText(
      '4 care package line items',
    );

    const geller = bodyRows(page).filter({ hasText: 'Geller, Monica' });
    await expect(geller).toHaveCount(1);
    const cells = await cellsOf(geller);
    expect(cells).toMatchObject({
      SSRef: 'MG123',
      Client: 'Geller, Monica',
      Service: 'Diamond Home Care - Marple',
      'Service Level': 'Home Care - Single Assist Fixed Rate',
      Start: '24/06/2019',
      End: '-',
      Cost: '£226.24 Weekly',
      Pricing: '14 x Hours at £16.16 (Spot)',
      Auth: 'Yes',
    });
    await expect(geller.getByRole('cell').nth(headings.indexOf('Cost'))).toHaveClass(/govuk-table__cell--numeric/);
    await expect(geller.getByRole('link')).toHaveAttribute('href', `/cplis/${cells['CPLI ID']}`);
  });

  await test.step('filter by service; a reload keeps the filter; Reset clears it', async () => {
    const service = page.getByLabel('Service', { exact: true });
    await service.selectOption({ label: 'Diamond Home Care - Tame Valley' });
    await page.getByRole('button', { name: 'View' }).click();
    await expect(page).toHaveURL(/\/cplis\?service=\d+$/);
    await expect(bodyRows(page)).toHaveCount(1);
    await expect(bodyRows(page).first()).toContainText('Buffay, Phoebe');
    expect(await cellsOf(bodyRows(page).first())).toMatchObject({
      Client: 'Buffay, Phoebe',
      Cost: '£56.56 Weekly',
      Pricing: '3.5 x Hours at £16.16 (Spot)',
    });

    await page.reload();
    await expect(bodyRows(page)).toHaveCount(1);
    await expect(bodyRows(page).first()).toContainText('Buffay, Phoebe');
    await expect(service.locator('option:checked')).toHaveText('Diamond Home Care - Tame Valley');

    // Nothing matches Tame Valley and Monica Geller together.
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Geller, Monica (MG123)' });
    await page.getByRole('button', { name: 'View' }).click();
    await expect(bodyRows(page)).toHaveCount(0);
    await expect(page.getByText('No care package line items match these filters.')).toBeVisible();

    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page).toHaveURL(/\/cplis$/);
    await expect(bodyRows(page)).toHaveCount(4);
    await expect(service).toHaveValue('');
  });

  await test.step('sort by client, both ways, and by cost as money', async () => {
    const clientHeader = cpliTable(page).getByRole('columnheader', { name: 'Client' });
    const clientButton = clientHeader.getByRole('button', { name: 'Client' });
    await expect(clientHeader).toHaveAttribute('aria-sort', 'none');

    await clientButton.click();
    await expect(clientHeader).toHaveAttribute('aria-sort', 'ascending');
    expect(await firstClient(page)).toBe('Buffay, Phoebe');

    // The keyboard works too: Enter on the focused button flips the order.
    await clientButton.focus();
    await page.keyboard.press('Enter');
    await expect(clientHeader).toHaveAttribute('aria-sort', 'descending');
    expect(await firstClient(page)).toBe('Tribbiani, Joey');
    await expect(cpliTable(page).locator('th[aria-sort="none"]')).toHaveCount(headings.length - 1);

    const costHeader = cpliTable(page).getByRole('columnheader', { name: 'Cost' });
    await costHeader.getByRole('button').click();
    await expect(costHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect(clientHeader).toHaveAttribute('aria-sort', 'none');
    expect((await cellsOf(bodyRows(page).last())).Cost).toBe('£226.24 Weekly');

    await clientButton.click();
    await clientButton.click();
    await expect(clientHeader).toHaveAttribute('aria-sort', 'descending');
    expect(await firstClient(page)).toBe('Tribbiani, Joey');

    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({
      path: path.join(__dirname, '..', 'screenshots', 'cplis.png'),
      fullPage: true,
    });
  });

  await test.step('a CPLI ID opens the line item, with its one version', async () => {
    const geller = bodyRows(page).filter({ hasText: 'Geller, Monica' });
    const id = (await cellsOf(geller))['CPLI ID'];
    await geller.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/cplis/${id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Care package line item ${id}`);
    const summary = page.locator('.govuk-summary-list');
    await expect(summary).toContainText('Geller, Monica (MG123)');
    await expect(summary).toContainText('£226.24 Weekly');
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect(versions.getByRole('columnheader')).toHaveText(['Version', 'From', 'To', 'Pricing', 'Cost']);
    await expect(versions.locator('tbody tr')).toHaveCount(1);
    await expect(versions.locator('tbody tr').first().locator('th, td')).toHaveText([
      '1',
      '24/06/2019',
      '-',
      '14 x Hours at £16.16 (Spot)',
      '£226.24 Weekly',
    ]);
    // Providers read their care packages; only council staff change them.
    await expect(page.getByRole('heading', { name: 'Change from a date' })).toHaveCount(0);
    await expect(mainNavigation(page).getByRole('link', { name: 'Care Package Line Items' })).toHaveAttribute(
      'aria-current',
      'true',
    );
    await expectNoSeriousAccessibilityViolations(page);
  });

  await context.close();
});
