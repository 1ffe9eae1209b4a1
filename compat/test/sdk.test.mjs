// Keyhaven ⇄ official Infisical Node SDK (@infisical/sdk) compatibility suite.
//
// Needs KEYHAVEN_URL (site URL without /api) pointing at a FRESH server: the first
// step bootstraps it. describe/it blocks run in order in this one process; every
// shared step is memoized with once(), so a failing prerequisite makes the tests
// that need it fail with the same error instead of cascading nonsense.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN,
  RUN,
  RUN_KEY,
  assertErrorBody,
  assertSdkHttpError,
  createUaIdentity,
  expectStatus,
  http,
  newSdk,
  once,
  rejection,
  setup,
} from './fixture.mjs';

// ---------------------------------------------------------------- names for this run

const PROJECT_NAME = `compat-${RUN}`;
const QA_ENV = `qa-${RUN}`; // an environment created by the suite
const DEV = 'dev'; // a default environment of a new project
const K = (name) => `${name}_${RUN_KEY}`; // unique secret key
const KEY = {
  crud: K('CRUD'),
  renameFrom: K('RENAME_FROM'),
  renameTo: K('RENAME_TO'),
  host: K('REF_HOST'),
  port: K('REF_PORT'),
  url: K('REF_URL'),
  missingRef: K('REF_MISSING'),
  goneTarget: K('REF_GONE_TARGET'),
  folder: K('FOLDER_ONLY'),
  cross: K('REF_CROSS'),
  qaLocal: K('QA_LOCAL'),
  viewerAttempt: K('VIEWER_ATTEMPT'),
  numeric: K('NUMERIC'),
  absent: K('DOES_NOT_EXIST'),
};

const byKey = (secrets, key) => secrets.find((s) => s.secretKey === key);

// ---------------------------------------------------------------- memoized steps

const admin = once(async () => {
  const s = await setup();
  return { ...s, sdk: newSdk(s.adminToken) };
});

const project = once(async () => {
  const { sdk } = await admin();
  return sdk.projects().create({
    projectName: PROJECT_NAME,
    projectDescription: 'Keyhaven SDK compatibility run',
    type: 'secret-manager',
  });
});

const qaEnvironment = once(async () => {
  const { sdk } = await admin();
  const p = await project();
  return sdk.environments().create({ projectId: p.id, name: `QA ${RUN}`, slug: QA_ENV });
});

const folders = once(async () => {
  const { sdk } = await admin();
  const p = await project();
  const backend = await sdk.folders().create({
    projectId: p.id,
    environment: DEV,
    name: 'backend',
    path: '/',
    description: 'compat backend folder',
  });
  const api = await sdk.folders().create({ projectId: p.id, environment: DEV, name: 'api', path: '/backend' });
  return { backend, api };
});

/** The "member" machine identity, created step by step with plain fetch. */
const memberIdentity = once(async () => {
  const { adminToken, orgId } = await admin();
  const p = await project();
  const name = `compat-member-${RUN}`;
  const token = adminToken;

  const created = await http('POST', '/api/v1/identities', {
    token,
    body: { name, organizationId: orgId, role: 'member' },
  });
  const identity = expectStatus(created, 200, 'POST /api/v1/identities').identity;

  const attached = await http('POST', `/api/v1/auth/universal-auth/identities/${identity?.id}`, { token, body: {} });
  const ua = expectStatus(attached, 200, 'POST /api/v1/auth/universal-auth/identities/:id').identityUniversalAuth;

  const cs = await http('POST', `/api/v1/auth/universal-auth/identities/${identity.id}/client-secrets`, {
    token,
    body: { description: 'compat member secret' },
  });
  const csBody = expectStatus(cs, 200, 'POST /api/v1/auth/universal-auth/identities/:id/client-secrets');

  const joined = await http('POST', `/api/v2/workspace/${p.id}/identity-memberships/${identity.id}`, {
    token,
    body: { role: 'member' },
  });
  const membership = expectStatus(joined, 200, 'POST /api/v2/workspace/:projectId/identity-memberships/:identityId')
    .identityMembership;

  return { name, identity, ua, csBody, membership, clientId: ua?.clientId, clientSecret: csBody?.clientSecret };
});

/** An SDK client logged in as the member identity through universal auth. */
const memberSdk = once(async () => {
  const { clientId, clientSecret } = await memberIdentity();
  const sdk = newSdk();
  const returned = await sdk.auth().universalAuth.login({ clientId, clientSecret });
  assert.equal(returned, sdk, 'universalAuth.login resolves to the same SDK instance');
  return sdk;
});

const memberToken = async () => (await memberSdk()).auth().getAccessToken();

/** Secrets used by several reference / import / folder tests (created through the SDK). */
const referenceSecrets = once(async () => {
  const sdk = await memberSdk();
  const p = await project();
  await folders();
  await qaEnvironment();
  const make = (key, secretValue, extra = {}) =>
    sdk.secrets().createSecret(key, { projectId: p.id, environment: DEV, secretValue, ...extra });
  await make(KEY.host, 'db.internal');
  await make(KEY.port, '5432');
  await make(KEY.url, `postgres://\${${KEY.host}}:\${${KEY.port}}/app`);
  // Infisical refuses to create a reference to a secret that does not exist (400), so
  // make the target, reference it, then delete the target: the ref is now dangling.
  await make(KEY.goneTarget, 'soon-gone');
  await make(KEY.missingRef, `left-\${${KEY.goneTarget}}-as-is`);
  await sdk.secrets().deleteSecret(KEY.goneTarget, { projectId: p.id, environment: DEV });
  await make(KEY.folder, 'folder-value', { secretPath: '/backend' });
  await make(KEY.cross, `\${${DEV}.${KEY.host}}|\${${DEV}.backend.${KEY.folder}}`, { environment: QA_ENV });
  await make(KEY.qaLocal, 'qa-local', { environment: QA_ENV });
  return true;
});

const importStep = once(async () => {
  await referenceSecrets();
  const p = await project();
  const res = await http('POST', '/api/v1/secret-imports', {
    token: await memberToken(),
    body: { workspaceId: p.id, environment: QA_ENV, path: '/', import: { environment: DEV, path: '/backend' } },
  });
  return { res, secretImport: expectStatus(res, 200, 'POST /api/v1/secret-imports').secretImport };
});

const viewer = once(async () => {
  const { adminToken, orgId } = await admin();
  const p = await project();
  await referenceSecrets();
  const v = await createUaIdentity({
    token: adminToken,
    orgId,
    projectId: p.id,
    name: `compat-viewer-${RUN}`,
    projectRole: 'viewer',
  });
  const sdk = newSdk();
  await sdk.auth().universalAuth.login({ clientId: v.clientId, clientSecret: v.clientSecret });
  return { ...v, sdk };
});

// ================================================================ tests

describe('1. instance bootstrap (plain fetch)', () => {
  it('POST /api/v1/admin/bootstrap creates the admin user, organization and an admin identity token', async () => {
    const { response } = await setup();
    const b = expectStatus(response, 200, 'bootstrap');
    assert.equal(typeof b.message, 'string');
    assert.equal(typeof b.user?.id, 'string');
    assert.ok(b.user.id.length > 0);
    assert.equal(b.user.email, ADMIN.email);
    assert.equal(typeof b.organization?.id, 'string');
    assert.ok(b.organization.id.length > 0);
    assert.equal(b.organization.name, ADMIN.organization);
    assert.equal(typeof b.organization.slug, 'string');
    assert.ok(b.organization.slug.length > 0);
    assert.equal(typeof b.identity?.id, 'string');
    assert.equal(typeof b.identity.name, 'string');
    const token = b.identity.credentials?.token;
    assert.equal(typeof token, 'string');
    assert.ok(token.length > 10, 'token looks too short');
    assert.ok(!token.startsWith('st.'), 'identity tokens must never start with "st." (legacy service-token prefix)');
  });

  it('a second bootstrap is refused with 400 and the Infisical error body', async () => {
    await setup();
    const res = await http('POST', '/api/v1/admin/bootstrap', {
      body: { email: `again-${RUN}@compat.keyhaven.test`, password: ADMIN.password, organization: 'Again' },
    });
    expectStatus(res, 400, 'second bootstrap');
    // Infisical's BadRequestError puts its `name` in `error` (default "BadRequest"), so only the type is fixed.
    assertErrorBody(res, 400);
  });
});

describe('2. project, environment and folders through the SDK (admin identity token)', () => {
  it('projects().create → POST /api/v2/workspace returns the project with default environments', async () => {
    const { orgId } = await admin();
    const p = await project();
    assert.equal(typeof p.id, 'string');
    assert.ok(p.id.length > 0);
    assert.equal(p.name, PROJECT_NAME);
    assert.equal(p.description, 'Keyhaven SDK compatibility run');
    assert.equal(p.type, 'secret-manager');
    assert.equal(typeof p.slug, 'string');
    assert.ok(p.slug.length > 0);
    assert.equal(p.orgId, orgId);
    assert.equal(p._id, p.id, 'project carries _id = id');
    assert.ok(Array.isArray(p.environments), 'project.environments must be an array');
    const slugs = p.environments.map((e) => e.slug).sort();
    assert.deepEqual(slugs, ['dev', 'prod', 'staging']);
    for (const e of p.environments) assert.equal(typeof e.id, 'string');
  });

  it('environments().create → POST /api/v1/workspace/:projectId/environments', async () => {
    const p = await project();
    const env = await qaEnvironment();
    assert.equal(typeof env.id, 'string');
    assert.equal(env.slug, QA_ENV);
    assert.equal(env.name, `QA ${RUN}`);
    assert.equal(env.projectId, p.id);
    assert.equal(typeof env.position, 'number');
    assert.ok(env.position >= 4, `a 4th environment should not take position ${env.position}`);
  });

  it('folders().create → POST /api/v1/folders (root and nested)', async () => {
    const { backend, api } = await folders();
    assert.equal(typeof backend.id, 'string');
    assert.equal(backend.name, 'backend');
    assert.equal(typeof backend.envId, 'string');
    assert.equal(typeof api.id, 'string');
    assert.equal(api.name, 'api');
    assert.equal(api.envId, backend.envId);
    assert.equal(api.parentId, backend.id, 'nested folder parentId');
    assert.notEqual(api.id, backend.id);
  });

  it('folders().listFolders → GET /api/v1/folders (per path and recursive)', async () => {
    const { sdk } = await admin();
    const p = await project();
    const { backend, api } = await folders();

    const root = await sdk.folders().listFolders({ projectId: p.id, environment: DEV, path: '/' });
    assert.ok(Array.isArray(root));
    assert.deepEqual(
      root.map((f) => f.name),
      ['backend'],
    );
    assert.equal(root[0].id, backend.id);

    const inner = await sdk.folders().listFolders({ projectId: p.id, environment: DEV, path: '/backend' });
    assert.deepEqual(
      inner.map((f) => f.id),
      [api.id],
    );

    const all = await sdk.folders().listFolders({ projectId: p.id, environment: DEV, path: '/', recursive: true });
    const ids = all.map((f) => f.id);
    assert.ok(ids.includes(backend.id) && ids.includes(api.id), `recursive list has both folders: ${JSON.stringify(all)}`);

    const qa = await sdk.folders().listFolders({ projectId: p.id, environment: (await qaEnvironment()).slug });
    assert.deepEqual(qa, [], 'a fresh environment has no folders');
  });

  it('creating an existing folder again returns the existing folder (idempotent, as Infisical)', async () => {
    const { sdk } = await admin();
    const p = await project();
    const { backend } = await folders();
    const again = await sdk.folders().create({ projectId: p.id, environment: DEV, name: 'backend', path: '/' });
    assert.equal(again.id, backend.id);
    assert.equal(again.name, 'backend');
    const root = await sdk.folders().listFolders({ projectId: p.id, environment: DEV, path: '/' });
    assert.equal(root.filter((f) => f.name === 'backend').length, 1, 'no duplicate folder');
  });
});

describe('3. machine identity with universal auth (fetch), login and renew through the SDK', () => {
  it('POST /api/v1/identities creates an org identity', async () => {
    const { orgId } = await admin();
    const { identity, name } = await memberIdentity();
    assert.equal(typeof identity.id, 'string');
    assert.equal(identity.name, name);
    assert.equal(identity.orgId, orgId);
    assert.ok(Array.isArray(identity.authMethods));
  });

  it('POST /api/v1/auth/universal-auth/identities/:id with {} attaches UA with the documented defaults', async () => {
    const { ua, identity } = await memberIdentity();
    assert.equal(typeof ua.id, 'string');
    assert.equal(typeof ua.clientId, 'string');
    assert.ok(ua.clientId.length > 0);
    assert.equal(ua.identityId, identity.id);
    assert.equal(ua.accessTokenTTL, 2592000);
    assert.equal(ua.accessTokenMaxTTL, 2592000);
    assert.equal(ua.accessTokenNumUsesLimit, 0);
    assert.ok(Array.isArray(ua.clientSecretTrustedIps) && ua.clientSecretTrustedIps.length >= 1);
    assert.ok(Array.isArray(ua.accessTokenTrustedIps) && ua.accessTokenTrustedIps.length >= 1);
    const ips = ua.accessTokenTrustedIps.map((x) => x.ipAddress);
    assert.ok(ips.includes('0.0.0.0/0') || ips.includes('0.0.0.0'), `default IPv4 allow-all in ${JSON.stringify(ips)}`);
  });

  it('attaching universal auth twice is refused (400)', async () => {
    const { adminToken } = await admin();
    const { identity } = await memberIdentity();
    const res = await http('POST', `/api/v1/auth/universal-auth/identities/${identity.id}`, {
      token: adminToken,
      body: {},
    });
    expectStatus(res, 400, 'second UA attach');
    assertErrorBody(res, 400);
  });

  it('POST .../client-secrets returns a 64-hex secret and its metadata', async () => {
    const { csBody, ua } = await memberIdentity();
    assert.match(csBody.clientSecret, /^[0-9a-f]{64}$/);
    const d = csBody.clientSecretData;
    assert.equal(typeof d.id, 'string');
    assert.equal(d.description, 'compat member secret');
    assert.equal(d.clientSecretPrefix, csBody.clientSecret.slice(0, 4));
    assert.equal(d.clientSecretNumUses, 0);
    assert.equal(d.clientSecretNumUsesLimit, 0);
    assert.equal(d.clientSecretTTL, 0);
    assert.equal(d.isClientSecretRevoked, false);
    assert.equal(d.identityUAId, ua.id);
    assert.ok(!Number.isNaN(Date.parse(d.createdAt)), 'createdAt is an ISO date');
  });

  it('POST /api/v2/workspace/:projectId/identity-memberships/:identityId adds it to the project', async () => {
    const p = await project();
    const { membership, identity } = await memberIdentity();
    assert.equal(typeof membership.id, 'string');
    assert.equal(membership.identityId, identity.id);
    assert.equal(membership.projectId, p.id);
  });

  it('auth().universalAuth.login → POST /api/v1/auth/universal-auth/login sets a usable token', async () => {
    const sdk = await memberSdk();
    const token = sdk.auth().getAccessToken();
    assert.equal(typeof token, 'string');
    assert.ok(token.length > 10);
    assert.ok(!token.startsWith('st.'));
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV });
    assert.ok(Array.isArray(res.secrets));
  });

  it('login response shape (fetch): {accessToken, expiresIn, accessTokenMaxTTL, tokenType}', async () => {
    const { clientId, clientSecret } = await memberIdentity();
    const res = await http('POST', '/api/v1/auth/universal-auth/login', { body: { clientId, clientSecret } });
    const b = expectStatus(res, 200, 'UA login');
    assert.equal(typeof b.accessToken, 'string');
    assert.equal(b.expiresIn, 2592000);
    assert.equal(b.accessTokenMaxTTL, 2592000);
    assert.equal(b.tokenType, 'Bearer');

    const renewed = await http('POST', '/api/v1/auth/token/renew', { body: { accessToken: b.accessToken } });
    const r = expectStatus(renewed, 200, 'token renew');
    assert.equal(typeof r.accessToken, 'string');
    // Keyhaven caps a renewal at the max TTL instead of refusing it, so right after login
    // (TTL == max TTL) the renewed lifetime is the time left until the max TTL.
    assert.ok(r.expiresIn <= 2592000 && r.expiresIn > 2592000 - 60, `expiresIn ${r.expiresIn}`);
    assert.equal(r.accessTokenMaxTTL, 2592000);
    assert.equal(r.tokenType, 'Bearer');
    const p = await project();
    const list = await http('GET', '/api/v3/secrets/raw', {
      token: r.accessToken,
      query: { workspaceId: p.id, environment: DEV },
    });
    expectStatus(list, 200, 'list with the renewed token');
  });

  it('auth().universalAuth.renew → POST /api/v1/auth/token/renew switches to a working token', async () => {
    const { clientId, clientSecret } = await memberIdentity();
    const p = await project();
    const sdk = newSdk();
    await sdk.auth().universalAuth.login({ clientId, clientSecret });
    const before = sdk.auth().getAccessToken();
    const returned = await sdk.auth().universalAuth.renew();
    assert.equal(returned, sdk);
    const after = sdk.auth().getAccessToken();
    assert.equal(typeof after, 'string');
    assert.ok(after.length > 10);
    assert.ok(before);
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV });
    assert.ok(Array.isArray(res.secrets));
  });

  it('a wrong client secret is refused with 401 (SDK error)', async () => {
    const { clientId, clientSecret } = await memberIdentity();
    const wrong = (clientSecret[0] === 'a' ? 'b' : 'a') + clientSecret.slice(1);
    const err = await rejection(newSdk().auth().universalAuth.login({ clientId, clientSecret: wrong }), 'bad login');
    assertSdkHttpError(err, { status: 401, method: 'POST', urlIncludes: '/api/v1/auth/universal-auth/login' });
  });
});

describe('4. secrets CRUD through the SDK (member identity)', () => {
  it('createSecret → POST /api/v3/secrets/raw/:name returns {secret}', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().createSecret(KEY.crud, {
      projectId: p.id,
      environment: DEV,
      secretValue: 'alpha',
      secretComment: 'first comment',
    });
    const s = res.secret;
    assert.ok(s, `response must wrap the secret: ${JSON.stringify(res)}`);
    assert.equal(s.secretKey, KEY.crud);
    assert.equal(s.secretValue, 'alpha');
    assert.equal(s.secretComment, 'first comment');
    assert.equal(s.version, 1);
    assert.equal(s.type, 'shared');
    assert.equal(s.environment, DEV);
    assert.equal(s.workspace, p.id, 'secret.workspace is the project id');
    assert.equal(typeof s.id, 'string');
    assert.equal(s._id, s.id, 'secret carries _id = id (the CLI reads _id)');
  });

  it('getSecret → GET /api/v3/secrets/raw/:name returns the secret', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.crud });
    assert.equal(s.secretKey, KEY.crud);
    assert.equal(s.secretValue, 'alpha');
    assert.equal(s.secretComment, 'first comment');
    assert.equal(s.secretPath, '/');
    assert.equal(s.secretValueHidden, false);
    assert.equal(s.version, 1);
    assert.equal(s.workspace, p.id);
  });

  it('listSecrets → GET /api/v3/secrets/raw lists it (no imports key unless asked)', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV });
    assert.ok(Array.isArray(res.secrets));
    const s = byKey(res.secrets, KEY.crud);
    assert.ok(s, `${KEY.crud} missing from list`);
    assert.equal(s.secretValue, 'alpha');
    assert.equal(s.secretPath, '/');
    assert.equal(s.secretValueHidden, false);
    assert.equal(s.environment, DEV);
    assert.equal(s.type, 'shared');
    assert.equal(s._id, s.id);
    assert.equal(res.imports, undefined, 'imports must be absent when include_imports=false');
  });

  it('listSecrets with viewSecretValue:false hides values', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, viewSecretValue: false });
    const s = byKey(res.secrets, KEY.crud);
    assert.ok(s);
    assert.equal(s.secretValue, '<hidden-by-infisical>');
    assert.equal(s.secretValueHidden, true);
  });

  it('updateSecret → PATCH /api/v3/secrets/raw/:name changes value and bumps the version', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().updateSecret(KEY.crud, {
      projectId: p.id,
      environment: DEV,
      secretValue: 'beta',
      secretComment: 'second comment',
    });
    assert.equal(res.secret.secretKey, KEY.crud);
    assert.equal(res.secret.secretValue, 'beta');
    assert.equal(res.secret.version, 2);
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.crud });
    assert.equal(s.secretValue, 'beta');
    assert.equal(s.secretComment, 'second comment');
    assert.equal(s.version, 2);
    const v1 = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.crud, version: 1 });
    assert.equal(v1.secretValue, 'alpha', 'getSecret with version=1 returns the old value');
  });

  it('updateSecret with newSecretName renames the secret', async () => {
    const sdk = await memberSdk();
    const p = await project();
    await sdk.secrets().createSecret(KEY.renameFrom, { projectId: p.id, environment: DEV, secretValue: 'moving' });
    const res = await sdk.secrets().updateSecret(KEY.renameFrom, {
      projectId: p.id,
      environment: DEV,
      newSecretName: KEY.renameTo,
    });
    assert.equal(res.secret.secretKey, KEY.renameTo);
    // (Infisical echoes secretValue "" here when no new value is sent, so read it back instead)
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.renameTo });
    assert.equal(s.secretValue, 'moving');
    const err = await rejection(
      sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.renameFrom }),
      'get old name',
    );
    assertSdkHttpError(err, { status: 404 });
  });

  it('creating a key that already exists is refused (400)', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const err = await rejection(
      sdk.secrets().createSecret(KEY.crud, { projectId: p.id, environment: DEV, secretValue: 'dup' }),
      'duplicate create',
    );
    assertSdkHttpError(err, { status: 400, method: 'POST' });
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.crud });
    assert.equal(s.secretValue, 'beta', 'the failed duplicate must not overwrite the value');
  });

  it('deleteSecret → DELETE /api/v3/secrets/raw/:name (JSON body) removes it', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().deleteSecret(KEY.crud, { projectId: p.id, environment: DEV });
    assert.equal(res.secret.secretKey, KEY.crud);
    const err = await rejection(
      sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.crud }),
      'get deleted secret',
    );
    assertSdkHttpError(err, { status: 404, method: 'GET', urlIncludes: `/api/v3/secrets/raw/${KEY.crud}` });
    const list = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV });
    assert.equal(byKey(list.secrets, KEY.crud), undefined);
  });
});

describe('5. secret references', () => {
  it('listSecrets (SDK default expandSecretReferences=true) expands ${KEY} in the same environment', async () => {
    await referenceSecrets();
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV });
    assert.equal(byKey(res.secrets, KEY.url)?.secretValue, 'postgres://db.internal:5432/app');
    assert.equal(byKey(res.secrets, KEY.host)?.secretValue, 'db.internal');
  });

  it('expandSecretReferences:false returns the raw reference', async () => {
    await referenceSecrets();
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, expandSecretReferences: false });
    assert.equal(byKey(res.secrets, KEY.url)?.secretValue, `postgres://\${${KEY.host}}:\${${KEY.port}}/app`);
    const one = await sdk.secrets().getSecret({
      projectId: p.id,
      environment: DEV,
      secretName: KEY.url,
      expandSecretReferences: false,
    });
    assert.equal(one.secretValue, `postgres://\${${KEY.host}}:\${${KEY.port}}/app`);
  });

  it('getSecret expands references by default', async () => {
    await referenceSecrets();
    const sdk = await memberSdk();
    const p = await project();
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.url });
    assert.equal(s.secretValue, 'postgres://db.internal:5432/app');
  });

  it('cross-environment refs ${dev.KEY} and ${dev.backend.KEY} expand', async () => {
    await referenceSecrets();
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: QA_ENV });
    assert.equal(byKey(res.secrets, KEY.cross)?.secretValue, 'db.internal|folder-value');
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: QA_ENV, secretName: KEY.cross });
    assert.equal(s.secretValue, 'db.internal|folder-value');
  });

  it('a dangling reference (its target was deleted) is left as written', async () => {
    await referenceSecrets();
    const sdk = await memberSdk();
    const p = await project();
    const s = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.missingRef });
    assert.equal(s.secretValue, `left-\${${KEY.goneTarget}}-as-is`);
  });
});

describe('6. folder-scoped secrets (secretPath /backend)', () => {
  it('createSecret/getSecret with secretPath:/backend', async () => {
    await referenceSecrets(); // creates KEY.folder in dev:/backend through the SDK
    const sdk = await memberSdk();
    const p = await project();
    const s = await sdk.secrets().getSecret({
      projectId: p.id,
      environment: DEV,
      secretName: KEY.folder,
      secretPath: '/backend',
    });
    assert.equal(s.secretValue, 'folder-value');
    assert.equal(s.secretPath, '/backend');
    const err = await rejection(
      sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.folder, secretPath: '/' }),
      'get folder secret at root',
    );
    assertSdkHttpError(err, { status: 404 });
  });

  it('listSecrets is scoped to the folder; trailing slash is normalised; recursive lists the subtree', async () => {
    await referenceSecrets();
    const sdk = await memberSdk();
    const p = await project();
    const root = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, secretPath: '/' });
    assert.equal(byKey(root.secrets, KEY.folder), undefined, 'folder secret must not appear at /');
    assert.ok(byKey(root.secrets, KEY.host));

    const backend = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, secretPath: '/backend' });
    assert.deepEqual(
      backend.secrets.map((s) => s.secretKey),
      [KEY.folder],
    );
    assert.equal(backend.secrets[0].secretPath, '/backend');

    const slash = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, secretPath: '/backend/' });
    assert.deepEqual(
      slash.secrets.map((s) => s.secretKey),
      [KEY.folder],
    );

    const all = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, secretPath: '/', recursive: true });
    assert.equal(byKey(all.secrets, KEY.folder)?.secretPath, '/backend');
    assert.equal(byKey(all.secrets, KEY.host)?.secretPath, '/');
  });

  it('updateSecret/deleteSecret with secretPath act on the folder only', async () => {
    const sdk = await memberSdk();
    const p = await project();
    await folders();
    const key = K('FOLDER_TMP');
    await sdk.secrets().createSecret(key, { projectId: p.id, environment: DEV, secretValue: 'one', secretPath: '/backend' });
    const upd = await sdk.secrets().updateSecret(key, {
      projectId: p.id,
      environment: DEV,
      secretValue: 'two',
      secretPath: '/backend',
    });
    assert.equal(upd.secret.secretValue, 'two');
    const del = await sdk.secrets().deleteSecret(key, { projectId: p.id, environment: DEV, secretPath: '/backend' });
    assert.equal(del.secret.secretKey, key);
    const list = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV, secretPath: '/backend' });
    assert.equal(byKey(list.secrets, key), undefined);
  });
});

describe('7. secret imports', () => {
  it('POST /api/v1/secret-imports (fetch) imports dev:/backend into the QA environment', async () => {
    const { res, secretImport } = await importStep();
    const b = res.body;
    assert.equal(typeof b.message, 'string');
    assert.equal(typeof secretImport.id, 'string');
    assert.equal(secretImport.importPath, '/backend');
    assert.equal(secretImport.importEnv?.slug, DEV);
    assert.equal(typeof secretImport.position, 'number');

    const p = await project();
    const list = await http('GET', '/api/v1/secret-imports', {
      token: await memberToken(),
      query: { workspaceId: p.id, environment: QA_ENV, path: '/' },
    });
    const imports = expectStatus(list, 200, 'GET /api/v1/secret-imports').secretImports;
    assert.equal(imports.length, 1);
    assert.equal(imports[0].id, secretImport.id);
    assert.equal(imports[0].importPath, '/backend');
    assert.equal(imports[0].importEnv.slug, DEV);
  });

  it('listSecrets with includeImports returns `imports` with the imported secrets', async () => {
    await importStep();
    const sdk = await memberSdk();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: QA_ENV, includeImports: true });
    assert.ok(Array.isArray(res.imports), `imports must be an array: ${JSON.stringify(res).slice(0, 500)}`);
    assert.equal(res.imports.length, 1);
    const imp = res.imports[0];
    assert.equal(imp.secretPath, '/backend');
    assert.equal(imp.environment, DEV);
    const imported = byKey(imp.secrets, KEY.folder);
    assert.ok(imported, 'imported secret present');
    assert.equal(imported.secretValue, 'folder-value');
    // the QA folder's own secrets are still in `secrets`
    assert.equal(byKey(res.secrets, KEY.qaLocal)?.secretValue, 'qa-local');
    assert.equal(byKey(res.secrets, KEY.folder), undefined, 'imported keys stay under imports');

    const without = await sdk.secrets().listSecrets({ projectId: p.id, environment: QA_ENV });
    assert.equal(without.imports, undefined, 'imports absent when not requested');
  });

  it('listSecretsWithImports merges imported secrets (SDK-side)', async () => {
    await importStep();
    const sdk = await memberSdk();
    const p = await project();
    const merged = await sdk.secrets().listSecretsWithImports({ projectId: p.id, environment: QA_ENV });
    assert.equal(byKey(merged, KEY.folder)?.secretValue, 'folder-value');
    assert.equal(byKey(merged, KEY.qaLocal)?.secretValue, 'qa-local');
    assert.equal(byKey(merged, KEY.cross)?.secretValue, 'db.internal|folder-value');
  });
});

describe('8. a viewer identity can read but not write', () => {
  it('viewer lists secrets through the SDK', async () => {
    const { sdk } = await viewer();
    const p = await project();
    const res = await sdk.secrets().listSecrets({ projectId: p.id, environment: DEV });
    assert.equal(byKey(res.secrets, KEY.host)?.secretValue, 'db.internal');
    const one = await sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.port });
    assert.equal(one.secretValue, '5432');
  });

  it('viewer createSecret is refused: SDK throws InfisicalSDKRequestError with StatusCode=403', async () => {
    const { sdk } = await viewer();
    const p = await project();
    const err = await rejection(
      sdk.secrets().createSecret(KEY.viewerAttempt, { projectId: p.id, environment: DEV, secretValue: 'nope' }),
      'viewer createSecret',
    );
    const info = assertSdkHttpError(err, {
      status: 403,
      method: 'POST',
      urlIncludes: `/api/v3/secrets/raw/${KEY.viewerAttempt}`,
    });
    assert.ok(info.serverMessage.length > 0, 'server message is surfaced');

    const admin_ = await admin();
    const check = await http('GET', `/api/v3/secrets/raw/${KEY.viewerAttempt}`, {
      token: admin_.adminToken,
      query: { workspaceId: p.id, environment: DEV },
    });
    expectStatus(check, 404, 'the refused secret must not exist');
  });

  it('the 403 body (fetch) is a PermissionDenied error', async () => {
    const v = await viewer();
    const p = await project();
    const res = await http('POST', `/api/v3/secrets/raw/${KEY.viewerAttempt}`, {
      token: v.sdk.auth().getAccessToken(),
      body: { workspaceId: p.id, environment: DEV, secretValue: 'nope' },
    });
    expectStatus(res, 403, 'viewer create via fetch');
    const b = assertErrorBody(res, 403, 'PermissionDenied');
    assert.match(b.message, /not allowed/i);
  });

  it('viewer updateSecret and deleteSecret are refused (403) and change nothing', async () => {
    const { sdk } = await viewer();
    const p = await project();
    const upd = await rejection(
      sdk.secrets().updateSecret(KEY.host, { projectId: p.id, environment: DEV, secretValue: 'hacked' }),
      'viewer update',
    );
    assertSdkHttpError(upd, { status: 403, method: 'PATCH' });
    const del = await rejection(
      sdk.secrets().deleteSecret(KEY.host, { projectId: p.id, environment: DEV }),
      'viewer delete',
    );
    assertSdkHttpError(del, { status: 403, method: 'DELETE' });
    const member = await memberSdk();
    const s = await member.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.host });
    assert.equal(s.secretValue, 'db.internal');
  });
});

describe('9. error shapes', () => {
  it('404: getSecret of a missing key (SDK error and exact body)', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const err = await rejection(
      sdk.secrets().getSecret({ projectId: p.id, environment: DEV, secretName: KEY.absent }),
      'get missing',
    );
    assertSdkHttpError(err, { status: 404, method: 'GET', urlIncludes: `/api/v3/secrets/raw/${KEY.absent}` });

    const res = await http('GET', `/api/v3/secrets/raw/${KEY.absent}`, {
      token: await memberToken(),
      query: { workspaceId: p.id, environment: DEV },
    });
    expectStatus(res, 404, 'missing secret');
    const b = assertErrorBody(res, 404, 'NotFound');
    assert.deepEqual(Object.keys(b).filter((k) => !['reqId', 'statusCode', 'message', 'error', 'details'].includes(k)), []);
  });

  it('422: a number as secretValue → {statusCode:422, error:"ValidationFailure", message:[zod issues]}', async () => {
    const p = await project();
    const res = await http('POST', `/api/v3/secrets/raw/${KEY.numeric}`, {
      token: await memberToken(),
      body: { workspaceId: p.id, environment: DEV, secretValue: 12345 },
    });
    const b = expectStatus(res, 422, 'numeric secretValue');
    assert.equal(b.statusCode, 422);
    assert.equal(b.error, 'ValidationFailure');
    assert.ok(Array.isArray(b.message), `message must be the array of issues: ${res.text}`);
    assert.ok(b.message.length >= 1);
    const issue = b.message.find((i) => Array.isArray(i?.path) && i.path.includes('secretValue'));
    assert.ok(issue, `an issue with path ["secretValue"]: ${res.text}`);
    assert.equal(typeof issue.message, 'string');

    const missing = await http('GET', `/api/v3/secrets/raw/${KEY.numeric}`, {
      token: await memberToken(),
      query: { workspaceId: p.id, environment: DEV },
    });
    expectStatus(missing, 404, 'nothing was created by the invalid request');
  });

  it('422 through the SDK: message is not a string, so the SDK throws InfisicalSDKError "Request failed with status 422"', async () => {
    const sdk = await memberSdk();
    const p = await project();
    const err = await rejection(
      sdk.secrets().createSecret(KEY.numeric, { projectId: p.id, environment: DEV, secretValue: 12345 }),
      'numeric create via SDK',
    );
    assert.equal(err.name, 'InfisicalSDKError');
    assert.match(err.message, /status 422/);
  });

  it('401: no token on a protected route', async () => {
    const p = await project();
    const res = await http('GET', '/api/v3/secrets/raw', { query: { workspaceId: p.id, environment: DEV } });
    expectStatus(res, 401, 'no token');
    assertErrorBody(res, 401);
  });

  it('403 TokenError: a malformed bearer token', async () => {
    const p = await project();
    const res = await http('GET', '/api/v3/secrets/raw', {
      token: 'not-a-real-token',
      query: { workspaceId: p.id, environment: DEV },
    });
    expectStatus(res, 403, 'bad token');
    assertErrorBody(res, 403, 'TokenError');
  });
});

describe('10. protocol conventions other clients rely on (fetch)', () => {
  it('GET responses carry an ETag; a matching If-None-Match gets 304 with an empty body', async () => {
    await referenceSecrets();
    const p = await project();
    const token = await memberToken();
    const query = { workspaceId: p.id, environment: DEV, expandSecretReferences: 'true', include_imports: 'true' };
    const first = await http('GET', '/api/v3/secrets/raw', { token, query });
    expectStatus(first, 200, 'list');
    const etag = first.headers.get('etag');
    assert.ok(etag, 'ETag header present');
    const second = await http('GET', '/api/v3/secrets/raw', { token, query, headers: { 'if-none-match': etag } });
    assert.equal(second.status, 304, `If-None-Match ${etag} → expected 304, got ${second.status}`);
    assert.equal(second.text, '');
  });

  it('the UA login route accepts a trailing slash (the CLI posts to .../login/)', async () => {
    const { clientId, clientSecret } = await memberIdentity();
    const res = await http('POST', '/api/v1/auth/universal-auth/login/', { body: { clientId, clientSecret } });
    const b = expectStatus(res, 200, 'login with trailing slash');
    assert.equal(typeof b.accessToken, 'string');
  });
});

// ---------------------------------------------------------------- KMS

const kmsProject = once(async () => {
  const { sdk } = await admin();
  return sdk.projects().create({ projectName: `compat-kms-${RUN}`, type: 'kms' });
});

/** An SDK client of an identity with the built-in cryptographic-operator role in the KMS project. */
const kmsOperator = once(async () => {
  const { adminToken, orgId } = await admin();
  const p = await kmsProject();
  const op = await createUaIdentity({
    token: adminToken,
    orgId,
    projectId: p.id,
    name: `compat-kms-operator-${RUN}`,
    orgRole: 'no-access',
    projectRole: 'cryptographic-operator',
  });
  const sdk = newSdk();
  await sdk.auth().universalAuth.login({ clientId: op.clientId, clientSecret: op.clientSecret });
  return sdk;
});

const kmsKeys = once(async () => {
  const { sdk } = await admin();
  const p = await kmsProject();
  const aes = await sdk.kms().keys().create({
    projectId: p.id,
    name: `aes-${RUN}`,
    description: 'compat encryption key',
    keyUsage: 'encrypt-decrypt',
    encryptionAlgorithm: 'aes-256-gcm',
  });
  const aes128 = await sdk.kms().keys().create({
    projectId: p.id,
    name: `aes128-${RUN}`,
    keyUsage: 'encrypt-decrypt',
    encryptionAlgorithm: 'aes-128-gcm',
  });
  const ecc = await sdk.kms().keys().create({
    projectId: p.id,
    name: `ecc-${RUN}`,
    keyUsage: 'sign-verify',
    encryptionAlgorithm: 'ECC_NIST_P256',
  });
  return { aes, aes128, ecc };
});

describe('11. KMS through the SDK (kms())', () => {
  it('projects().create with type kms, and GET /api/v1/workspace?type=kms lists only KMS projects', async () => {
    const { adminToken } = await admin();
    const p = await kmsProject();
    assert.equal(p.type, 'kms');
    const res = await http('GET', '/api/v1/workspace', { token: adminToken, query: { type: 'kms' } });
    const list = expectStatus(res, 200, 'GET /api/v1/workspace?type=kms').workspaces;
    assert.ok(list.some((w) => w.id === p.id), 'the KMS project is listed');
    assert.ok(list.every((w) => w.type === 'kms'), 'only KMS projects are listed');
  });

  it('kms().keys().create → POST /api/v1/kms/keys returns the key; getByName finds it', async () => {
    const { sdk } = await admin();
    const p = await kmsProject();
    const { aes, aes128, ecc } = await kmsKeys();
    assert.equal(aes.name, `aes-${RUN}`);
    assert.equal(aes.projectId, p.id);
    assert.equal(aes.keyUsage, 'encrypt-decrypt');
    assert.equal(aes.encryptionAlgorithm, 'aes-256-gcm');
    assert.equal(aes.isDisabled, false);
    assert.equal(aes.version, 1);
    assert.equal(aes128.encryptionAlgorithm, 'aes-128-gcm');
    assert.equal(ecc.keyUsage, 'sign-verify');
    const found = await sdk.kms().keys().getByName({ projectId: p.id, name: aes.name });
    assert.equal(found.id, aes.id);
  });

  it('kms().encryption().encrypt/decrypt round-trip base64 plaintext (operator identity)', async () => {
    const sdk = await kmsOperator();
    const { aes, aes128 } = await kmsKeys();
    for (const key of [aes, aes128]) {
      const plaintext = Buffer.from(`compat secret ${RUN}`).toString('base64');
      const ciphertext = await sdk.kms().encryption().encrypt({ keyId: key.id, plaintext });
      assert.equal(typeof ciphertext, 'string');
      assert.notEqual(ciphertext, plaintext);
      const back = await sdk.kms().encryption().decrypt({ keyId: key.id, ciphertext });
      assert.equal(back, plaintext);
    }
  });

  it('decrypting with another key or a changed ciphertext is refused (400)', async () => {
    const sdk = await kmsOperator();
    const { aes, aes128 } = await kmsKeys();
    const plaintext = Buffer.from('tamper me').toString('base64');
    const ciphertext = await sdk.kms().encryption().encrypt({ keyId: aes.id, plaintext });
    const wrongKey = await rejection(sdk.kms().encryption().decrypt({ keyId: aes128.id, ciphertext }), 'wrong key');
    assertSdkHttpError(wrongKey, { status: 400, method: 'POST', urlIncludes: '/decrypt' });
    const raw = Buffer.from(ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    const tampered = await rejection(
      sdk.kms().encryption().decrypt({ keyId: aes.id, ciphertext: raw.toString('base64') }),
      'tampered',
    );
    assertSdkHttpError(tampered, { status: 400, method: 'POST', urlIncludes: '/decrypt' });
  });

  it('kms().signing(): algorithms, public key, sign and verify (checked with node:crypto too)', async () => {
    const sdk = await kmsOperator();
    const { sdk: adminSdk } = await admin();
    const { ecc } = await kmsKeys();
    const algorithms = await adminSdk.kms().signing().listSigningAlgorithms({ keyId: ecc.id });
    assert.deepEqual([...algorithms].sort(), ['ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512']);
    const publicKey = await adminSdk.kms().signing().getPublicKey({ keyId: ecc.id });
    const data = Buffer.from(`release ${RUN}`).toString('base64');
    const signed = await sdk.kms().signing().sign({ keyId: ecc.id, data, signingAlgorithm: 'ECDSA_SHA_256' });
    assert.equal(signed.keyId, ecc.id);
    assert.equal(signed.signingAlgorithm, 'ECDSA_SHA_256');
    const { createPublicKey, verify } = await import('node:crypto');
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    assert.ok(
      verify('sha256', Buffer.from(data, 'base64'), key, Buffer.from(signed.signature, 'base64')),
      'node:crypto accepts the signature',
    );
    const ok = await sdk.kms().signing().verify({
      keyId: ecc.id,
      data,
      signature: signed.signature,
      signingAlgorithm: 'ECDSA_SHA_256',
    });
    assert.equal(ok.signatureValid, true);
    const bad = await sdk.kms().signing().verify({
      keyId: ecc.id,
      data: Buffer.from('something else').toString('base64'),
      signature: signed.signature,
      signingAlgorithm: 'ECDSA_SHA_256',
    });
    assert.equal(bad.signatureValid, false);
  });

  it('the operator cannot delete keys (403); kms().keys().delete does, and the key is gone (404)', async () => {
    const sdk = await kmsOperator();
    const { sdk: adminSdk } = await admin();
    const p = await kmsProject();
    const { aes128 } = await kmsKeys();
    const refused = await rejection(sdk.kms().keys().delete({ keyId: aes128.id }), 'operator delete');
    assertSdkHttpError(refused, { status: 403, method: 'DELETE' });
    const deleted = await adminSdk.kms().keys().delete({ keyId: aes128.id });
    assert.equal(deleted.id, aes128.id);
    const gone = await rejection(adminSdk.kms().keys().getByName({ projectId: p.id, name: aes128.name }), 'gone');
    assertSdkHttpError(gone, { status: 404, method: 'GET' });
  });
});
