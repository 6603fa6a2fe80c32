import { test, expect } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import { allyPally, expectNoSeriousAccessibilityViolations, logIn } from '../support/portal';

// A week no other test edits.
const week = '2022-05-16';

test('a file of actuals is checked line by line, then Update system writes the valid lines', async ({
  page,
  request,
}) => {
  const provider = { Authorization: `Bearer ${await apiToken(request, allyPally)}` };
  const services = await request.get('/api/v1/services', { headers: provider });
  const service = (await services.json()).items.find(
    (item: { name: string }) => item.name === 'Ally Pally Home Care',
  );
  const exported = await request.get(`/api/v1/services/${service.id}/actuals?from=${week}&to=${week}`, {
    headers: provider,
  });
  expect(exported.status(), await exported.text()).toBe(200);
  const rows: { cpli_id: string; planned: string; visits: string }[] = (await exported.json()).items;
  expect(rows.length).toBeGreaterThanOrEqual(3);
  const file = [
    'cpli_id,week,actual,frustrated,missed,extra,visits,comment',
    `${rows[0].cpli_id},${week},${rows[0].planned},0,0,0,${rows[0].visits},From the rota`,
    `${rows[1].cpli_id},${week},${rows[1].planned},0,0,0,${rows[1].visits},From the rota`,
    `${rows[2].cpli_id},${week},lots,0,0,0,${rows[2].visits},A typing slip`,
  ].join('\n');

  await logIn(page, allyPally);
  await page.goto(`/services/${service.id}/import-actuals`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import actuals');
  await expect(page.getByRole('button', { name: 'Download commissioned care (CSV)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download actuals (CSV)' })).toBeVisible();
  await expectNoSeriousAccessibilityViolations(page);

  await page.getByLabel('CSV file of actuals').setInputFiles({
    name: 'rota-16-05-2022.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(file),
  });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByRole('heading', { name: 'Check rota-16-05-2022.csv' })).toBeVisible();
  await expect(page.getByText('3 lines: 2 valid, 1 invalid.', { exact: false })).toBeVisible();
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toContainText('Some lines cannot be imported');
  await expect(summary).toContainText('Line 4: actual:');
  const bad = page.locator('#line-4');
  await expect(bad).toContainText('Invalid');
  await expect(bad).toContainText('16/05/2022');
  await expect(page.locator('#line-2')).toContainText('Valid');
  await expectNoSeriousAccessibilityViolations(page);

  await page.getByRole('button', { name: 'Update system' }).click();
  await expect(page.locator('.govuk-panel--confirmation')).toContainText('Actuals updated');
  await expect(page.locator('.govuk-panel--confirmation')).toContainText(
    '2 lines written from rota-16-05-2022.csv',
  );
  await expectNoSeriousAccessibilityViolations(page);

  // The week shows the two lines recorded; the bad one is not.
  const after = await request.get(`/api/v1/services/${service.id}/actuals?from=${week}&to=${week}`, {
    headers: provider,
  });
  const recorded = (await after.json()).items.filter(
    (row: { recorded: string; comment: string }) => row.recorded === 'yes' && row.comment === 'From the rota',
  );
  expect(recorded.length).toBe(2);
});
