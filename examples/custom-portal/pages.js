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
 * @param {string} brand
 * @param {string} latchkeyUrl where the page posts the new password
 */
export function resetPasswordPage(brand, latchkeyUrl) {
  return layout(
    brand,
    'Choose a new password',
    `<h1>Choose a new password</h1>
<p>A few unrelated words make a password that is long, strong and easy to remember.</p>
<form id="reset-form" novalidate>
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
 * The portal's own branded reset email.
 * @param {{ brand: string, firstName?: string, link: string, expiresAt: string }} input
 */
export function resetEmail({ brand, firstName, link, expiresAt }) {
  const greeting = firstName ? `Hi ${firstName},` : 'Hi,';
  const expires = new Date(expiresAt).toUTCString();
  return {
    subject: `Reset your ${brand} password`,
    text: `${greeting}

Someone asked to reset the password of your ${brand} account. Choose a new one here:

${link}

The link works once and expires on ${expires}. If you did not ask for this, ignore this email.

— The ${brand} team
`,
    html: `<div style="font-family:system-ui,sans-serif;max-width:32rem">
<p style="font-size:1.2rem;color:#5b2bb5"><strong>◆ ${escapeHtml(brand)}</strong></p>
<p>${escapeHtml(greeting)}</p>
<p>Someone asked to reset the password of your ${escapeHtml(brand)} account.</p>
<p><a href="${escapeHtml(link)}" style="background:#5b2bb5;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none">Choose a new password</a></p>
<p>The link works once and expires on ${escapeHtml(expires)}. If you did not ask for this, ignore this email.</p>
<p>— The ${escapeHtml(brand)} team</p>
</div>`,
  };
}
