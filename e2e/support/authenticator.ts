// Helpers for the authenticator app's tests: a fresh provider contact made through the API
// (so no demo login other specs use ever gets an authenticator), the codes an app would
// show, and an axe scan that allows no violation at all.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as OTPAuth from 'otpauth';
import { bradfordCouncil, type Login } from './portal';

const api = '/api/v1';

/** Signs in through the API with the password and the digits asked for; the bearer token. */
export async function apiToken(request: APIRequestContext, login: Login): Promise<string> {
  const started = await request.post(`${api}/auth/login`, {
    data: { email: login.email, password: login.password },
  });
  expect(started.status(), await started.text()).toBe(200);
  const challenge = await started.json();
  expect(challenge.next_step).toBe('security_code_digits');
  const digits = (challenge.positions as number[]).map((position) => login.securityCode[position - 1]);
  const answered = await request.post(`${api}/auth/login/challenge`, {
    data: { challenge_id: challenge.challenge_id, digits },
  });
  expect(answered.status(), await answered.text()).toBe(200);
  return (await answered.json()).access_token as string;
}

/**
 * A new Ally Pally contact, added by Bradford's council staff and through first sign-in
 * (own password, security code 240613), ready to sign in with digits.
 */
export async function newAllyPallyContact(request: APIRequestContext, name: string): Promise<Login> {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${stamp}@allypally.example`;
  const login: Login = {
    email,
    password: 'harbour violet pencil meadow',
    securityCode: '240613',
    organisation: 'Ally Pally Ltd',
  };
  const headers = { Authorization: `Bearer ${await apiToken(request, bradfordCouncil)}` };
  const organisations = await request.get(`${api}/organisations`, { headers });
  expect(organisations.status()).toBe(200);
  const allyPally = ((await organisations.json()).items as { id: string; name: string }[]).find(
    (organisation) => organisation.name === login.organisation,
  );
  expect(allyPally, 'the demo world has Ally Pally Ltd').toBeTruthy();
  const created = await request.post(`${api}/accounts`, {
    headers,
    data: {
      kind: 'provider',
      email,
      name,
      memberships: [{ organisation_id: allyPally!.id, role: 'finance' }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const temporaryPassword = (await created.json()).temporary_password as string;

  const first = await request.post(`${api}/auth/login`, { data: { email, password: temporaryPassword } });
  const challenge = await first.json();
  expect(challenge.next_step).toBe('first_sign_in');
  const password = await request.post(`${api}/auth/first-sign-in/password`, {
    data: { challenge_id: challenge.challenge_id, new_password: login.password },
  });
  expect(password.ok(), await password.text()).toBe(true);
  const code = await request.post(`${api}/auth/first-sign-in/security-code`, {
    data: {
      challenge_id: challenge.challenge_id,
      security_code: login.securityCode,
      security_code_confirmation: login.securityCode,
    },
  });
  expect(code.ok(), await code.text()).toBe(true);
  return login;
}

const PERIOD_SECONDS = 30;

/** The 30-second step a moment falls in, as RFC 6238 counts them. */
export function totpStep(at = Date.now()): number {
  return Math.floor(at / 1000 / PERIOD_SECONDS);
}

/** The code an authenticator app shows at a moment, for the secret as the page shows it. */
export function totpCode(secret: string, at = Date.now()): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret.replace(/\s+/g, '')),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
  });
  return totp.generate({ timestamp: at });
}

/**
 * A code from a step later than `usedStep`, waiting for it if need be: the server takes each
 * step's code once, so a code used at set-up cannot sign in within the same 30 seconds.
 */
export async function codeAfter(secret: string, usedStep: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Date.now();
    const step = totpStep(now);
    if (step > usedStep) return { code: totpCode(secret, now), step };
    const nextStepAt = (usedStep + 1) * PERIOD_SECONDS * 1000;
    await new Promise((resolve) => setTimeout(resolve, nextStepAt - now + 250));
  }
}

/** Fails on any axe violation at all, whatever its impact, naming each. */
export async function expectNoAccessibilityViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const violations = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}
