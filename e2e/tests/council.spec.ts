import path from 'node:path';
import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  allyPally,
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logIn,
  mainNavigation,
} from '../support/portal';

const singleHanded = 'Homecare Flexible - Bradford - Single-handed';

const cpliHeadings = [
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

/** A table row's cells as the eye reads them (without visually hidden text). */
async function rowTexts(row: Locator): Promise<string[]> {
  return row.locator('th, td').evaluateAll((cells) =>
    cells.map((cell) => {
      const copy = cell.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.govuk-visually-hidden').forEach((hidden) => hidden.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    }),
  );
}

function cpliRows(page: Page): Locator {
  return page.getByRole('table', { name: 'Care package line items' }).locator('tbody tr');
}

async function cpliCells(row: Locator): Promise<Record<string, string>> {
  const texts = await rowTexts(row);
  expect(texts).toHaveLength(cpliHeadings.length);
  return Object.fromEntries(cpliHeadings.map((heading, index) => [heading, texts[index]]));
}

function versionRows(page: Page): Locator {
  return page.getByRole('table', { name: 'Versions' }).locator('tbody tr');
}

function errorSummary(page: Page): Locator {
  return page.locator('.govuk-error-summary');
}

function banner(page: Page): Locator {
  return page.locator('.govuk-notification-banner');
}

// One flow in one test: the provider's view and the rate change build on the council's
// new client and care package (the tests share one database).
test('council staff commission care for a new client, the provider sees it, and a new rate versions it', async ({
  browser,
}) => {
  // axe-core needs pages of contexts made with browser.newContext().
  const councilContext = await browser.newContext();
  const page = await councilContext.newPage();
  let cpliId = '';

  await test.step('council staff log in to the council tasks and navigation', async () => {
    await logIn(page, bradfordCouncil);
    await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText([
      'Care Package Line Items',
      'Clients',
      'Organisations and contracts',
      'Accounts',
      'Tools',
      'Council settings',
      'Your account',
    ]);
    await expect(mainNavigation(page).getByRole('link')).toHaveText([
      'Home',
      'Actuals',
      'Disputes',
      'One-Off Claims',
      'Care Package Line Items',
      'Scheduled Payments',
      'Invoices/Credit Notes',
      'Reports',
      'Actions',
      'Change requests',
      'Contract documents',
      'Clients',
      'Organisations and contracts',
      'Accounts',
      'Tools',
      'Council settings',
    ]);
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('an empty client form links each missing field from the error summary', async () => {
    await mainNavigation(page).getByRole('link', { name: 'Clients' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Clients');
    await page.getByRole('link', { name: 'Add a client' }).click();
    await expect(page).toHaveURL(/\/clients\/new$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add a client');

    await page.getByRole('button', { name: 'Add client' }).click();
    const summary = errorSummary(page);
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('heading')).toHaveText('There is a problem');
    const links = summary.getByRole('link');
    await expect(links).toHaveText(['Enter the SSRef', 'Enter the first name', 'Enter the last name']);
    await expect(links.nth(0)).toHaveAttribute('href', '#ssref');
    await expect(links.nth(1)).toHaveAttribute('href', '#forename');
    await expect(links.nth(2)).toHaveAttribute('href', '#surname');
    // Each field says its own error, and the page title says there is one.
    await expect(page.locator('#ssref-error')).toHaveText('Error: Enter the SSRef');
    await expect(page.locator('#forename-error')).toHaveText('Error: Enter the first name');
    await expect(page.locator('#surname-error')).toHaveText('Error: Enter the last name');
    await expect(page.getByLabel('Last name', { exact: true })).toHaveAttribute('aria-describedby', 'surname-error');
    await expect(page).toHaveTitle(/^Error: Add a client/);
    await links.nth(1).click();
    await expect(page.getByLabel('First name', { exact: true })).toBeFocused();
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('add the client Ms Ada Lovelace', async () => {
    await page.getByLabel('SSRef', { exact: true }).fill('AL1815');
    await page.getByLabel('Title (optional)', { exact: true }).fill('Ms');
    await page.getByLabel('First name', { exact: true }).fill('Ada');
    await page.getByLabel('Last name', { exact: true }).fill('Lovelace');
    await page.getByRole('button', { name: 'Add client' }).click();

    await expect(page).toHaveURL(/\/clients\?search=AL1815$/);
    await expect(banner(page)).toContainText('Client Ms Ada Lovelace (AL1815) added');
    await expect(page.getByLabel('Search by SSRef or name')).toHaveValue('AL1815');
    const rows = page.getByRole('table', { name: 'Clients' }).locator('tbody tr');
    await expect(rows).toHaveCount(1);
    expect(await rowTexts(rows.first())).toEqual(['AL1815', 'Ms Ada Lovelace', '', 'Change']);
    await expect(rows.first().getByRole('link', { name: 'Change Ms Ada Lovelace (AL1815)' })).toHaveAttribute(
      'href',
      /\/clients\/\d+\/edit$/,
    );
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('add a care package line item for her at Ally Pally', async () => {
    await mainNavigation(page).getByRole('link', { name: 'Care Package Line Items' }).click();
    await page.getByRole('link', { name: 'Add a care package line item' }).click();
    await expect(page).toHaveURL(/\/cplis\/new$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add a care package line item');

    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Lovelace, Ada (AL1815)' });
    await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Ally Pally Home Care' });
    await page.getByLabel('Service level', { exact: true }).selectOption({ label: singleHanded });
    await expect(page.locator('#service-level-rate')).toHaveText('Current rate: £20.00 per hour, from 01/04/2019');
    await fillDate(page, 'Start date', '13/06/2022');
    await page.getByLabel('Hours per week', { exact: true }).fill('10');
    await page.getByLabel('Planned visits per week', { exact: true }).fill('10');
    await expect(page.getByLabel('Authorised', { exact: true })).toBeChecked();

    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({
      path: path.join(__dirname, '..', 'screenshots', 'council-new-cpli.png'),
      fullPage: true,
    });

    await page.getByRole('button', { name: 'Add care package line item' }).click();
    await expect(page).toHaveURL(/\/cplis\/\d+$/);
    cpliId = page.url().split('/').pop() ?? '';
    await expect(banner(page)).toContainText(`Care package line item ${cpliId} created`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Care package line item ${cpliId}`);
    const summary = page.locator('.govuk-summary-list');
    await expect(summary).toContainText('Lovelace, Ada (AL1815)');
    await expect(summary).toContainText('10 x Hours at £20.00 (Spot)');
    await expect(summary).toContainText('£200.00 Weekly');
    await expect(versionRows(page)).toHaveCount(1);
  });

  await test.step('the Ally Pally provider sees the new line item and can filter to it', async () => {
    const providerContext = await browser.newContext();
    const provider = await providerContext.newPage();
    await logIn(provider, allyPally);
    await expect(mainNavigation(provider).getByRole('link')).toHaveText([
      'Home',
      'Actuals',
      'Disputes',
      'One-Off Claims',
      'Care Package Line Items',
      'Scheduled Payments',
      'Invoices/Credit Notes',
      'POs',
      'Reports',
      'Actions',
      'Change requests',
      'Contract documents',
      'Organisation details',
    ]);
    await mainNavigation(provider).getByRole('link', { name: 'Care Package Line Items' }).click();
    const lovelace = cpliRows(provider).filter({ hasText: 'Lovelace, Ada' });
    await expect(lovelace).toHaveCount(1);
    expect(await cpliCells(lovelace)).toMatchObject({
      SSRef: 'AL1815',
      Client: 'Lovelace, Ada',
      Service: 'Ally Pally Home Care',
      'Service Level': singleHanded,
      Start: '13/06/2022',
      End: '-',
      Cost: '£200.00 Weekly',
      Pricing: '10 x Hours at £20.00 (Spot)',
      'CPLI ID': cpliId,
      Auth: 'Yes',
    });
    expect(await cpliRows(provider).count()).toBeGreaterThan(1);

    await provider.getByLabel('Client', { exact: true }).selectOption({ label: 'Lovelace, Ada (AL1815)' });
    await provider.getByRole('button', { name: 'View' }).click();
    await expect(provider).toHaveURL(/\/cplis\?client=\d+$/);
    await expect(cpliRows(provider)).toHaveCount(1);
    expect((await cpliCells(cpliRows(provider).first())).Client).toBe('Lovelace, Ada');

    await test.step('the provider reads its organisation details', async () => {
      await mainNavigation(provider).getByRole('link', { name: 'Organisation details' }).click();
      await expect(provider).toHaveURL(/\/organisation$/);
      await expect(provider.getByRole('heading', { level: 1 })).toHaveText('Organisation details');
      await expect(provider.getByText('Changes to these details are requests the council reviews')).toBeVisible();
      await expect(provider.getByRole('link', { name: 'Request a change to Ally Pally Ltd' })).toHaveCount(0);
      await expect(provider.getByRole('heading', { name: 'Ally Pally Ltd', exact: true })).toBeVisible();
      await expect(provider.getByRole('heading', { name: 'Ally Pally Home Care' })).toBeVisible();
      await expectNoSeriousAccessibilityViolations(provider);
    });

    // Council pages are not for providers.
    await provider.goto('/clients');
    await expect(provider.getByRole('heading', { level: 1 })).toHaveText('This page is for council staff');
    await providerContext.close();
  });

  await test.step('a new rate from 01/07/2022 gives the line item a second version', async () => {
    await mainNavigation(page).getByRole('link', { name: 'Organisations and contracts' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Organisations and contracts');
    await expect(page.getByRole('heading', { name: 'Ally Pally Ltd', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Contract: Ally Pally Care' })).toBeVisible();
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByRole('link', { name: `Change the rate of ${singleHanded}` }).click();
    await expect(page).toHaveURL(/\/service-levels\/\d+\/rates\/new$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change the rate from a date');
    await expect(page.getByText('£20.00 from 01/04/2019')).toBeVisible();
    await fillDate(page, 'Change from', '01/07/2022');
    await page.getByLabel('New rate', { exact: true }).fill('21.00');
    await page.getByRole('button', { name: 'Save the new rate' }).click();

    await expect(page).toHaveURL(/\/organisations$/);
    await expect(banner(page)).toContainText(
      new RegExp(`The rate of ${singleHanded} is £21\\.00 from 01/07/2022\\. \\d+ care package line items got a new version\\.`),
    );
    const level = page.getByRole('row', { name: new RegExp(singleHanded) });
    await expect(level.locator('.app-rates li')).toHaveText(['£20.00 from 01/04/2019', '£21.00 from 01/07/2022']);

    await page.goto(`/cplis/${cpliId}`);
    await expect(versionRows(page)).toHaveCount(2);
    expect(await rowTexts(versionRows(page).nth(0))).toEqual([
      '1',
      '13/06/2022',
      '30/06/2022',
      '10 x Hours at £20.00 (Spot)',
      '£200.00 Weekly',
    ]);
    expect(await rowTexts(versionRows(page).nth(1))).toEqual([
      '2',
      '01/07/2022',
      '-',
      '10 x Hours at £21.00 (Spot)',
      '£210.00 Weekly',
    ]);
  });

  await test.step('change the line item from a date: a third version', async () => {
    await expect(page.getByRole('heading', { name: 'Change from a date' })).toBeVisible();
    // The form starts from the latest version.
    await expect(page.getByLabel('Hours per week', { exact: true })).toHaveValue('10');

    await page.getByRole('button', { name: 'Save the change' }).click();
    const summary = errorSummary(page);
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Enter the date the change applies from',
      'Enter the planned visits per week',
    ]);
    await expect(summary.getByRole('link').first()).toHaveAttribute('href', '#effective-from-day');

    await fillDate(page, 'Change from', '04/07/2022');
    await page.getByLabel('Hours per week', { exact: true }).fill('12');
    await page.getByLabel('Planned visits per week', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Save the change' }).click();
    await expect(banner(page)).toContainText(`Care package line item ${cpliId} changed from 04/07/2022`);
    await expect(summary).toBeHidden();
    await expect(versionRows(page)).toHaveCount(3);
    expect(await rowTexts(versionRows(page).nth(1))).toEqual([
      '2',
      '01/07/2022',
      '03/07/2022',
      '10 x Hours at £21.00 (Spot)',
      '£210.00 Weekly',
    ]);
    expect(await rowTexts(versionRows(page).nth(2))).toEqual([
      '3',
      '04/07/2022',
      '-',
      '12 x Hours at £21.00 (Spot)',
      '£252.00 Weekly',
    ]);
    await expectNoSeriousAccessibilityViolations(page);
  });

  await councilContext.close();
});

test('council staff keep the council settings and bank holidays', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, bradfordCouncil);
  await mainNavigation(page).getByRole('link', { name: 'Council settings' }).click();
  await expect(page).toHaveURL(/\/council\/settings$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Council settings');
  await expect(page.getByLabel('Contact email address')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Action types' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Dispute reasons' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'VAT rates' })).toBeVisible();
  await expectNoSeriousAccessibilityViolations(page);

  await test.step('a bad email is pinned to its field', async () => {
    await page.getByLabel('Contact email address').fill('not an email');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(errorSummary(page)).toBeFocused();
    await expect(errorSummary(page).getByRole('link')).toHaveAttribute('href', '#contact-email');
    await expect(page.locator('#contact-email-error')).toContainText('Enter an email address in the correct format');

    await page.getByLabel('Contact email address').fill('provider.portal@bradford.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(banner(page)).toContainText('Council settings saved');
    await expect(errorSummary(page)).toBeHidden();
  });

  await test.step('add a bank holiday in 2031, then remove it', async () => {
    await page.getByRole('button', { name: 'Add bank holiday' }).click();
    await expect(errorSummary(page).getByRole('link')).toHaveText([
      "Enter the bank holiday's date",
      "Enter the bank holiday's name",
    ]);

    await fillDate(page, 'Date', '02/01/2031');
    await page.getByLabel('Name', { exact: true }).fill('Portal test day');
    await page.getByRole('button', { name: 'Add bank holiday' }).click();
    await expect(banner(page)).toContainText('Bank holiday Portal test day (02/01/2031) added');
    const holidays = page.getByRole('table', { name: 'Bank holidays in 2031' });
    const added = holidays.getByRole('row', { name: /Portal test day/ });
    await expect(added).toContainText('02/01/2031');

    await added.getByRole('button', { name: 'Remove Portal test day (02/01/2031)' }).click();
    await expect(banner(page)).toContainText('Bank holiday Portal test day (02/01/2031) removed');
    await expect(page.getByText('Portal test day', { exact: true })).toHaveCount(0);
  });

  await context.close();
});

test('council staff set up a provider from scratch and commission sessions on a timetable', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Unique names keep this test independent of the others and of earlier runs.
  const stamp = Date.now().toString(36).toUpperCase();
  const organisation = `Iris Day Services ${stamp}`;
  const contract = `Iris Day Opportunities ${stamp}`;
  const service = `Iris Day Centre ${stamp}`;
  const level = `Day Opportunities ${stamp} - Session`;
  const ssref = `IA${stamp}`;

  await logIn(page, bradfordCouncil);
  await mainNavigation(page).getByRole('link', { name: 'Organisations and contracts' }).click();

  await test.step('add an organisation', async () => {
    await page.getByRole('link', { name: 'Add an organisation' }).click();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expect(errorSummary(page).getByRole('link')).toHaveText(["Enter the organisation's name"]);
    await page.getByLabel('Name', { exact: true }).fill(organisation);
    await page.getByLabel('Town or city (optional)').fill('Bedford');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expect(page).toHaveURL(/\/organisations$/);
    await expect(banner(page)).toContainText(`Organisation ${organisation} added`);
  });

  await test.step('add a contract; a period start that is not a Monday is refused', async () => {
    await page.getByRole('link', { name: `Add a contract with ${organisation}` }).click();
    await expect(page.locator('.govuk-caption-l')).toHaveText(organisation);
    await page.getByLabel('Contract name', { exact: true }).fill(contract);
    await page.getByLabel('Contract type group', { exact: true }).fill('Day Opportunities');
    await page.getByLabel('Invoiced, pay on actuals').check();
    await page.getByLabel('Four-weekly').check();
    await fillDate(page, 'The first period starts on', '29/03/2022');
    await page.getByLabel('VAT rate', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Add contract' }).click();
    const summary = errorSummary(page);
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([/^The first period's start must be a Monday/]);
    await expect(summary.getByRole('link')).toHaveAttribute('href', '#period-anchor-day');
    await expectNoSeriousAccessibilityViolations(page);

    await fillDate(page, 'The first period starts on', '28/03/2022');
    await page.getByRole('button', { name: 'Add contract' }).click();
    await expect(banner(page)).toContainText(`Contract ${contract} added`);
    const section = page.getByRole('region', { name: `Contract: ${contract}` });
    await expect(section).toContainText('Invoiced, pay on actuals');
    await expect(section).toContainText('Four-weekly');
    await expect(section).toContainText('28/03/2022');
    await expect(section).toContainText('20%');
  });

  await test.step('add a service and a timetabled service level to the contract', async () => {
    await page.getByRole('link', { name: `Add a service to ${contract}` }).click();
    await page.getByLabel('Service name', { exact: true }).fill(service);
    await page.getByRole('button', { name: 'Add service' }).click();
    await expect(banner(page)).toContainText(`Service ${service} added`);

    await page.getByRole('link', { name: `Add a service level to ${contract}` }).click();
    await page.getByLabel('Service level name', { exact: true }).fill(level);
    await page.getByLabel('Session', { exact: true }).check();
    await page.getByLabel(/^Timetabled/).check();
    await page.getByLabel('Rate', { exact: true }).fill('214.46');
    await fillDate(page, 'Rate applies from', '28/03/2022');
    await page.getByRole('button', { name: 'Add service level' }).click();
    await expect(banner(page)).toContainText(`Service level ${level} added`);
    const section = page.getByRole('region', { name: `Contract: ${contract}` });
    await expect(section.getByRole('listitem').filter({ hasText: service })).toBeVisible();
    await expect(section.getByRole('row', { name: new RegExp(level) })).toContainText('£214.46 from 28/03/2022');

    await section.getByRole('link', { name: `Edit ${level}` }).click();
    await expect(page.getByLabel('Service level name', { exact: true })).toHaveValue(level);
    await page.getByLabel('Cost centre (optional)', { exact: true }).fill('Physical Support 65+');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(banner(page)).toContainText(`Service level ${level} saved`);
  });

  await test.step('add a client and a timetabled care package line item (E15)', async () => {
    await page.goto('/clients/new');
    await page.getByLabel('SSRef', { exact: true }).fill(ssref);
    await page.getByLabel('First name', { exact: true }).fill('Iris');
    await page.getByLabel('Last name', { exact: true }).fill('Angelo');
    await page.getByRole('button', { name: 'Add client' }).click();
    await expect(banner(page)).toContainText(`Client Iris Angelo (${ssref}) added`);

    await test.step('correct the client; a stale form is refused', async () => {
      await page.getByRole('link', { name: `Change Iris Angelo (${ssref})` }).click();
      await expect(page).toHaveURL(/\/clients\/\d+\/edit$/);
      await expect(page.getByLabel('First name', { exact: true })).toHaveValue('Iris');
      await page.getByLabel('Title (optional)', { exact: true }).fill('Mrs');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(banner(page)).toContainText(`Client Mrs Iris Angelo (${ssref}) saved`);

      // Someone else saves the client while this form is open.
      await page.getByRole('link', { name: `Change Mrs Iris Angelo (${ssref})` }).click();
      await expect(page.getByLabel('Title (optional)', { exact: true })).toHaveValue('Mrs');
      const clientId = page.url().split('/').at(-2);
      const status = await page.evaluate(async ([id, ssref]) => {
        // The SPA keeps its token in memory; a tool in the page gets its own from the
        // refresh cookie, as a second tab would.
        const session = await (await fetch('/api/v1/auth/refresh', { method: 'POST' })).json();
        const response = await fetch(`/api/v1/clients/${id}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.access_token}` },
          body: JSON.stringify({ version: 2, ssref, title: 'Ms', forename: 'Iris', surname: 'Angelo' }),
        });
        return response.status;
      }, [clientId, ssref]);
      expect(status).toBe(200);
      await page.getByLabel('Title (optional)', { exact: true }).fill('Dr');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(errorSummary(page)).toBeFocused();
      await expect(errorSummary(page)).toContainText('Someone changed this client first. Reload to see their version.');
      await page.getByRole('link', { name: 'Reload' }).click();
      await expect(page.getByLabel('Title (optional)', { exact: true })).toHaveValue('Ms');
    });

    await page.goto('/cplis/new');
    await page.getByLabel('Client', { exact: true }).selectOption({ label: `Angelo, Iris (${ssref})` });
    await page.getByLabel('Service', { exact: true }).selectOption({ label: service });
    await page.getByLabel('Service level', { exact: true }).selectOption({ label: level });
    await fillDate(page, 'Start date', '28/03/2022');
    await fillDate(page, 'End date (optional)', '24/04/2022');

    const timetable = page.getByRole('group', { name: 'Timetable' });
    const row = (number: number) => timetable.getByRole('group', { name: `Row ${number}: days` });
    for (const day of ['Monday', 'Wednesday', 'Friday']) {
      await row(1).getByLabel(day).check();
    }
    await timetable.getByLabel('Row 1: sessions on each day').fill('1');
    await timetable.getByRole('button', { name: 'Add row' }).click();
    await expect(row(2).getByLabel('Monday')).toBeFocused();
    for (const day of ['Tuesday', 'Thursday']) {
      await row(2).getByLabel(day).check();
    }
    await timetable.getByLabel('Row 2: sessions on each day').fill('1');
    await timetable.getByRole('button', { name: 'Add row' }).click();
    await expect(row(3)).toBeVisible();
    await timetable.getByRole('button', { name: 'Remove row 3' }).click();
    await expect(row(3)).toHaveCount(0);
    await expect(timetable.getByRole('button', { name: 'Add row' })).toBeFocused();
    await expect(timetable).toContainText('5 sessions a week in all');
    await page.getByLabel('Planned visits per week', { exact: true }).fill('5');
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByRole('button', { name: 'Add care package line item' }).click();
    await expect(page).toHaveURL(/\/cplis\/\d+$/);
    await expect(banner(page)).toContainText(/Care package line item \d+ created/);
    const summary = page.locator('.govuk-summary-list');
    await expect(summary).toContainText('Angelo, Iris');
    await expect(summary).toContainText('£1,072.30 Weekly (Timetabled)');
    await expect(summary).toContainText('5 x Sessions (Timetabled Pricing) (Spot)');
    await expect(summary).toContainText('24/04/2022');
  });

  await context.close();
});

test('council staff edit and deactivate organisations, contracts, services, levels and clients; a stale edit is refused', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Unique names keep this test independent of the others and of earlier runs.
  const stamp = Date.now().toString(36).toUpperCase();
  const organisation = `Juniper Care ${stamp}`;
  const renamed = `Juniper Home Care ${stamp}`;
  const contract = `Juniper Homecare ${stamp}`;

  await logIn(page, bradfordCouncil);
  await mainNavigation(page).getByRole('link', { name: 'Organisations and contracts' }).click();
  await page.getByRole('link', { name: 'Add an organisation' }).click();
  await page.getByLabel('Name', { exact: true }).fill(organisation);
  await page.getByRole('button', { name: 'Add organisation' }).click();
  await expect(banner(page)).toContainText(`Organisation ${organisation} added`);

  let editUrl = '';
  await test.step('rename the organisation; the list shows the new name', async () => {
    await page.getByRole('link', { name: `Edit ${organisation}`, exact: true }).click();
    await expect(page).toHaveURL(/\/organisations\/\d+\/edit$/);
    editUrl = new URL(page.url()).pathname;
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(organisation);
    await page.getByLabel('Name', { exact: true }).fill(renamed);
    await page.getByLabel('Town or city (optional)').fill('Keighley');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(/\/organisations$/);
    await expect(banner(page)).toContainText(`Organisation ${renamed} saved`);
    const section = page.getByRole('region', { name: renamed, exact: true });
    await expect(section.getByRole('heading', { level: 2 })).toHaveText(renamed);
    await expect(section).toContainText('Keighley');
  });

  await test.step('a second, stale edit is refused with 409', async () => {
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await logIn(other, bradfordCouncil);
    await page.goto(editUrl);
    await other.goto(editUrl);
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(renamed);
    await expect(other.getByLabel('Name', { exact: true })).toHaveValue(renamed);
    await page.getByLabel('Telephone (optional)').fill('01535 000000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(banner(page)).toContainText(`Organisation ${renamed} saved`);
    await other.getByLabel('Telephone (optional)').fill('01535 111111');
    await other.getByRole('button', { name: 'Save changes' }).click();
    await expect(errorSummary(other)).toBeFocused();
    await expect(errorSummary(other)).toContainText(
      'Someone changed this organisation first. Reload to see their changes.',
    );
    await otherContext.close();
  });

  await test.step('edit a contract: frustrated-unit comments and the plan-exceeded threshold', async () => {
    await page.getByRole('link', { name: `Add a contract with ${renamed}` }).click();
    await page.getByLabel('Contract name', { exact: true }).fill(contract);
    await page.getByLabel('Contract type group', { exact: true }).fill('Homecare');
    await page.getByLabel('Scheduled, pay on actuals').check();
    await page.getByLabel('Weekly', { exact: true }).check();
    await fillDate(page, 'The first period starts on', '04/04/2022');
    await page.getByLabel('VAT rate', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Add contract' }).click();
    await expect(banner(page)).toContainText(`Contract ${contract} added`);

    await page.getByRole('link', { name: `Edit contract ${contract}`, exact: true }).click();
    await expect(page).toHaveURL(/\/contracts\/\d+\/edit$/);
    await expect(page.getByLabel('Contract name', { exact: true })).toHaveValue(contract);
    const planExceeded = page.getByRole('group', { name: 'Plan exceeded for week', exact: true });
    await expect(planExceeded.getByLabel('Raise this exception')).toBeChecked();
    await planExceeded.getByLabel('Threshold', { exact: true }).fill('10');
    await page
      .getByLabel('Frustrated units only with these comments', { exact: true })
      .fill('Hospital Week 1\nHospital Week 2');
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(/\/organisations$/);
    await expect(banner(page)).toContainText(`Contract ${contract} saved`);
    const section = page.getByRole('region', { name: `Contract: ${contract}` });
    await expect(section).toContainText('Hospital Week 1, Hospital Week 2');
    await expect(section).toContainText(/Plan exceeded for week: over 10(\.0+)?%/);

    await page.getByRole('link', { name: `Edit contract ${contract}`, exact: true }).click();
    await expect(page.getByLabel('Frustrated units only with these comments', { exact: true })).toHaveValue(
      'Hospital Week 1\nHospital Week 2',
    );
    await expect(
      page.getByRole('group', { name: 'Plan exceeded for week', exact: true }).getByLabel('Threshold', { exact: true }),
    ).toHaveValue(/^10(\.0+)?$/);
  });

  await test.step('edit a service, then deactivate it, its service level and the contract', async () => {
    const service = `Juniper Keighley ${stamp}`;
    const level = `Juniper Homecare ${stamp} - Hour`;
    await page.getByRole('link', { name: 'Back to organisations and contracts' }).click();
    await page.getByRole('link', { name: `Add a service to ${contract}` }).click();
    await page.getByLabel('Service name', { exact: true }).fill(`${service} (draft)`);
    await page.getByRole('button', { name: 'Add service' }).click();
    await page.getByRole('link', { name: `Add a service level to ${contract}` }).click();
    await page.getByLabel('Service level name', { exact: true }).fill(level);
    await page.getByLabel('Hour', { exact: true }).check();
    await page.getByLabel(/^Per unit/).check();
    await page.getByLabel('Rate', { exact: true }).fill('18.50');
    await fillDate(page, 'Rate applies from', '04/04/2022');
    await page.getByRole('button', { name: 'Add service level' }).click();
    await expect(banner(page)).toContainText(`Service level ${level} added`);

    let section = page.getByRole('region', { name: `Contract: ${contract}` });
    await section.getByRole('link', { name: `Edit service ${service} (draft)` }).click();
    await expect(page).toHaveURL(/\/services\/\d+\/edit$/);
    await expect(page.locator('.govuk-caption-l')).toHaveText(`Contract: ${contract}`);
    await page.getByLabel('Service name', { exact: true }).fill(service);
    await page.getByLabel('Postcode (optional)').fill('BD21 1AA');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(banner(page)).toContainText(`Service ${service} saved`);
    section = page.getByRole('region', { name: `Contract: ${contract}` });
    await expect(section.getByRole('listitem').filter({ hasText: service })).toBeVisible();

    // Deactivating asks first; Cancel leaves the service as it was.
    await section.getByRole('link', { name: `Edit service ${service}` }).click();
    await expect(page.getByLabel('Postcode (optional)')).toHaveValue('BD21 1AA');
    await page.getByRole('button', { name: `Deactivate ${service}` }).click();
    await expect(page.getByRole('alert')).toContainText(`Deactivate ${service}? It will no longer be offered`);
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await page.getByRole('button', { name: `Deactivate ${service}` }).click();
    await page.getByRole('button', { name: `Yes, deactivate ${service}` }).click();
    await expect(page).toHaveURL(/\/organisations$/);
    await expect(banner(page)).toContainText(`Service ${service} deactivated`);
    section = page.getByRole('region', { name: `Contract: ${contract}` });
    await expect(section).toContainText('No services yet.');

    await section.getByRole('link', { name: `Edit ${level}` }).click();
    await page.getByRole('button', { name: `Deactivate ${level}` }).click();
    await page.getByRole('button', { name: `Yes, deactivate ${level}` }).click();
    await expect(banner(page)).toContainText(`Service level ${level} deactivated`);
    section = page.getByRole('region', { name: `Contract: ${contract}` });
    await expect(section).toContainText('No service levels yet.');

    await section.getByRole('link', { name: `Edit contract ${contract}`, exact: true }).click();
    await page.getByRole('button', { name: `Deactivate ${contract}` }).click();
    await page.getByRole('button', { name: `Yes, deactivate ${contract}` }).click();
    await expect(banner(page)).toContainText(`Contract ${contract} deactivated`);
    await expect(page.getByRole('region', { name: `Contract: ${contract}` })).toHaveCount(0);
    await expect(page.getByRole('region', { name: renamed, exact: true })).toContainText('No contracts yet.');
  });

  await test.step('deactivate the organisation from the list', async () => {
    const section = page.getByRole('region', { name: renamed, exact: true });
    await section.getByRole('button', { name: `Deactivate ${renamed}` }).click();
    await section.getByRole('button', { name: `Yes, deactivate ${renamed}` }).click();
    await expect(banner(page)).toContainText(`Organisation ${renamed} deactivated`);
    await expect(page.getByRole('region', { name: renamed, exact: true })).toHaveCount(0);
  });

  await test.step('deactivate a client; the client list no longer finds them', async () => {
    const ssref = `JC${stamp}`;
    await page.goto('/clients/new');
    await page.getByLabel('SSRef', { exact: true }).fill(ssref);
    await page.getByLabel('First name', { exact: true }).fill('June');
    await page.getByLabel('Last name', { exact: true }).fill('Hart');
    await page.getByRole('button', { name: 'Add client' }).click();
    await expect(banner(page)).toContainText(`Client June Hart (${ssref}) added`);
    await page.getByRole('link', { name: `Change June Hart (${ssref})` }).click();
    await page.getByRole('button', { name: `Deactivate Hart, June (${ssref})` }).click();
    await page.getByRole('button', { name: `Yes, deactivate Hart, June (${ssref})` }).click();
    await expect(page).toHaveURL(/\/clients$/);
    await expect(banner(page)).toContainText(`Client Hart, June (${ssref}) deactivated`);
    await page.getByLabel('Search by SSRef or name').fill(ssref);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByRole('status')).toBeVisible();
    await expect(page.getByRole('link', { name: `Change June Hart (${ssref})` })).toHaveCount(0);
  });

  await context.close();
});
