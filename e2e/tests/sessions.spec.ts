import { test, expect } from '@playwright/test';
import { logIn } from '../support/portal';

test('a reload keeps the session from its HttpOnly cookie; signing out ends it on the server', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The app runs under a Content-Security-Policy without inline script; nothing it does is refused.
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  const first = await page.goto('/login');
  expect(first?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  await logIn(page);

  // Nothing a script could steal is kept in the page's storage.
  expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
  const cookie = (await context.cookies()).find((each) => each.name === 'portal_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' });

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ally Pally Ltd');

  const before = (await context.cookies()).find((each) => each.name === 'portal_refresh')!.value;
  await page.getByRole('link', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to your Provider Portal');
  await expect.poll(async () => (await context.cookies()).some((each) => each.name === 'portal_refresh')).toBe(false);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to your Provider Portal');

  // The signed-out session's last refresh token no longer works, wherever it is replayed from.
  const replay = await page.request.post('/api/v1/auth/refresh', {
    headers: { Cookie: `portal_refresh=${before}` },
  });
  expect(replay.status()).toBe(401);
  expect(refused).toEqual([]);
  await context.close();
});
