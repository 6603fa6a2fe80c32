// Reports (DOMAIN 12): each of the four reports is opened from the Reports page, filtered,
// viewed, checked against the guides' figures (E16) or the API's own answer, downloaded as
// CSV and scanned with axe. The demo world has no actuals, so each test first records what
// its report needs through the API, in weeks whose figures no spec running before it changes;
// doing so twice changes nothing, so the tests also pass on a database the other specs have
// used (the whole suite shares one).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type APIRequestContext, type Download, type Locator, type Page } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import {
  allyPally,
  bradfordCouncil,
  dayOpportunities,
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logIn,
  logInAsDayOpportunities,
  mainNavigation,
  passwordAfterReset,
} from '../support/portal';

const api = '/api/v1';
const screenshots = path.join(__dirname, '..', 'screenshots');
const needsParameters =
  'This report requires parameters. Please complete the fields above and press the View or Download Data button.';

// Ally Pally's weeks for these tests: one with an exception left open, one paid.
const exceptionWeek = '2022-05-30';
const paidWeek = '2022-04-25';
const SINGLE = 'Homecare Flexible - Bradford - Single-handed';

type Json = Record<string, any>;

async function getJson(request: APIRequestContext, token: string, url: string): Promise<Json> {
  const response = await request.get(`${api}${url}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status(), `${url}: ${await response.text()}`).toBe(200);
  return response.json();
}

async function send(
  request: APIRequestContext,
  token: string,
  method: 'post' | 'put',
  url: string,
  data: unknown,
): Promise<Json> {
  const response = await request[method](`${api}${url}`, { headers: { Authorization: `Bearer ${token}` }, data });
  expect(response.status(), `${url}: ${await response.text()}`).toBe(200);
  return response.json();
}

/** The Bedford contact's token: the password-reset spec may have changed their password. */
async function dayOpportunitiesToken(request: APIRequestContext): Promise<string> {
  const tried = await request.post(`${api}/auth/login`, {
    data: { email: dayOpportunities.email, password: dayOpportunities.password },
  });
  const login = tried.status() === 200 ? dayOpportunities : { ...dayOpportunities, password: passwordAfterReset };
  return apiToken(request, login);
}

async function serviceId(request: APIRequestContext, token: string, name: string): Promise<string> {
  const services = await getJson(request, token, '/services');
  const service = services.items.find((item: Json) => item.name === name);
  expect(service, `a service ${name}`).toBeTruthy();
  return service.id;
}

/** The week's actuals, generated from the plan where none are recorded yet. */
async function generatedWeek(request: APIRequestContext, token: string, service: string, week: string): Promise<Json> {
  const outcome = await send(request, token, 'post', `/services/${service}/weeks/${week}/actuals/generate`, {});
  return outcome.week;
}

function clientOf(week: Json, displayName: string): Json {
  const client = week.clients.find((entry: Json) => entry.client.display_name === displayName);
  expect(client, `${displayName} in the week`).toBeTruthy();
  return client;
}

function lineOf(client: Json, level: string): Json {
  const line = client.lines.find((entry: Json) => entry.service_level.name === level);
  expect(line, `a ${level} line`).toBeTruthy();
  return line;
}

/** E16's two weeks as the guide has them, and the same sessions two months on. The invoices
 * spec invoices the period of 28/03/2022 to 24/04/2022, and an invoice locks its weeks: on a
 * database that spec has used, the later weeks (same care package, same rate, so the same
 * figures) stand in for the guide's. */
const E16_WEEKS: [string, string][] = [
  ['2022-04-04', '2022-04-11'],
  ['2022-06-06', '2022-06-13'],
];

/** Example E16: Iris Angelo's first week 3 of 5 sessions, her second 4 and 1 frustrated.
 * Returns the two weeks' Mondays. */
async function recordE16(request: APIRequestContext): Promise<[string, string]> {
  const token = await dayOpportunitiesToken(request);
  const service = await serviceId(request, token, 'Day Opportunities PP Home');
  const headers = { Authorization: `Bearer ${token}` };
  let weeks = E16_WEEKS[0];
  const first = await request.post(`${api}/services/${service}/weeks/${weeks[0]}/actuals/generate`, {
    headers,
    data: {},
  });
  if (first.status() === 409 && (await first.json()).type === '/problems/week-locked') {
    weeks = E16_WEEKS[1];
  } else {
    expect(first.status(), await first.text()).toBe(200);
  }
  const session = (days: string[], frustrated = false) => ({ days, quantity: '1', frustrated, comment: '' });
  const recorded: [string, ReturnType<typeof session>[]][] = [
    [weeks[0], [session(['mon']), session(['tue', 'thu'])]],
    [weeks[1], [session(['mon', 'wed', 'fri']), session(['tue']), session(['thu'], true)]],
  ];
  for (const [week, sessions] of recorded) {
    const iris = clientOf(await generatedWeek(request, token, service, week), 'Mrs Iris Angelo');
    const line = lineOf(iris, 'Day Opportunities - Scheduled');
    const visits = sessions.reduce((sum, row) => sum + row.days.length, 0);
    await send(request, token, 'put', `/services/${service}/weeks/${week}/clients/${iris.client.id}/actuals`, {
      version: iris.version,
      lines: [
        {
          cpli_id: line.cpli_id,
          actual: '',
          frustrated: '',
          missed: '',
          extra: '',
          visits: String(visits),
          comment: 'As the centre recorded it',
          sessions,
        },
      ],
    });
  }
  return weeks;
}

/** "04/04/2022" from "2022-04-04", with `days` added. */
function shown(iso: string, days = 0): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toLocaleDateString('en-GB', { timeZone: 'UTC' });
}

/** Sid Waddell's week of 30/05/2022: three hours and two extra against one planned. */
async function recordSidsExtraHours(request: APIRequestContext, token: string): Promise<void> {
  const service = await serviceId(request, token, 'Ally Pally Home Care');
  await generatedWeek(request, token, service, exceptionWeek);
  const grid = await getJson(request, token, `/services/${service}/weeks/${exceptionWeek}/actuals`);
  const sid = clientOf(grid, 'Mr Sid Waddell');
  const line = lineOf(sid, SINGLE);
  await send(request, token, 'put', `/services/${service}/weeks/${exceptionWeek}/clients/${sid.client.id}/actuals`, {
    version: sid.version,
    lines: [
      {
        cpli_id: line.cpli_id,
        actual: '3',
        frustrated: '0',
        missed: '0',
        extra: '2',
        visits: line.visits,
        comment: 'Two extra hours while the family were away',
      },
    ],
  });
}

/** Council staff authorise and finalise Ally Pally's week of 25/04/2022, unless already paid. */
async function payAllyPallysWeek(request: APIRequestContext): Promise<void> {
  const council = await apiToken(request, bradfordCouncil);
  const contracts = await getJson(request, council, '/payment-contracts');
  const contract = contracts.items.find((item: Json) => item.name === 'Ally Pally Care');
  const periods = await getJson(request, council, `/contracts/${contract.id}/payment-periods?financial_year=2022/2023`);
  const summary = periods.items.find((item: Json) => item.start === paidWeek);
  expect(summary, `a period from ${paidWeek}`).toBeTruthy();
  let detail = await getJson(request, council, `/payment-periods/${summary.id}`);
  if (detail.period.status === 'finalised') {
    return;
  }
  if (detail.period.status !== 'authorised') {
    detail = await send(request, council, 'post', `/payment-periods/${summary.id}/authorise`, {
      version: detail.period.version,
    });
  }
  await send(request, council, 'post', `/payment-periods/${summary.id}/finalise`, { version: detail.period.version });
}

/** "£1,072.30" or "-£428.92" from the API's "1072.30" or "-428.92". */
function pounds(value: string): string {
  const amount = Number(value);
  const text = `£${Math.abs(amount).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return amount < 0 ? `-${text}` : text;
}

/** Opens a report from the Reports page, which lists all four. */
async function openReport(page: Page, name: string, heading: string): Promise<void> {
  await mainNavigation(page).getByRole('link', { name: 'Reports', exact: true }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reports');
  await expect(page.getByText('The following reports are currently available. Click to view.')).toBeVisible();
  await expect(page.getByRole('main').getByRole('link')).toHaveText([
    'Commissioned Vs Actuals',
    'Pending Payments Exceptions',
    'Pending Scheduled Payments',
    'Remittance Advice Provider Payments',
  ]);
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expect(page.getByRole('link', { name: 'Close and return' })).toHaveAttribute('href', '/reports');
  await expect(page.getByText(needsParameters)).toBeVisible();
}

/** Presses Download Data: the file's name and its lines. */
async function downloadData(page: Page): Promise<{ name: string; lines: string[] }> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Data', exact: true }).click();
  const download: Download = await downloading;
  const text = fs.readFileSync(await download.path(), 'utf8');
  return { name: download.suggestedFilename(), lines: text.trim().split(/\r?\n/) };
}

async function cellTexts(row: Locator): Promise<string[]> {
  return (await row.locator('th, td').allTextContents()).map((text) => text.trim());
}

/** A sortable table's column header, by its button. */
function header(table: Locator, name: string): Locator {
  return table.locator('thead th').filter({ has: table.page().getByRole('button', { name, exact: true }) });
}

test('Commissioned Vs Actuals: example E16 grouped, charted, sorted and downloaded', async ({ browser, request }) => {
  const [firstWeek, secondWeek] = await recordE16(request);
  const [first, second, last] = [shown(firstWeek), shown(secondWeek), shown(secondWeek, 6)];
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logInAsDayOpportunities(page);

  await test.step('the Reports page and the report before it is viewed', async () => {
    await openReport(page, 'Commissioned Vs Actuals', 'Commissioned Vs Actuals Report');
    await expect(page.getByLabel('Organisation', { exact: true })).toHaveValue(/\d+/);
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('a missing date is named in the error summary, and so is a range the API refuses', async () => {
    const from = page.getByRole('group', { name: 'Date From', exact: true });
    await from.getByLabel('Day', { exact: true }).fill('');
    await from.getByLabel('Month', { exact: true }).fill('');
    await from.getByLabel('Year', { exact: true }).fill('');
    await page.getByRole('button', { name: 'View', exact: true }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Enter the date from']);
    await expect(page).toHaveTitle(/^Error: /);
    await fillDate(page, 'Date From', '01/01/2020');
    await fillDate(page, 'Date To', '01/01/2023');
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await expect(summary.getByRole('link')).toHaveText([/^Date To must be within two years/]);
    await summary.getByRole('link').click();
    await expect(page.locator('#cva-to-day')).toBeFocused();
  });

  await test.step('View: the rows grouped by level and client, with the totals of E16', async () => {
    await fillDate(page, 'Date From', first);
    await fillDate(page, 'Date To', last);
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await expect(page.locator('.govuk-error-summary')).toBeHidden();
    await expect(page.getByText(needsParameters)).toBeHidden();
    await expect(page.getByTestId('report-description')).toHaveText(
      `Dates between ${first} and ${last}, Service Group Class = ANY, Provider = Day Opportunities PP Home, Client = ANY`,
    );
    const table = page.getByRole('table', { name: 'Day Opportunities - Scheduled, Service Start 28/03/2022' });
    await expect(table.getByRole('rowheader', { name: 'Angelo, Iris (A1)' })).toBeVisible();
    const body = table.locator('tbody tr');
    expect(await cellTexts(body.filter({ hasText: first }))).toEqual([
      first, 'N', '3', 'Physical Support 65+', 'Day Care',
      '5', '3', '0', '-2', '£1,072.30', '£643.38', '£0.00', '-£428.92',
    ]);
    expect(await cellTexts(body.filter({ hasText: second }))).toEqual([
      second, 'N', '5', 'Physical Support 65+', 'Day Care',
      '5', '4', '1', '0', '£1,072.30', '£857.84', '£214.46', '£0.00',
    ]);
    const totals = ['10', '7', '1', '-2', '£2,144.60', '£1,501.22', '£214.46', '-£428.92'];
    expect(await cellTexts(body.filter({ hasText: 'Client Totals' }))).toEqual(['Client Totals', ...totals]);
    expect(await cellTexts(body.filter({ hasText: 'Service Level Totals' }))).toEqual(['Service Level Totals', ...totals]);
  });

  await test.step('the chart: an image named and described, with its figures as a table', async () => {
    const chart = page.getByTestId('cva-chart');
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute('role', 'img');
    await expect(chart).toHaveAccessibleName(
      /^Commissioned against delivered cost, by week Commissioned £2,144\.60 against delivered £1,715\.68 over 2 weeks/,
    );
    await expect(chart.locator('rect')).toHaveCount(4);
    await page.getByText("Show the chart's figures as a table").click();
    const figures = page.getByTestId('cva-chart-table');
    await expect(figures).toBeVisible();
    expect(await cellTexts(figures.locator('tbody tr').first())).toEqual([first, '5', '3', '£1,072.30', '£643.38']);
    expect(await cellTexts(figures.locator('tbody tr').nth(1))).toEqual([second, '5', '5', '£1,072.30', '£1,072.30']);
    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({ path: path.join(screenshots, 'reports-commissioned-vs-actuals.png'), fullPage: true });
  });

  await test.step('one sortable table: the difference sorts by value, both ways', async () => {
    await page.getByLabel('Group by client', { exact: true }).uncheck();
    const flat = page.getByTestId('cva-flat-table');
    await expect(flat).toBeVisible();
    const costDiff = header(flat, 'Cost Diff.');
    await expect(costDiff).toHaveAttribute('aria-sort', 'none');
    await expect(costDiff).toHaveClass(/govuk-table__header--numeric/);
    await costDiff.getByRole('button').click();
    await expect(costDiff).toHaveAttribute('aria-sort', 'ascending');
    const rows = flat.locator('tbody').first().locator('tr');
    await expect(rows.first()).toContainText('-£428.92');
    await expect(rows.first().locator('td').nth(2)).toHaveText(first);
    await costDiff.getByRole('button').click();
    await expect(costDiff).toHaveAttribute('aria-sort', 'descending');
    await expect(rows.first().locator('td').nth(2)).toHaveText(second);
    await expect(flat.locator('tbody').nth(1)).toContainText('£2,144.60');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('Download Data: the same rows as CSV', async () => {
    const { name, lines } = await downloadData(page);
    expect(name).toBe('commissioned-vs-actuals.csv');
    expect(lines[0]).toMatch(/^organisation,service,service_group_class,service_level,service_start,client,ssref,cpli_id,week,generated,visits,cost_centre,subjective,commissioned_units,actual_units,frustrated_units,difference_units,commissioned_cost,actual_cost,frustrated_cost,difference_cost/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(firstWeek);
    expect(lines[1]).toContain('1072.30,643.38,0.00,-428.92');
    expect(lines[2]).toContain(secondWeek);
    expect(lines[2]).toContain('1072.30,857.84,214.46,0.00');
  });
  await context.close();
});

test('Pending Payments Exceptions: an open period\'s exception, and whether it is paid', async ({ browser, request }) => {
  const token = await apiToken(request, allyPally);
  await recordSidsExtraHours(request, token);
  const expected = await getJson(request, token, '/reports/pending-payments-exceptions');
  const sids = expected.rows.filter((row: Json) => row.actual.startsWith('Mr Sid Waddell (8c846000), 30/05/2022'));
  expect(sids.length, JSON.stringify(expected.rows)).toBeGreaterThan(0);

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logIn(page, allyPally);
  await openReport(page, 'Pending Payments Exceptions', 'Pending Payments Exceptions Report');
  await expectNoSeriousAccessibilityViolations(page);

  await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Ally Pally Ltd' });
  await page.getByRole('button', { name: 'View', exact: true }).click();
  await expect(page.getByTestId('report-provider')).toHaveText('Provider: Ally Pally Ltd');
  await expect(page.getByTestId('report-periods')).toContainText('Ally Pally Care: 30/05/2022 - 05/06/2022');
  const table = page.getByTestId('exceptions-table');
  await expect(table.locator('thead th')).toHaveText(['Exception Type', 'Actual', 'Threshold', 'Value', 'Payment Status']);
  const first = sids[0];
  const row = table
    .locator('tbody tr')
    .filter({ hasText: first.actual })
    .filter({ hasText: first.exception_type })
    .first();
  expect(await cellTexts(row)).toEqual([
    first.exception_type,
    first.actual,
    first.threshold,
    first.value,
    first.payment_status,
  ]);
  await expect(table.locator('tbody').first().locator('tr')).toHaveCount(expected.rows.length);

  const status = header(table, 'Payment Status');
  await status.getByRole('button').click();
  await expect(status).toHaveAttribute('aria-sort', 'ascending');
  const statuses = (await table.locator('tbody').first().locator('tr td:nth-child(5)').allTextContents()).map((text) =>
    text.trim(),
  );
  expect(statuses).toEqual([...statuses].sort((a, b) => a.localeCompare(b)));
  await expectNoSeriousAccessibilityViolations(page);

  const { name, lines } = await downloadData(page);
  expect(name).toBe('pending-payments-exceptions.csv');
  expect(lines[0]).toBe('organisation,payment_period,exception_type,actual,week,threshold,value,payment_status');
  expect(lines.length).toBe(expected.rows.length + 1);
  expect(lines.some((line) => line.includes('Mr Sid Waddell (8c846000), 30/05/2022') && line.includes(exceptionWeek))).toBe(
    true,
  );
  await context.close();
});

test('Pending Scheduled Payments: one week\'s lines per client, then only the suspended', async ({ browser, request }) => {
  const token = await apiToken(request, allyPally);
  await recordSidsExtraHours(request, token);
  const query = `from=${exceptionWeek}&to=2022-06-05`;
  const expected = await getJson(request, token, `/reports/pending-scheduled-payments?${query}`);
  expect(expected.rows.length).toBeGreaterThan(0);
  const suspended = await getJson(request, token, `/reports/pending-scheduled-payments?${query}&status=suspend`);

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logIn(page, allyPally);
  await openReport(page, 'Pending Scheduled Payments', 'Pending Scheduled Payments Report');
  await expect(page.getByLabel('Status', { exact: true }).locator('option')).toHaveText([
    '[All]',
    'Pay',
    'Suspend',
    'Cancel',
    'Carry forward',
  ]);
  await expectNoSeriousAccessibilityViolations(page);

  await fillDate(page, 'Date From', '30/05/2022');
  await fillDate(page, 'Date To', '05/06/2022');
  await page.getByRole('button', { name: 'View', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'From 30/05/2022 - 05/06/2022' })).toBeVisible();
  const period = page.locator('.app-report-period').first();
  await expect(period).toContainText('Ally Pally Care');
  await expect(period).toContainText('30/05/2022 - 05/06/2022');
  const table = page.getByTestId('pending-table');
  await expect(table.locator('thead th')).toHaveText([
    'Client',
    'Service',
    'Item Notes',
    'Item Dates',
    'Status',
    'Amount (ex. VAT)',
    'VAT',
  ]);
  await expect(table.locator('tbody').first().locator('tr')).toHaveCount(expected.rows.length);
  const bristow = expected.rows.find((row: Json) => row.client.sort_name === 'Bristow, Eric');
  const bristowRow = table
    .locator('tbody tr')
    .filter({ hasText: 'Bristow, Eric (96836000)' })
    .filter({ hasText: bristow.item_notes })
    .first();
  expect(await cellTexts(bristowRow)).toEqual([
    'Bristow, Eric (96836000)',
    bristow.service,
    bristow.item_notes,
    '30/05/2022 - 05/06/2022',
    bristow.status,
    pounds(bristow.amount),
    pounds(bristow.vat),
  ]);
  const totals = page.getByTestId('pending-totals');
  await expect(totals).toContainText(pounds(expected.amount));

  const amount = header(table, 'Amount (ex. VAT)');
  await amount.getByRole('button').click();
  await expect(amount).toHaveAttribute('aria-sort', 'ascending');
  await amount.getByRole('button').click();
  await expect(amount).toHaveAttribute('aria-sort', 'descending');
  const largest = Math.max(...expected.rows.map((row: Json) => Number(row.amount)));
  await expect(table.locator('tbody').first().locator('tr').first().locator('td').nth(5)).toHaveText(
    pounds(String(largest)),
  );
  await expectNoSeriousAccessibilityViolations(page);

  await test.step('Status: Suspend shows only the suspended lines', async () => {
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Suspend' });
    await page.getByRole('button', { name: 'View', exact: true }).click();
    if (suspended.rows.length === 0) {
      await expect(page.getByText('There are no pending scheduled payments for these filters.')).toBeVisible();
    } else {
      await expect(page.getByTestId('pending-table').locator('tbody').first().locator('tr')).toHaveCount(
        suspended.rows.length,
      );
      const statuses = await page
        .getByTestId('pending-table')
        .locator('tbody')
        .first()
        .locator('tr td:nth-child(5)')
        .allTextContents();
      expect(new Set(statuses.map((text) => text.trim()))).toEqual(new Set(['Suspend']));
    }
  });

  await test.step('Download Data: the CSV of the same filters', async () => {
    const { name, lines } = await downloadData(page);
    expect(name).toBe('pending-scheduled-payments.csv');
    expect(lines[0]).toBe(
      'organisation,contract,period_start,period_end,client,ssref,service,item_notes,item_from,item_to,status,amount,vat',
    );
    expect(lines.length).toBe(suspended.rows.length + 1);
    for (const line of lines.slice(1)) {
      expect(line).toContain(',Suspend,');
      expect(line).toContain('Ally Pally Ltd,Ally Pally Care,2022-05-30,2022-06-05');
    }
  });
  await context.close();
});

test('Remittance Advice Provider Payments: a paid week line by line, then per client', async ({ browser, request }) => {
  await payAllyPallysWeek(request);
  const token = await apiToken(request, allyPally);
  const options = await getJson(request, token, '/reports/options');
  const contract = options.contracts.find((item: Json) => item.name === 'Ally Pally Care');
  const period = options.remittance_periods.find(
    (item: Json) => item.contract_id === contract.id && item.label.startsWith('25/04/2022 - 01/05/2022'),
  );
  expect(period, JSON.stringify(options.remittance_periods)).toBeTruthy();
  const expected = await getJson(
    request,
    token,
    `/reports/remittance-advice?contract_id=${contract.id}&period_id=${period.id}&summary=false`,
  );
  expect(expected.total).toBe('820.00');

  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logIn(page, allyPally);
  await openReport(page, 'Remittance Advice Provider Payments', 'Remittance Advice Provider Payments Report');
  await expect(page.getByText('(* Partially finalised payment periods)')).toBeVisible();
  await expectNoSeriousAccessibilityViolations(page);

  await page.getByLabel('Contract', { exact: true }).selectOption({ label: 'Ally Pally Care' });
  await page.getByLabel('Payment Method', { exact: true }).selectOption({ label: 'Scheduled payments' });
  await page.getByLabel('Period', { exact: true }).selectOption({ label: period.label });
  await page.getByRole('button', { name: 'View', exact: true }).click();
  const table = page.getByTestId('remittance-table');
  await expect(table.locator('thead th')).toHaveText([
    'Period',
    'Client',
    'SSRef',
    'Item',
    'Applicable Dates',
    'Amount',
    'VAT',
    'Status',
  ]);
  await expect(table.locator('tbody').first().locator('tr')).toHaveCount(expected.rows.length);
  const wright = table.locator('tbody tr').filter({ hasText: 'e0946000' }).first();
  await expect(wright).toContainText('25/04/2022 - 01/05/2022');
  await expect(wright).toContainText('£20.00');
  await expect(page.getByTestId('remittance-totals')).toContainText('£820.00');
  await expectNoSeriousAccessibilityViolations(page);

  await test.step('Summary: one row per client', async () => {
    await page.getByLabel('Summary', { exact: true }).check();
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await expect(table.locator('thead th')).toHaveText(['Period', 'Client', 'SSRef', 'Applicable Dates', 'Amount', 'VAT']);
    await expect(table.locator('tbody').first().locator('tr')).toHaveCount(5);
    const jocky = table.locator('tbody tr').filter({ hasText: 'c9836000' });
    await expect(jocky).toContainText('£560.00');
    await expect(page.getByTestId('remittance-totals')).toContainText('£820.00');
  });

  await test.step('Download Data: the summary as CSV', async () => {
    const { name, lines } = await downloadData(page);
    expect(name).toBe('remittance-advice.csv');
    expect(lines[0]).toBe('contract,payment_method,period,client,ssref,item,from,to,amount,vat,status');
    expect(lines).toHaveLength(6);
    expect(lines.some((line) => line.includes('c9836000') && line.includes('560.00'))).toBe(true);
  });
  await context.close();
});

test('council staff find Reports in the navigation', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, bradfordCouncil);
  await openReport(page, 'Pending Scheduled Payments', 'Pending Scheduled Payments Report');
  await expect(page.getByLabel('Organisation', { exact: true })).toHaveValue('');
  await expectNoSeriousAccessibilityViolations(page);
  await context.close();
});
