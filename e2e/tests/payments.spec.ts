import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import {
  allyPally,
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  logIn,
  mainNavigation,
} from '../support/portal';

// A week no other test touches, so its figures are the plan's.
const week = '2022-05-02';
const label = '2 May 2022 to 8 May 2022';
const screenshots = path.join(__dirname, '..', 'screenshots');

/** Scheduled Payments, 2022/2023, one contract, then the week's period. */
async function openPeriod(page: Page, contract: string): Promise<void> {
  await mainNavigation(page).getByRole('link', { name: 'Scheduled Payments' }).click();
  await expect(page).toHaveURL(/\/payments$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Scheduled Payments');
  await page.getByLabel('Financial year', { exact: true }).selectOption({ label: '2022/2023' });
  await page.getByLabel('Contract', { exact: true }).selectOption({ label: contract });
  await page.getByRole('button', { name: 'View', exact: true }).click();
  await expect(page).toHaveURL(/\/payments\?year=2022-2023&contract=\d+$/);
  const periods = page.getByRole('table', { name: /payment periods in 2022\/2023/ });
  // Newest first: the year's last period heads the list.
  await expect(periods.getByRole('row').nth(1)).toContainText('27 Mar 2023 to 2 Apr 2023');
  await expectNoSeriousAccessibilityViolations(page);
  await periods.getByRole('link', { name: label, exact: true }).click();
  await expect(page).toHaveURL(/\/payments\/periods\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ally Pally Care: ${label}`);
}

/** The summary table's cells, in order. */
async function summaryCells(page: Page): Promise<string[]> {
  const cells = page.getByRole('table', { name: 'Summary' }).locator('tbody td');
  return (await cells.allTextContents()).map((text) => text.trim());
}

function banner(page: Page): Locator {
  return page.locator('.govuk-notification-banner--success');
}

test('a provider confirms a period, and council staff pay it and read its remittance advice', async ({
  browser,
  request,
}) => {
  // The API's own figures for the week: the plan, £820.00, all payable.
  const provider = { Authorization: `Bearer ${await apiToken(request, allyPally)}` };
  const contracts = await request.get('/api/v1/payment-contracts', { headers: provider });
  expect(contracts.status(), await contracts.text()).toBe(200);
  const contract = (await contracts.json()).items.find((item: { name: string }) => item.name === 'Ally Pally Care');
  const periods = await request.get(`/api/v1/contracts/${contract.id}/payment-periods?financial_year=2022/2023`, {
    headers: provider,
  });
  const summary = (await periods.json()).items.find((item: { start: string }) => item.start === week);
  expect(summary.label).toBe(label);
  const detail = await (await request.get(`/api/v1/payment-periods/${summary.id}`, { headers: provider })).json();
  expect(detail.payable).toBe('820.00');
  expect(detail.non_payable).toBe('0.00');

  const providerContext = await browser.newContext();
  const page = await providerContext.newPage();
  await logIn(page, allyPally);

  await test.step('the provider opens the period: its totals and payable lines per client', async () => {
    await openPeriod(page, 'Ally Pally Care');
    expect(await summaryCells(page)).toEqual([
      '02/05/2022',
      '08/05/2022',
      'Unconfirmed',
      '£820.00',
      '£0.00',
      '£0.00',
      '£820.00',
    ]);
    const payableTab = page.getByRole('tab', { name: 'Payable', exact: true });
    await expect(payableTab).toHaveAttribute('aria-selected', 'true');
    const payable = page.getByRole('tabpanel', { name: 'Payable', exact: true });
    await expect(payable).toContainText('Mr Eric Bristow (96836000) (Total: £180.00)');
    await expect(payable).toContainText('Mr Jocky Wilson (c9836000) (Total: £560.00)');
    const fallon = payable.getByRole('row', { name: /Single-handed/ }).filter({ hasText: '£40.00' });
    await expect(fallon.locator('td')).toHaveText([
      'Cost',
      'Homecare Flexible - Bradford - Single-handed (Hour), Spot.',
      '02/05/2022 - 08/05/2022',
      '£40.00',
      'Pay',
      /Dispute/,
    ]);
    // The care package line items the period pays for.
    await expect(page.getByRole('table', { name: 'Care package line items' })).toContainText('Bristow, Eric');
  });

  await test.step('the arrow keys move to the Non-payable tab', async () => {
    const payableTab = page.getByRole('tab', { name: 'Payable', exact: true });
    const nonPayableTab = page.getByRole('tab', { name: 'Non-payable', exact: true });
    await payableTab.focus();
    await page.keyboard.press('ArrowRight');
    await expect(nonPayableTab).toBeFocused();
    await expect(nonPayableTab).toHaveAttribute('aria-selected', 'true');
    await expect(payableTab).toHaveAttribute('tabindex', '-1');
    await expect(page.getByRole('tabpanel', { name: 'Non-payable', exact: true })).toHaveText(
      'There are no non-payable lines in this period.',
    );
    await expect(page.getByRole('tabpanel', { name: 'Payable', exact: true })).toBeHidden();
    await page.keyboard.press('ArrowLeft');
    await expect(payableTab).toBeFocused();
    await expect(page.getByRole('tabpanel', { name: 'Payable', exact: true })).toBeVisible();
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('a dispute holds a line back', async () => {
    const payable = page.getByRole('tabpanel', { name: 'Payable', exact: true });
    await payable.getByRole('button', { name: /^Dispute .* for Mr Peter Wright$/ }).click();
    const reason = page.getByLabel('Why do you dispute this line?');
    await expect(reason).toBeFocused();
    await page.getByRole('button', { name: 'Send dispute' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter why you dispute the line');
    await reason.fill('One visit was cancelled by the family');
    await page.getByRole('button', { name: 'Send dispute' }).click();
    await expect(banner(page)).toContainText('Line disputed');
    expect(await summaryCells(page)).toEqual([
      '02/05/2022',
      '08/05/2022',
      'Unconfirmed',
      '£800.00',
      '£20.00',
      '£0.00',
      '£800.00',
    ]);
    await page.getByRole('tab', { name: 'Non-payable', exact: true }).click();
    const held = page.getByRole('tabpanel', { name: 'Non-payable', exact: true });
    await expect(held).toContainText('Mr Peter Wright (e0946000) (Total: £20.00)');
    await expect(held).toContainText('Disputed');
    await expect(held).toContainText('One visit was cancelled by the family');
    await page.getByRole('tab', { name: 'Payable', exact: true }).click();
  });

  await test.step('Reject needs a comment; Confirm records the comment', async () => {
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Enter a comment to say why you reject the payment']);
    await expect(page).toHaveTitle(/^Error: /);
    await summary.getByRole('link').click();
    await expect(page.getByLabel('Comments', { exact: true })).toBeFocused();
    await expectNoSeriousAccessibilityViolations(page);

    await page.getByLabel('Comments', { exact: true }).fill('All actuals submitted for 2 to 8 May');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(banner(page)).toContainText(`Payment period ${label} confirmed`);
    await expect(summary).toBeHidden();
    expect((await summaryCells(page))[2]).toBe('Confirmed');
    await expect(page.locator('.govuk-summary-list')).toContainText('All actuals submitted for 2 to 8 May');
    await expect(page.getByText('You have confirmed this period.')).toBeVisible();
    // The form waits behind "Change your answer".
    await expect(page.getByRole('button', { name: 'Confirm', exact: true })).toBeHidden();
    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({ path: path.join(screenshots, 'payment-period.png'), fullPage: true });
  });
  await providerContext.close();

  const councilContext = await browser.newContext({ acceptDownloads: true });
  const council = await councilContext.newPage();
  await logIn(council, bradfordCouncil);

  await test.step('council staff pay the disputed line', async () => {
    await openPeriod(council, 'Ally Pally Care (Ally Pally Ltd)');
    expect((await summaryCells(council))[2]).toBe('Confirmed');
    await council.getByRole('tab', { name: 'Non-payable', exact: true }).click();
    const held = council.getByRole('tabpanel', { name: 'Non-payable', exact: true });
    await expect(held.getByRole('button', { name: /^Cancel .* for Mr Peter Wright$/ })).toBeVisible();
    await expectNoSeriousAccessibilityViolations(council);
    await held.getByRole('button', { name: /^Pay .* for Mr Peter Wright$/ }).click();
    await expect(banner(council)).toContainText('Line paid');
    expect(await summaryCells(council)).toEqual([
      '02/05/2022',
      '08/05/2022',
      'Confirmed',
      '£820.00',
      '£0.00',
      '£0.00',
      '£820.00',
    ]);
  });

  await test.step('authorise, then finalise: the payment run', async () => {
    await expect(council.getByRole('button', { name: 'Finalise', exact: true })).toHaveCount(0);
    await council.getByRole('button', { name: 'Authorise', exact: true }).click();
    await expect(banner(council)).toContainText(`Payment period ${label} authorised`);
    expect((await summaryCells(council))[2]).toBe('Authorised');
    await council.getByRole('button', { name: 'Finalise', exact: true }).click();
    await expect(banner(council)).toContainText(`Payment period ${label} finalised`);
    expect((await summaryCells(council))[2]).toBe('Finalised');
    await expect(council.getByRole('button', { name: /^(Pay|Cancel|Authorise|Finalise)\b/ })).toHaveCount(0);
  });

  await test.step('the remittance advice, on screen and as the report', async () => {
    await council.getByLabel('Summary', { exact: true }).check();
    await council.getByRole('button', { name: 'View remittance advice' }).click();
    const advice = council.getByRole('table', { name: /Remittance advice summary, paid on/ });
    await expect(advice.locator('tbody tr')).toHaveCount(5);
    await expect(advice.getByRole('row', { name: /Wilson, Jocky/ }).locator('td')).toHaveText([
      'Wilson, Jocky (c9836000)',
      '02/05/2022 - 08/05/2022',
      '£560.00',
      '£0.00',
    ]);
    await expect(council.locator('.app-remittance-totals')).toContainText('£820.00');
    await expectNoSeriousAccessibilityViolations(council);
    await council.screenshot({ path: path.join(screenshots, 'payment-remittance.png'), fullPage: true });

    await council.getByLabel('Summary', { exact: true }).uncheck();
    const downloading = council.waitForEvent('download');
    await council.getByRole('button', { name: 'Download Remittance Advice Report' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`remittance-Ally-Pally-Care-${week}.csv`);
    const text = fs.readFileSync(await download.path(), 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('client,ssref,item,from,to,amount,vat,status');
    expect(lines[1]).toBe(
      `"Bristow, Eric (96836000)",96836000,"Homecare Flexible - Bradford - Single-handed (Hour), Spot.",${week},2022-05-08,140.00,0.00,Pay`,
    );
  });

  await test.step('a period still running cannot be authorised, and the page says why', async () => {
    await mainNavigation(council).getByRole('link', { name: 'Scheduled Payments' }).click();
    await expect(council).toHaveURL(/\/payments$/);
    // The current financial year is chosen first, and its newest period is the current one.
    await council.getByLabel('Contract', { exact: true }).selectOption({ label: 'Ally Pally Care (Ally Pally Ltd)' });
    await council.getByRole('button', { name: 'View', exact: true }).click();
    const periods = council.getByRole('table', { name: /payment periods in/ });
    await periods.getByRole('link').first().click();
    await expect(council.getByRole('heading', { level: 1 })).toContainText('Ally Pally Care: ');
    await council.getByRole('button', { name: 'Authorise', exact: true }).click();
    const summary = council.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(/This period runs until \d{2}\/\d{2}\/\d{4}: authorise it once it has ended\./);
    await expect(council).toHaveTitle(/^Error: Payment period /);
    expect((await summaryCells(council))[2]).not.toBe('Authorised');
  });
  await councilContext.close();

  const paidContext = await browser.newContext({ acceptDownloads: true });
  const paid = await paidContext.newPage();
  await logIn(paid, allyPally);
  await test.step('the provider downloads the remittance advice of the paid period', async () => {
    await openPeriod(paid, 'Ally Pally Care');
    expect((await summaryCells(paid))[2]).toBe('Finalised');
    const downloading = paid.waitForEvent('download');
    await paid.getByRole('button', { name: 'Download Remittance Advice Report' }).click();
    const download = await downloading;
    const lines = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('client,ssref,item,from,to,amount,vat,status');
    expect(lines).toContain(
      `"Wright, Peter (e0946000)",e0946000,"Homecare Flexible - Bradford - Single-handed (Hour), Spot.",${week},2022-05-08,20.00,0.00,Pay`,
    );
  });
  await paidContext.close();
});
