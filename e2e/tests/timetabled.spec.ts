import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import {
  allyPally,
  logInAsDayOpportunities,
  expectNoSeriousAccessibilityViolations,
  logIn,
  openActuals,
} from '../support/portal';

async function openWeek(page: Page, day: string, month: string, year: string): Promise<void> {
  const jump = page.getByRole('group', { name: 'Go to the week of a date' });
  await jump.getByLabel('Day').fill(day);
  await jump.getByLabel('Month').fill(month);
  await jump.getByLabel('Year').fill(year);
  await page.getByRole('button', { name: 'Go to week' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Week beginning ${day}/${month}/${year}`);
  await page.getByRole('button', { name: 'Generate Actuals' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText(/Generated \d+ actuals?/);
}

test('a day-opportunities provider records missed and frustrated sessions with weekday ticks', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInAsDayOpportunities(page);
  await openActuals(page);
  await openWeek(page, '25', '04', '2022');

  const iris = page.getByRole('region', { name: /Mrs Iris Angelo/ });
  const sessions = iris.getByRole('table', { name: /Sessions for/ });
  const tick = (label: string) => sessions.getByLabel(label, { exact: true });

  await test.step('the timetable opens as planned: Mon/Wed/Fri and Tue/Thu', async () => {
    await expect(iris).toContainText('£1,072.30 of £1,072.30');
    await iris.getByRole('button', { name: /^Add\/Edit/ }).click();
    await expect(sessions.getByRole('row')).toHaveCount(3);
    await expect(tick('Monday, row 1')).toBeChecked();
    await expect(tick('Tuesday, row 1')).not.toBeChecked();
    await expect(tick('Thursday, row 2')).toBeChecked();
  });

  await test.step('unticking Wednesday and Friday records two missed sessions, live', async () => {
    await tick('Wednesday, row 1').uncheck();
    await tick('Friday, row 1').uncheck();
    await expect(iris).toContainText('£643.38 = 3 (Actual + Frstd) Sessions x £214.46');
    await expect(iris.locator('.app-row--editing')).toHaveClass(/app-row--red/);
    await expect(iris).toContainText('Comment missing');
  });

  await test.step('a frustrated Thursday is a new flagged row, and is paid', async () => {
    await tick('Friday, row 1').check();
    await tick('Thursday, row 2').uncheck();
    await iris.getByRole('button', { name: /^Add row/ }).click();
    await expect(tick('Monday, row 3')).toBeFocused();
    await tick('Thursday, row 3').check();
    await tick('Frustrated, row 3').check();
    await sessions.getByLabel('Comment, row 3').fill('Client unwell, cancelled on the day');
    await iris.getByLabel(/^Comment for Day Opportunities/).fill('Centre closed on Wednesday');
    // Mon, Tue and Fri delivered, Thu frustrated: four paid sessions, one missed.
    await expect(iris).toContainText('£857.84 = 4 (Actual + Frstd) Sessions x £214.46');
    await expect(iris).not.toContainText('Comment missing');
    await expectNoSeriousAccessibilityViolations(page);
    await page.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'timetabled-editor.png'), fullPage: true });
  });

  await test.step('saved, the line keeps its rows and the week its total', async () => {
    await iris.getByRole('button', { name: /^Save/ }).click();
    await expect(iris.getByRole('status')).toHaveText('Actuals saved for Mrs Iris Angelo.');
    await expect(iris).toContainText('Mon/Fri x 1; Tue x 1; Thu x 1 (frustrated)');
    await expect(iris).toContainText('£857.84 of £1,072.30');
    await page.reload();
    await expect(iris).toContainText('Mon/Fri x 1; Tue x 1; Thu x 1 (frustrated)');
    await iris.getByText('History of this week').click();
    await expect(iris.getByRole('table', { name: /Changes to this week/ })).toContainText(
      'Sessions Mon/Wed/Fri x 1; Tue/Thu x 1 → Mon/Fri x 1; Tue x 1; Thu x 1 (frustrated)',
    );
  });
  await context.close();
});

test('a block pasted from a spreadsheet fills the grid, and the keys move around it', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, allyPally);
  await openActuals(page);
  await openWeek(page, '30', '05', '2022');

  const eric = page.getByRole('region', { name: /Mr Eric Bristow/ });
  const field = (name: string, level: string) =>
    eric.getByLabel(`${name} for Homecare Flexible - Bradford - ${level}`, { exact: true });
  await eric.getByRole('button', { name: /^Add\/Edit/ }).click();
  // Eric's double-handed line comes first, then the single-handed one.
  const firstActual = field('Actual', 'Double-handed');
  await expect(firstActual).toBeFocused();

  await test.step('arrow keys and Enter move between lines and columns', async () => {
    await page.keyboard.press('ArrowDown');
    await expect(field('Actual', 'Single-handed')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(firstActual).toBeFocused();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');
    await expect(field('Frustrated', 'Double-handed')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(field('Frustrated', 'Single-handed')).toBeFocused();
  });

  await test.step('two rows copied from Excel land in both lines', async () => {
    // What Excel puts on the clipboard: tab-separated cells, CRLF-terminated rows.
    const block = '0\t0\t1\t0\t0\tCall cancelled this week\r\n6\t0\t1\t0\t6\tOne call missed\r\n';
    await firstActual.evaluate((element, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, block);
    await expect(field('Missed', 'Double-handed')).toHaveValue('1');
    await expect(field('Comment', 'Double-handed')).toHaveValue('Call cancelled this week');
    await expect(field('Actual', 'Single-handed')).toHaveValue('6');
    await expect(field('Comment', 'Single-handed')).toHaveValue('One call missed');
    await expect(eric).toContainText('£120.00 = 6 (Actual + Frstd) Hours x £20.00');
    await expect(eric).toContainText('£0.00 = 0 (Actual + Frstd) Hours x £40.00');
  });

  await test.step('leaving with unsaved changes asks first', async () => {
    const dialog = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const asked = await dialog;
    expect(asked.type()).toBe('beforeunload');
    await asked.dismiss();
  });

  await test.step('Save writes both lines', async () => {
    await eric.getByRole('button', { name: /^Save/ }).click();
    await expect(eric.getByRole('status')).toHaveText('Actuals saved for Mr Eric Bristow.');
    await expect(eric).toContainText('£120.00 of £180.00');
    // Bradford wanted the week by 17:00 on the Tuesday after: this is a late submission.
    await expect(page.locator('.app-week-deadline')).toHaveText(
      'This week was due by 17:00 on Tuesday 07/06/2022. Actuals recorded or changed now are marked late.',
    );
    await expect(eric.locator('.app-client__late')).toHaveText("Late recorded after the council's deadline");
  });
  await context.close();
});

test('an unplanned line is added by service level and warns that it is unplanned', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, allyPally);
  await openActuals(page);
  await openWeek(page, '30', '05', '2022');

  const jocky = page.getByRole('region', { name: /Mr Jocky Wilson/ });
  await jocky.getByRole('button', { name: /^Add\/Edit/ }).click();
  // Jocky has double-handed care only, so single-handed is offered as unplanned.
  await jocky.getByLabel('Add actual: Unplanned').selectOption({ label: 'Homecare Flexible - Bradford - Single-handed (£20.00 an hour)' });
  await jocky.getByRole('button', { name: 'Add line' }).click();
  const field = (name: string) =>
    jocky.getByLabel(`${name} for Homecare Flexible - Bradford - Single-handed`, { exact: true });
  await expect(field('Actual')).toBeFocused();
  await field('Actual').fill('2');
  await field('Extra').fill('2');
  await field('Comment').fill('Extra visit after a fall');
  await expect(jocky).toContainText('Unplanned actual');
  await expect(jocky).toContainText('£40.00 = 2 (Actual + Frstd) Hours x £20.00');
  await expectNoSeriousAccessibilityViolations(page);

  await jocky.getByRole('button', { name: /^Save/ }).click();
  await expect(jocky.getByRole('status')).toHaveText('Actuals saved for Mr Jocky Wilson.');
  const row = jocky.getByRole('row', { name: /Single-handed/ });
  await expect(row).toContainText('Unplanned: no care package line item');
  await expect(row).toContainText('Unplanned actual');
  await context.close();
});
