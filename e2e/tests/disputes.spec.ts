import path from 'node:path';
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import {
  allyPally,
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  fillDate,
  logIn,
  mainNavigation,
} from '../support/portal';

// A week no other test uses (seed 000's disputed week), so its actuals are this test's.
const week = '2022-08-22';
const dateRange = '22/08/2022 - 28/08/2022';
const weekHeading = 'Week Beginning 22 Aug 2022 (Ally Pally Home Care)';
const doubleHanded = 'Homecare Flexible - Bradford - Double-handed';

interface ActualLine {
  cpli_id: string;
  planned: string;
  service_level: { name: string };
}

/** Ally Pally's service, and Mr Jocky Wilson's week with two hours beyond the plan. */
async function enterExtraHours(request: APIRequestContext): Promise<{ serviceId: string; planned: number }> {
  const headers = { Authorization: `Bearer ${await apiToken(request, allyPally)}` };
  const services = await request.get('/api/v1/services', { headers });
  const service = (await services.json()).items.find(
    (item: { name: string }) => item.name === 'Ally Pally Home Care',
  );
  // Generating keeps what is there, so a second run starts from its own week.
  const generated = await request.post(`/api/v1/services/${service.id}/weeks/${week}/actuals/generate`, {
    headers,
    data: {},
  });
  expect(generated.status(), await generated.text()).toBe(200);
  const jocky = (await generated.json()).week.clients.find(
    (client: { client: { display_name: string } }) => client.client.display_name === 'Mr Jocky Wilson',
  );
  const line = (jocky.lines as ActualLine[]).find((item) => item.service_level.name === doubleHanded)!;
  const planned = Number(line.planned);
  const saved = await request.put(`/api/v1/services/${service.id}/weeks/${week}/clients/${jocky.client.id}/actuals`, {
    headers,
    data: {
      version: jocky.version,
      lines: [
        {
          cpli_id: line.cpli_id,
          actual: String(planned + 2),
          frustrated: '0',
          missed: '0',
          extra: '2',
          visits: String(planned),
          comment: 'Service increased',
        },
      ],
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  return { serviceId: service.id, planned };
}

/** The home page's words for the provider's open disputes, from the API's own counts. */
async function expectedNotice(request: APIRequestContext): Promise<string> {
  const headers = { Authorization: `Bearer ${await apiToken(request, allyPally)}` };
  const answer = await request.get('/api/v1/disputes/summary', { headers });
  expect(answer.status(), await answer.text()).toBe(200);
  const { open, awaiting_provider: awaiting } = await answer.json();
  expect(open).toBeGreaterThanOrEqual(1);
  return open === 1
    ? `1 open Dispute (${awaiting} awaiting action)`
    : `${open} open Disputes (${awaiting} awaiting action)`;
}

function summaryValue(page: Page, key: string) {
  return page.locator('.govuk-summary-list__row').filter({ has: page.locator('dt', { hasText: key }) }).locator('dd');
}

test('council staff dispute actuals, the provider corrects them and requests resolution, and council staff resolve it', async ({
  browser,
  request,
}) => {
  const { planned } = await enterExtraHours(request);
  // Its own details, so a second run finds its own dispute among the first run's.
  const details = `This extra was not agreed (${Date.now().toString(36)}). Please adjust the claim for only the planned hours delivered.`;
  const response = 'Actuals corrected: the extra hours were not agreed and are no longer claimed.';

  const councilContext = await browser.newContext();
  const council = await councilContext.newPage();
  let disputeUrl = '';

  await test.step('council staff raise a dispute from the Disputes page', async () => {
    await logIn(council, bradfordCouncil);
    await mainNavigation(council).getByRole('link', { name: 'Disputes', exact: true }).click();
    await expect(council).toHaveURL(/\/disputes$/);
    await expect(council.getByRole('heading', { level: 1 })).toHaveText('Disputes');
    await council.getByRole('button', { name: 'Raise a dispute' }).click();
    await expect(council).toHaveURL(/\/disputes\/new$/);
    await expect(council.getByRole('heading', { level: 1 })).toHaveText('Raise a dispute');

    await council.getByLabel('Service', { exact: true }).selectOption({ label: 'Ally Pally Home Care (Ally Pally Ltd)' });
    await council.getByLabel('Client', { exact: true }).selectOption({ label: 'Wilson, Jocky (c9836000)' });
    // A week is named by its Monday: a Tuesday is refused in the error summary.
    await fillDate(council, 'Week from', '23/08/2022');
    await fillDate(council, 'Week to', '22/08/2022');
    await council.getByLabel('Reason', { exact: true }).selectOption({ label: 'Unauthorised extra' });
    await council.getByRole('button', { name: 'Raise dispute' }).click();
    const summary = council.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Week from must be a Monday', 'Enter the details of the dispute']);
    await expect(council).toHaveTitle(/^Error: Raise a dispute/);

    await fillDate(council, 'Week from', '22/08/2022');
    await council.getByLabel('Details', { exact: true }).fill(details);
    await expectNoSeriousAccessibilityViolations(council);
    await council.getByRole('button', { name: 'Raise dispute' }).click();
    await expect(council).toHaveURL(/\/disputes\/\d+$/);
    disputeUrl = new URL(council.url()).pathname;
    await expect(council.locator('.govuk-notification-banner')).toContainText(`Dispute raised for Wilson, Jocky, ${dateRange}`);
    await expect(summaryValue(council, 'Status')).toHaveText('In Dispute');
    await expect(summaryValue(council, 'Reason')).toHaveText('Unauthorised extra');
    await expect(council.getByRole('heading', { level: 2, name: weekHeading })).toBeVisible();
    await expect(council.locator('.app-dispute-waiting')).toBeVisible();
  });

  const providerContext = await browser.newContext();
  const page = await providerContext.newPage();

  await test.step('the provider sees the open dispute on the home page and filters the list to it', async () => {
    const notice = await expectedNotice(request);
    await logIn(page, allyPally);
    await expect(page.locator('.app-disputes-notice')).toHaveText(`Disputes: ${notice}`);
    await page.locator('.app-disputes-notice').getByRole('link', { name: 'Disputes' }).click();
    await expect(page).toHaveURL(/\/disputes$/);
    await page.getByLabel('In Dispute', { exact: true }).check();
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await expect(page).toHaveURL(/\/disputes\?status=in_dispute$/);
    const row = page.getByRole('row').filter({ hasText: details });
    await expect(row.locator('td')).toHaveText([
      'Wilson, Jocky',
      'In Dispute',
      'Unauthorised extra',
      details,
      '',
      dateRange,
      /^Edit/,
    ]);
    // Only disputes In Dispute are listed.
    const statuses = page.locator('.app-disputes-table tbody td:nth-child(2)');
    for (const status of await statuses.allTextContents()) {
      expect(status.trim()).toBe('In Dispute');
    }
    await expectNoSeriousAccessibilityViolations(page);
    await row.getByRole('link', { name: /^Edit/ }).click();
    await expect(page).toHaveURL(new RegExp(`${disputeUrl}$`));
  });

  await test.step('the provider corrects the disputed line in the actuals editor', async () => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dispute');
    await expect(summaryValue(page, 'Client')).toHaveText('Wilson, Jocky (c9836000)');
    await expect(summaryValue(page, 'Details')).toHaveText(details);
    await expect(page.getByRole('heading', { level: 2, name: weekHeading })).toBeVisible();
    const jocky = page.getByRole('region', { name: /Mr Jocky Wilson/ });
    const line = jocky.getByRole('row', { name: new RegExp(doubleHanded) });
    await expect(line).toContainText('Service increased');
    await jocky.getByRole('button', { name: /^Add\/Edit/ }).click();
    const field = (name: string) => jocky.getByLabel(`${name} for ${doubleHanded}`, { exact: true });
    await field('Actual').fill(String(planned));
    await field('Extra').fill('0');
    await field('Comment').fill('Planned hours only');
    await jocky.getByRole('button', { name: /^Save/ }).click();
    await expect(jocky.getByRole('status')).toHaveText('Actuals saved for Mr Jocky Wilson.');
    await expect(jocky.getByRole('row', { name: new RegExp(doubleHanded) })).toContainText('Planned hours only');
  });

  await test.step('the provider responds and requests resolution', async () => {
    const responseBox = page.getByLabel('Response', { exact: true });
    await responseBox.fill(response);
    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'dispute.png'), fullPage: true });
    // An empty response is named in the error summary.
    await responseBox.fill('');
    await page.getByRole('button', { name: 'Request Resolution' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Enter your response to the dispute']);
    await responseBox.fill(response);
    await page.getByRole('button', { name: 'Request Resolution' }).click();
    await expect(page.locator('.govuk-notification-banner')).toContainText('Resolution requested.');
    await expect(summaryValue(page, 'Status')).toHaveText('Resolution Requested');
    await expect(summaryValue(page, 'Response')).toHaveText(response);
    await expect(page.getByRole('button', { name: 'Request Resolution' })).toHaveCount(0);
    await expect(page.locator('.app-dispute-history')).toContainText(
      'Resolution requested (In Dispute \u2192 Resolution Requested)',
    );
    await expect(page.locator('.app-dispute-history')).toContainText('(Ally Pally Ltd)');
  });

  await test.step('council staff see the response and resolve the dispute', async () => {
    await council.goto(disputeUrl);
    await expect(summaryValue(council, 'Status')).toHaveText('Resolution Requested');
    await expect(summaryValue(council, 'Response')).toHaveText(response);
    await expect(council.getByRole('button', { name: 'Resolve', exact: true })).toBeVisible();
    await expectNoSeriousAccessibilityViolations(council);
    // A second council page, read before the dispute is resolved, goes stale.
    const stale = await councilContext.newPage();
    await stale.goto(disputeUrl);
    await expect(summaryValue(stale, 'Status')).toHaveText('Resolution Requested');

    await council.getByLabel('Comment', { exact: true }).fill('Thank you: the claim now matches the plan.');
    // The council's own step takes files too, checked before anything is sent.
    const files = council.getByLabel('Attach files (optional)', { exact: true });
    await files.setInputFiles({
      name: 'not-a-pdf.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    });
    await council.getByRole('button', { name: 'Resolve', exact: true }).click();
    const refused = council.locator('.govuk-error-summary');
    await expect(refused).toBeFocused();
    await expect(refused).toContainText('not-a-pdf.pdf: The file is not a PDF');
    await expect(summaryValue(council, 'Status')).toHaveText('Resolution Requested');
    await files.setInputFiles({
      name: 'resolution-note.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% claim matches the plan\n%%EOF\n'),
    });
    await council.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect(council.locator('.govuk-notification-banner')).toContainText('The dispute is resolved.');
    await expect(summaryValue(council, 'Status')).toHaveText('Resolved');
    await expect(council.locator('.app-dispute-history li')).toHaveCount(3);
    // The file is listed under the resolution step, and nowhere else.
    const resolution = council.locator('.app-dispute-history li').last();
    await expect(resolution).toContainText('Resolved');
    await expect(resolution.locator('.app-attachment')).toHaveCount(1);
    await expect(resolution.locator('.app-attachment')).toContainText('resolution-note.pdf');
    await expect(resolution.locator('.app-attachment')).toContainText('PDF');
    await expect(council.locator('.app-attachment').filter({ hasText: 'resolution-note.pdf' })).toHaveCount(1);
    await expectNoSeriousAccessibilityViolations(council);

    await stale.getByLabel('Comment', { exact: true }).fill('The extra hours are still claimed.');
    await stale.getByRole('button', { name: 'Reopen', exact: true }).click();
    const summary = stale.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('This was changed by someone else after you opened it');
    await stale.close();

    await mainNavigation(council).getByRole('link', { name: 'Disputes', exact: true }).click();
    await council.getByLabel('Resolved', { exact: true }).check();
    await council.getByRole('button', { name: 'View', exact: true }).click();
    await expect(council).toHaveURL(/\/disputes\?status=resolved$/);
    const row = council.getByRole('row').filter({ hasText: details });
    await expect(row).toContainText('Resolved');
    await expect(row).toContainText(response);
    await expect(row.getByRole('link', { name: /^Open/ })).toBeVisible();
  });

  await test.step('the provider sees it resolved, with nothing left to request', async () => {
    await page.reload();
    await expect(summaryValue(page, 'Status')).toHaveText('Resolved');
    await expect(page.getByRole('button', { name: 'Request Resolution' })).toHaveCount(0);
  });

  await councilContext.close();
  await providerContext.close();
});
