// Shared setup for the Keyhaven compatibility suite.
//
// node --test runs every file under test/ in its own process, this one included.
// Importing it has no side effects; all state lives behind memoized functions, so
// the one-time instance bootstrap happens once per process (and only
// test/sdk.test.mjs calls it). Run directly as a test file, it only checks that
// the server is reachable (see the bottom of this file).

import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { InfisicalSDK } from '@infisical/sdk';

// ---------------------------------------------------------------- configuration

export function siteUrl() {
  const raw = process.env.KEYHAVEN_URL;
  if (!raw) {
    throw new Error('KEYHAVEN_URL is not set (site URL without /api, e.g. http://127.0.0.1:8080)');
  }
  // The SDK appends /api/... itself, so the site URL must not end in /api.
  return raw.replace(/\/+$/, '').replace(/\/api$/, '');
}

/** Short unique suffix for this run: lower-case letters and digits. */
export const RUN = (Date.now().toString(36) + Math.random().toString(36).slice(2, 6)).toLowerCase();
/** Upper-case form for secret keys. */
export const RUN_KEY = RUN.toUpperCase();

/** Run `fn` once; every later call gets the same promise (a failure is remembered too). */
export function once(fn) {
  let promise;
  return () => (promise ??= Promise.resolve().then(fn));
}

// ---------------------------------------------------------------- plain HTTP

/**
 * Plain fetch against the server. `path` starts with /api/...
 * Returns {status, headers, text, body} where body is the parsed JSON (or undefined).
 */
export async function http(method, path, { token, body, query, headers } = {}) {
  const url = new URL(siteUrl() + path);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  }
  const h = { accept: 'application/json', ...(headers ?? {}) };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, { method, headers: h, body: payload, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let parsed;
  try {
    parsed = text.length ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Assert the status code, showing the request and response body when it differs. */
export function expectStatus(res, status, what = '') {
  assert.equal(
    res.status,
    status,
    `${what ? what + ': ' : ''}expected HTTP ${status}, got ${res.status}; body: ${res.text.slice(0, 2000)}`,
  );
  return res.body;
}

/** Infisical error body: {reqId, statusCode, message, error}. */
export function assertErrorBody(res, status, error) {
  const b = res.body;
  assert.ok(b && typeof b === 'object', `error body must be JSON, got: ${res.text.slice(0, 500)}`);
  assert.equal(typeof b.reqId, 'string', `reqId must be a string: ${res.text}`);
  assert.ok(b.reqId.length > 0, 'reqId must not be empty');
  assert.equal(b.statusCode, status, `statusCode field: ${res.text}`);
  assert.equal(typeof b.message, 'string', `message must be a string: ${res.text}`);
  assert.ok(b.message.length > 0, 'message must not be empty');
  assert.equal(typeof b.error, 'string', `error must be a string: ${res.text}`);
  if (error !== undefined) assert.equal(b.error, error, `error field: ${res.text}`);
  return b;
}

// ---------------------------------------------------------------- SDK helpers

/** A new SDK client pointed at the server, optionally authenticated with a token. */
export function newSdk(token) {
  const sdk = new InfisicalSDK({ siteUrl: siteUrl() });
  if (token) sdk.auth().accessToken(token);
  return sdk;
}

/** Await a promise that must reject; return the error. */
export async function rejection(promise, what = 'call') {
  try {
    const value = await promise;
    assert.fail(`${what} should have failed but resolved with ${JSON.stringify(value)?.slice(0, 500)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    return err;
  }
}

/**
 * How @infisical/sdk 5.x surfaces an HTTP error: an InfisicalSDKRequestError whose
 * message is "[URL=<full url>] [Method=<M>] [StatusCode=<n>] <server message>"
 * (only when the response body has a string `message`; otherwise an
 * InfisicalSDKError "Request failed with status <n>").
 */
export function assertSdkHttpError(err, { status, method, urlIncludes, messageMatch } = {}) {
  assert.ok(err instanceof Error, `expected an Error, got ${err}`);
  assert.equal(err.name, 'InfisicalSDKRequestError', `error name (message: ${err.message})`);
  const m = /^\[URL=(.*?)\] \[Method=(\w+)\] \[StatusCode=(\d+)\] ([\s\S]*)$/.exec(err.message);
  assert.ok(m, `unexpected SDK error message format: ${err.message}`);
  const [, url, gotMethod, gotStatus, serverMessage] = m;
  if (status !== undefined) assert.equal(Number(gotStatus), status, `status in SDK error: ${err.message}`);
  if (method !== undefined) assert.equal(gotMethod, method, `method in SDK error: ${err.message}`);
  if (urlIncludes !== undefined) assert.ok(url.includes(urlIncludes), `URL ${url} should include ${urlIncludes}`);
  if (messageMatch !== undefined) assert.match(serverMessage, messageMatch);
  return { url, method: gotMethod, status: Number(gotStatus), serverMessage };
}

// ---------------------------------------------------------------- readiness

/** Wait until the server answers HTTP at all (any status). */
export async function waitForServer(seconds = Number(process.env.KEYHAVEN_WAIT_SECONDS ?? 60)) {
  const deadline = Date.now() + seconds * 1000;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(siteUrl() + '/api/status', {
        method: 'GET',
        signal: AbortSignal.timeout(3000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`server at ${siteUrl()} did not answer within ${seconds}s: ${lastError?.cause?.message ?? lastError}`);
}

// ---------------------------------------------------------------- one-time bootstrap

export const ADMIN = {
  email: `admin-${RUN}@compat.keyhaven.test`,
  password: `Compat-Passw0rd-${RUN}!`,
  organization: `Compat Org ${RUN}`,
};

/**
 * Bootstrap the (fresh) instance once. Resolves to
 * {response, adminToken, orgId, user, organization, identity}; `response` is the
 * raw HTTP result so the bootstrap test can check its shape.
 */
export const setup = once(async () => {
  await waitForServer();
  const response = await http('POST', '/api/v1/admin/bootstrap', { body: ADMIN });
  if (response.status !== 200) {
    throw new Error(
      `bootstrap failed (the server must be FRESH): HTTP ${response.status} ${response.text.slice(0, 1000)}`,
    );
  }
  const b = response.body ?? {};
  const adminToken = b.identity?.credentials?.token;
  if (typeof adminToken !== 'string' || !adminToken) {
    throw new Error(`bootstrap response has no identity.credentials.token: ${response.text.slice(0, 1000)}`);
  }
  return {
    response,
    adminToken,
    orgId: b.organization?.id,
    user: b.user,
    organization: b.organization,
    identity: b.identity,
  };
});

/**
 * Create an org machine identity with universal auth and a client secret, and add
 * it to a project with a project role. Every step is checked. Uses plain fetch:
 * @infisical/sdk 5.x has no calls for identities, universal-auth config or
 * identity memberships.
 */
export async function createUaIdentity({ token, orgId, projectId, name, orgRole = 'member', projectRole }) {
  const created = await http('POST', '/api/v1/identities', {
    token,
    body: { name, organizationId: orgId, role: orgRole },
  });
  const identity = expectStatus(created, 200, 'POST /api/v1/identities').identity;
  assert.equal(typeof identity?.id, 'string', `identity.id: ${created.text}`);

  const attached = await http('POST', `/api/v1/auth/universal-auth/identities/${identity.id}`, { token, body: {} });
  const ua = expectStatus(attached, 200, 'POST /api/v1/auth/universal-auth/identities/:id').identityUniversalAuth;
  assert.equal(typeof ua?.clientId, 'string', `identityUniversalAuth.clientId: ${attached.text}`);

  const cs = await http('POST', `/api/v1/auth/universal-auth/identities/${identity.id}/client-secrets`, {
    token,
    body: { description: `compat ${name}` },
  });
  const csBody = expectStatus(cs, 200, 'POST .../client-secrets');
  assert.equal(typeof csBody?.clientSecret, 'string', `clientSecret: ${cs.text}`);

  let membership;
  if (projectId && projectRole) {
    const m = await http('POST', `/api/v2/workspace/${projectId}/identity-memberships/${identity.id}`, {
      token,
      body: { role: projectRole },
    });
    membership = expectStatus(m, 200, 'POST /api/v2/workspace/:projectId/identity-memberships/:identityId')
      .identityMembership;
  }
  return {
    identity,
    ua,
    clientId: ua.clientId,
    clientSecret: csBody.clientSecret,
    clientSecretData: csBody.clientSecretData,
    membership,
    responses: { created, attached, cs },
  };
}

// ---------------------------------------------------------------- run as a test file

// `node --test test/` also executes this file on its own (every file in a test/
// directory is a test file). Then it checks only that the server is reachable;
// it never bootstraps, so it cannot race the real suite.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { test } = await import('node:test');
  test('preflight: KEYHAVEN_URL is set and the server answers HTTP', async () => {
    assert.ok(process.env.KEYHAVEN_URL, 'KEYHAVEN_URL must be set');
    const status = await waitForServer();
    assert.ok(status >= 200 && status < 600, `HTTP status ${status}`);
  });
}
