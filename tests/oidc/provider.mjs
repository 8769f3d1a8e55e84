// An OpenID Connect provider for wijknet's browser tests: panva's oidc-provider (OpenID Certified), not a mock.
//
//   node provider.mjs <config.json>
//
// config.json: {"port": 43210, "client": {"client_id", "client_secret", "redirect_uri"},
//               "identities": {"<login>": {"password", "email", "email_verified", "name"}, ...}}
//
// Listens on 127.0.0.1 only, issuer http://127.0.0.1:<port>. Everything OpenID Connect (discovery, authorize,
// PKCE, token, ID token signing, userinfo, sessions) is the library's. The interaction - the login page the
// library leaves to its user - is the small form below: login and password checked against config.json, and
// nothing loaded from elsewhere (the library's development form fetches a web font from the internet, and so
// do its default logout and error pages, replaced below).
// Consent is granted up front for the one registered (first-party) client, as an organisation's IdP does for
// its own applications. Prints "listening <issuer>" on stdout once it accepts connections.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const { client, identities } = config;
const SCOPE = 'openid email profile';
const CLAIMS = ['email', 'email_verified', 'name'];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// No form-action: it would also apply to the redirects back to the application.
const CSP = "default-src 'none'; style-src 'unsafe-inline'";
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
</head><body style="font-family: sans-serif; max-width: 24rem; margin: 4rem auto"><h1>${escape(title)}</h1>
${body}</body></html>`;

// The library's own pages for these import a web font from the internet: the same plain page instead.
function html(ctx, title, body) {
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', CSP);
  ctx.body = page(title, body);
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: [client.redirect_uri],
    post_logout_redirect_uris: [client.redirect_uri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Streamlit's st.login reads the identity from the ID token only (it never calls the userinfo endpoint), so
  // the requested claims go into the ID token as well, as Entra ID, Keycloak and Google do.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        html(ctx, 'Sign out', `${form}<p>Sign out of the test identity provider?</p>
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></p>`);
      },
      async postLogoutSuccessSource(ctx) {
        html(ctx, 'Signed out', '<p>You are signed out of the test identity provider.</p>');
      },
    },
  },
  async renderError(ctx, out) {
    html(ctx, 'Sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(identities, id)) return undefined;
    const { password, ...claims } = identities[id];
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    if (ctx.oidc.client.clientId !== client.client_id) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: client.client_id, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(SCOPE);
    grant.addOIDCClaims(CLAIMS);
    await grant.save();
    return grant;
  },
});

function loginPage(res, uid, clientId, error) {
  res.writeHead(error ? 401 : 200, {
    'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': CSP,
  });
  res.end(page('Test identity provider', `<p>Sign in to continue to <b>${escape(clientId)}</b>.</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<p><label>Login <input name="login" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p></form>`));
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

// The interaction: GET shows the login form, POST checks it and hands the result back to the library.
async function interaction(req, res, uid) {
  const { prompt, params } = await provider.interactionDetails(req, res);
  if (prompt.name !== 'login') {
    res.writeHead(501, { 'Content-Type': 'text/plain' });
    res.end(`prompt ${prompt.name} is not handled by the test provider`);
    return;
  }
  if (req.method !== 'POST') {
    loginPage(res, uid, params.client_id);
    return;
  }
  const form = await readForm(req);
  const login = form.get('login') ?? '';
  const identity = Object.hasOwn(identities, login) ? identities[login] : undefined;
  if (!identity || form.get('password') !== identity.password) {
    loginPage(res, uid, params.client_id, 'Wrong login or password.');
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(new URL(req.url, issuer).pathname);
  if (!match) {
    callback(req, res);
    return;
  }
  interaction(req, res, match[1]).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end(`sign-in failed: ${err.message}`);
  });
});
server.listen(config.port, '127.0.0.1', () => console.log(`listening ${issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
