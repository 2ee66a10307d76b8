// The portal's "I did not ask for this" page: opening it changes nothing, since mail scanners fetch every
// link; only the button posts the token (from the URL fragment) to Latchkey's `reset-password/cancel`.
const latchkeyUrl = document.querySelector('meta[name="latchkey-url"]')?.getAttribute('content') ?? '';
const userId = new URLSearchParams(location.search).get('userId') ?? '';
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

const button = /** @type {HTMLButtonElement} */ (document.getElementById('cancel'));
const message = /** @type {HTMLElement} */ (document.getElementById('message'));

/**
 * @param {string} text
 * @param {'' | 'ok' | 'error'} [kind]
 */
function say(text, kind = '') {
  message.textContent = text;
  message.className = kind;
}

if (!userId || !token) {
  button.hidden = true;
  say('This link is incomplete. Open the link from your email again.', 'error');
} else {
  button.addEventListener('click', async () => {
    button.disabled = true;
    say('Cancelling…');
    try {
      const res = await fetch(`${latchkeyUrl}/v3/users/${encodeURIComponent(userId)}/reset-password/cancel`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      if (res.status === 204) {
        button.hidden = true;
        return say(
          'The reset is cancelled: the link in the email no longer works. Your password has not changed.',
          'ok',
        );
      }
      const { code } = /** @type {{ code?: string }} */ (await res.json().catch(() => ({})));
      if (code === 'RESET_TOKEN_INVALID') {
        button.hidden = true;
        return say(
          'This link no longer works: the reset was already completed, cancelled, or has expired. ' +
            'If your password was changed and you did not do it, ask for a new reset link right away.',
          'error',
        );
      }
      button.disabled = false;
      say(
        code === 'RATE_LIMITED'
          ? 'Too many attempts. Please wait a while and try again.'
          : 'Something went wrong. Please try again.',
        'error',
      );
    } catch {
      button.disabled = false;
      say('The server could not be reached. Please try again.', 'error');
    }
  });
}
