/** @param {string} value */
export function escapeHtml(value) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @param {string} brand
 * @param {string} title
 * @param {string} body
 * @param {string} [head]
 */
function layout(brand, title, body, head = '') {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(brand)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/portal.css">
${head}</head>
<body>
<header><span class="logo">◆</span> ${escapeHtml(brand)}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** @param {string} brand */
export function forgotPasswordPage(brand) {
  return layout(
    brand,
    'Forgot your password?',
    `<h1>Forgot your password?</h1>
<p>Enter the email address of your ${escapeHtml(brand)} account and we will send you a link to choose a new password.</p>
<form method="post" action="/forgot-password">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="email" required>
  <button type="submit">Send me a reset link</button>
</form>`,
  );
}

/** @param {string} brand */
export function resetRequestedPage(brand) {
  return layout(
    brand,
    'Check your inbox',
    `<h1>Check your inbox</h1>
<p id="message">If an account exists for that address, an email with a link to choose a new password is on its way.
The link works once and expires soon.</p>`,
  );
}

/**
 * The reset page: its script checks the link with Latchkey's `verify` first, so an expired or used link
 * says so before anyone types a password, and the hint shows the account's real minimum length.
 * @param {string} brand
 * @param {string} latchkeyUrl where the page checks the token and posts the new password
 */
export function resetPasswordPage(brand, latchkeyUrl) {
  return layout(
    brand,
    'Choose a new password',
    `<h1 id="title">Choose a new password</h1>
<p id="hint" hidden>A few unrelated words make a password that is long, strong and easy to remember.</p>
<form id="reset-form" novalidate hidden>
  <label for="password">New password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required>
  <label for="confirm">Type it again</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  <button id="submit" type="submit">Set new password</button>
</form>
<p id="message" role="status" aria-live="polite"></p>`,
    `<meta name="latchkey-url" content="${escapeHtml(latchkeyUrl)}">
<script type="module" src="/assets/reset.js"></script>
`,
  );
}

/**
 * The "I did not ask for this" page the email links to. Opening it changes nothing (mail scanners fetch
 * links); only its button posts the token to Latchkey's `cancel`.
 * @param {string} brand
 * @param {string} latchkeyUrl where the page posts the token
 */
export function cancelResetPage(brand, latchkeyUrl) {
  return layout(
    brand,
    'Cancel a password reset',
    `<h1>Cancel a password reset</h1>
<p id="intro">Did you not ask to reset your ${escapeHtml(brand)} password? Cancel the reset: the link in the email stops
working at once, and your password stays as it is.</p>
<button id="cancel" type="button">Cancel the reset</button>
<p id="message" role="status" aria-live="polite"></p>`,
    `<meta name="latchkey-url" content="${escapeHtml(latchkeyUrl)}">
<script type="module" src="/assets/cancel.js"></script>
`,
  );
}

/**
 * The portal's own branded reset email, with its "I did not ask for this" link.
 * @param {{ brand: string, firstName?: string, link: string, cancelLink: string, expiresAt: string }} input
 */
export function resetEmail({ brand, firstName, link, cancelLink, expiresAt }) {
  const greeting = firstName ? `Hi ${firstName},` : 'Hi,';
  const expires = new Date(expiresAt).toUTCString();
  return {
    subject: `Reset your ${brand} password`,
    text: `${greeting}

Someone asked to reset the password of your ${brand} account. Choose a new one here:

${link}

The link works once and expires on ${expires}.

Did you not ask for this? Your password stays as it is. To make the link stop working at once, cancel the reset:

${cancelLink}

— The ${brand} team
`,
    html: `<div style="font-family:system-ui,sans-serif;max-width:32rem">
<p style="font-size:1.2rem;color:#5b2bb5"><strong>◆ ${escapeHtml(brand)}</strong></p>
<p>${escapeHtml(greeting)}</p>
<p>Someone asked to reset the password of your ${escapeHtml(brand)} account.</p>
<p><a href="${escapeHtml(link)}" style="background:#5b2bb5;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none">Choose a new password</a></p>
<p>The link works once and expires on ${escapeHtml(expires)}.</p>
<p>Did you not ask for this? Your password stays as it is. To make the link stop working at once,
<a href="${escapeHtml(cancelLink)}" style="color:#5b2bb5">cancel the reset</a>.</p>
<p>— The ${escapeHtml(brand)} team</p>
</div>`,
  };
}

/**
 * What the portal received from Latchkey's webhooks: every delivery whose signature it verified, newest first, and
 * what it did. A real portal shows this to its staff only; the demo refreshes it every 5 seconds.
 * @param {string} brand
 * @param {{ configured: boolean, verified: import('./webhooks.js').VerifiedEvent[], rejected: number }} log
 */
export function webhookLogPage(brand, { configured, verified, rejected }) {
  const rows = verified
    .map(
      (e) => `<li class="event">
  <strong class="type">${escapeHtml(e.type)}</strong> <span class="verified">signature verified</span><br>
  <span class="outcome">${escapeHtml(e.outcome)}</span><br>
  <small>webhook-id <code>${escapeHtml(e.webhookId)}</code>, received ${escapeHtml(e.receivedAt)}</small>
</li>`,
    )
    .join('\n');
  const status = configured
    ? `<p>Deliveries to <code>POST /webhooks/latchkey</code> are verified with the endpoint's signing secret
(<code>LATCHKEY_WEBHOOK_SECRET</code>); a repeated <code>webhook-id</code> is ignored.
${rejected === 1 ? '1 delivery was' : `${rejected} deliveries were`} refused: signature not verified.</p>`
    : `<p id="message" class="error">No <code>LATCHKEY_WEBHOOK_SECRET</code> is set: run <code>setup.js</code> to register
the portal's webhook endpoint.</p>`;
  return layout(
    brand,
    'Webhooks received',
    `<h1>Webhooks received</h1>
${status}
${verified.length ? `<ol id="events">\n${rows}\n</ol>` : '<p id="empty">Nothing received yet.</p>'}`,
    `<meta http-equiv="refresh" content="5">
`,
  );
}
