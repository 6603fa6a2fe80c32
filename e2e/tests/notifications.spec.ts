import { test, expect, type APIRequestContext } from '@playwright/test';
import { apiToken } from '../support/authenticator';
import {
  allyPally,
  bradfordCouncil,
  expectNoSeriousAccessibilityViolations,
  logIn,
  mainNavigation,
} from '../support/portal';

interface Topic {
  code: string;
  subscribed: boolean;
}

/** Ally Pally's contact's subscriptions through the API: what they are, and a way to set them. */
async function allyPallySubscriptions(request: APIRequestContext) {
  const headers = { Authorization: `Bearer ${await apiToken(request, allyPally)}` };
  const me = await request.get('/api/v1/me', { headers });
  expect(me.status(), await me.text()).toBe(200);
  const organisation = ((await me.json()).organisations as { id: string; name: string }[]).find(
    (item) => item.name === allyPally.organisation,
  )!;
  const read = await request.get(`/api/v1/notification-subscriptions?organisation_id=${organisation.id}`, {
    headers,
  });
  expect(read.status(), await read.text()).toBe(200);
  const body = await read.json();
  const subscribed = ([...body.daily, ...body.immediate] as Topic[])
    .filter((topic) => topic.subscribed)
    .map((topic) => topic.code);
  const save = async (topics: string[]) => {
    const saved = await request.put('/api/v1/notification-subscriptions', {
      headers,
      data: { organisation_id: organisation.id, topics },
    });
    expect(saved.status(), await saved.text()).toBe(200);
  };
  return { subscribed, save };
}

test('a provider contact chooses daily and immediate e-mails, which are kept', async ({ page, request }) => {
  // The tests share one database: start with nothing chosen and leave the contact's choices
  // as they were, so no other test gets mail it does not expect.
  const { subscribed: before, save } = await allyPallySubscriptions(request);
  await save([]);
  try {
    await test.step('the page is linked from the home page and says where mail goes', async () => {
      await logIn(page, allyPally);
      await page.getByRole('link', { name: 'Email notifications', exact: true }).click();
      await expect(page).toHaveURL(/\/email-notifications$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email notifications');
      await expect(page.getByText(`Emails will be issued to ${allyPally.email}`)).toBeVisible();
      await expect(page.locator('#notification-organisation')).toHaveText(allyPally.organisation);
      const daily = page.getByRole('group', {
        name: 'The following daily email notification subscription(s) are available:',
      });
      const immediate = page.getByRole('group', {
        name: 'The following immediate email notification subscription(s) are available:',
      });
      for (const label of [
        'Actions',
        'Care Package Line Items',
        'Contract Documents',
        'Disputes',
        'Invoices/Credit Notes',
        'Payments Exceptions',
        'Scheduled Payments',
      ]) {
        await expect(daily.getByLabel(label, { exact: true })).not.toBeChecked();
      }
      await expect(immediate.getByLabel('Actions (Immediate)', { exact: true })).not.toBeChecked();
      await expect(immediate.getByLabel('Password Change (Immediate)', { exact: true })).not.toBeChecked();
      await expect(immediate.getByLabel('Actions (Immediate)', { exact: true })).toHaveAccessibleDescription(
        'An e-mail at once when an action is assigned to you or answered',
      );
      await expectNoSeriousAccessibilityViolations(page);
    });

    await test.step('Disputes and Actions (Immediate) are saved', async () => {
      await page.getByLabel('Disputes', { exact: true }).check();
      await page.getByLabel('Actions (Immediate)', { exact: true }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.locator('.govuk-notification-banner--success')).toContainText(
        `Your email notifications for ${allyPally.organisation} have been saved`,
      );
      await expectNoSeriousAccessibilityViolations(page);
    });

    await test.step('after a reload they are still ticked, and nothing else is', async () => {
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email notifications');
      await expect(page.getByLabel('Disputes', { exact: true })).toBeChecked();
      await expect(page.getByLabel('Actions (Immediate)', { exact: true })).toBeChecked();
      await expect(page.getByLabel('Actions', { exact: true })).not.toBeChecked();
      await expect(page.getByLabel('Password Change (Immediate)', { exact: true })).not.toBeChecked();
      await expect(page.locator('.govuk-notification-banner--success')).toHaveCount(0);
      const { subscribed } = await allyPallySubscriptions(request);
      expect(subscribed.sort()).toEqual(['actions_immediate', 'disputes']);
    });
  } finally {
    await save(before);
  }
});

test('council staff add a webhook, see its secret once, and disable it', async ({ page }) => {
  const url = 'https://finance.example.org/portal-events';
  let secret = '';

  await test.step('reached from council settings; a bad URL and no events are both named', async () => {
    await logIn(page, bradfordCouncil);
    await mainNavigation(page).getByRole('link', { name: 'Council settings' }).click();
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await expect(page).toHaveURL(/\/council\/webhooks$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Webhooks');
    await page.getByLabel('URL', { exact: true }).fill('http://example.org');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: 'The URL must be an https:// URL' })).toHaveAttribute(
      'href',
      '#url',
    );
    await expect(summary.getByRole('link', { name: 'Choose at least one event to send' })).toHaveAttribute(
      'href',
      '#events',
    );
    await expect(page.getByLabel('URL', { exact: true })).toHaveAccessibleDescription(
      /Error:\s+The URL must be an https:\/\/ URL/,
    );
    await expect(page).toHaveTitle(/^Error: Webhooks/);
    await expectNoSeriousAccessibilityViolations(page);
  });

  await test.step('added for disputes raised: the secret and how calls are signed are shown once', async () => {
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('Dispute raised', { exact: true }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.locator('.govuk-error-summary')).toHaveCount(0);
    await expect(page.locator('.govuk-panel__title')).toHaveText('Webhook added');
    secret = (await page.locator('#webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    await expect(page.getByText('It will not be shown again')).toBeVisible();
    await expect(page.locator('.govuk-summary-list')).toContainText(
      'X-Portal-Signature is sha256= followed by the HMAC-SHA-256, in hexadecimal, of X-Portal-Timestamp, a full stop (.) and the body',
    );
    const row = page.getByRole('row', { name: new RegExp(url) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Dispute raised');
    await expect(row).toContainText('Active');
    await expect(row).toContainText(/Trevor Bland on \d{2}\/\d{2}\/\d{4}/);
    await expectNoSeriousAccessibilityViolations(page);

    await page.reload();
    await expect(page.getByRole('row', { name: new RegExp(url) })).toContainText('Active');
    await expect(page.getByText(secret)).toHaveCount(0);
  });

  await test.step('disabling asks first, then the webhook is listed as Disabled', async () => {
    await page.getByRole('button', { name: `Disable the webhook to ${url}` }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Disable this webhook?');
    await expectNoSeriousAccessibilityViolations(page);
    await page.getByRole('button', { name: 'Yes, disable it' }).click();
    await expect(page.locator('.govuk-notification-banner--success')).toContainText(
      `The webhook to ${url} was disabled`,
    );
    const row = page.getByRole('row', { name: new RegExp(url) });
    await expect(row).toContainText('Disabled');
    await expect(row.getByRole('button')).toHaveCount(0);
    await expectNoSeriousAccessibilityViolations(page);
  });
});
