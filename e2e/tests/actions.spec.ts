import { test, expect } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import {
  allyPally,
  expectNoSeriousAccessibilityViolations,
  logIn,
  mainNavigation,
} from '../support/portal';

// A week no other test edits.
const week = '2022-07-11';
const singleHanded = 'Homecare Flexible - Bradford - Single-handed';
const title = `Request a variation: Mr Sid Waddell ${singleHanded} week beginning 11/07/2022`;
const quoted =
  `Re: Care Package Line Item for Mr Sid Waddell. ${singleHanded} (Hour) from Ally Pally Home Care, ` +
  'week beginning 11/07/2022: planned 1, actual 3.';

test('a provider requests a variation from a line beyond its plan', async ({ browser, request }) => {
  // Sid Waddell's one planned hour becomes three, through the API, as a rostering tool would.
  const headers = { Authorization: `Bearer ${await apiToken(request, allyPally)}` };
  const services = await request.get('/api/v1/services', { headers });
  const service = (await services.json()).items.find(
    (item: { name: string }) => item.name === 'Ally Pally Home Care',
  );
  const generated = await request.post(`/api/v1/services/${service.id}/weeks/${week}/actuals/generate`, {
    headers,
    data: {},
  });
  expect(generated.status(), await generated.text()).toBe(200);
  const sid = (await generated.json()).week.clients.find(
    (client: { client: { display_name: string } }) => client.client.display_name === 'Mr Sid Waddell',
  );
  const line = sid.lines.find((item: { service_level: { name: string } }) => item.service_level.name === singleHanded);
  const saved = await request.put(`/api/v1/services/${service.id}/weeks/${week}/clients/${sid.client.id}/actuals`, {
    headers,
    data: {
      version: sid.version,
      lines: [
        {
          cpli_id: line.cpli_id,
          actual: '3',
          frustrated: '0',
          missed: '0',
          extra: '2',
          visits: '3',
          comment: 'Two extra hours while the family were away',
        },
      ],
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  // axe-core needs a page of a context made with browser.newContext().
  const context = await browser.newContext();
  const page = await context.newPage();

  await test.step('the exceeded line offers "Request a variation"', async () => {
    await logIn(page, allyPally);
    await page.goto(`/actuals/${service.id}/${week}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Week beginning 11/07/2022');
    const region = page.getByRole('region', { name: /Mr Sid Waddell/ });
    await expect(region).toContainText('This Actual has one or more exceptions');
    const request = region.getByRole('link', { name: `Request a variation for ${singleHanded}` });
    await expect(request).toBeVisible();
    // Only lines beyond their plan offer it.
    await expect(page.getByRole('link', { name: /^Request a variation/ })).toHaveCount(1);
    await expectNoSeriousAccessibilityViolations(page);
    await request.click();
  });

  await test.step('the New Action form is filled in from the line', async () => {
    await expect(page).toHaveURL(/\/actions\/new\?/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New Action');
    const selected = (label: string) => page.getByLabel(label, { exact: true }).locator('option:checked');
    await expect(selected('Type')).toHaveText('CPLI Amendment');
    await expect(selected('Related To')).toHaveText('Client');
    await expect(selected('Entity')).toHaveText('Mr Sid Waddell (8c846000)');
    await expect(selected('Assign to')).toHaveText('LA (Brokerage Team)');
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
    const text = page.getByLabel('Text', { exact: true });
    await expect(text).toHaveValue(new RegExp(`^${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} The Actual \\(`));
    await expect(text).toHaveValue(/exceeds the planned service level Actual by 200%\.$/);
    // The earliest due date the type allows is filled in.
    const due = page.getByRole('group', { name: 'Due Date', exact: true });
    await expect(due.getByLabel('Year', { exact: true })).not.toHaveValue('');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('an emptied title is named in the error summary', async () => {
    await page.getByLabel('Title', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Create Action' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText(['Enter a title']);
    await page.getByLabel('Title', { exact: true }).fill(title);
  });

  await test.step('creating it shows the action with the line quoted as its first post', async () => {
    await page.getByRole('button', { name: 'Create Action' }).click();
    await expect(page).toHaveURL(/\/actions\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.locator('.govuk-notification-banner')).toContainText('Action has been created.');
    const details = page.locator('.govuk-summary-list');
    await expect(details).toContainText('Mr Sid Waddell (Client)');
    await expect(details).toContainText('CPLI Amendment');
    await expect(details).toContainText('LA (Brokerage Team)');
    const thread = page.getByRole('list').filter({ hasText: quoted });
    await expect(thread).toContainText('(Ally Pally Ltd)');
    await expect(thread).toContainText('Assigned to LA (Brokerage Team)');
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('the action is listed among the open actions', async () => {
    await mainNavigation(page).getByRole('link', { name: 'Actions', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Actions and Change Requests');
    const row = page.getByRole('row').filter({ hasText: title });
    await expect(row).toContainText('Mr Sid Waddell (Client)');
    await expect(row).toContainText('LA (Brokerage Team)');
    await expectNoSeriousAccessibilityViolations(page);
  });
});
