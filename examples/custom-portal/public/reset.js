// The portal's reset page: the token arrives in the URL fragment, which the browser never sends to any
// server, and goes straight to Latchkey in request bodies: first to `verify`, so a dead link says so before
// anyone types a password and the hint shows the account's minimum length, then to `reset-password`.
const latchkeyUrl = document.querySelector('meta[name="latchkey-url"]')?.getAttribute('content') ?? '';
const userId = new URLSearchParams(location.search).get('userId') ?? '';
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
// The token stays out of the address bar, the history and any bookmark from here on.
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

const form = /** @type {HTMLFormElement} */ (document.getElementById('reset-form'));
const hint = /** @type {HTMLElement} */ (document.getElementById('hint'));
const passwordInput = /** @type {HTMLInputElement} */ (document.getElementById('password'));
const confirmInput = /** @type {HTMLInputElement} */ (document.getElementById('confirm'));
const submit = /** @type {HTMLButtonElement} */ (document.getElementById('submit'));
const message = /** @type {HTMLElement} */ (document.getElementById('message'));

/**
 * @param {string} text
 * @param {'' | 'ok' | 'error'} [kind]
 */
function say(text, kind = '') {
  message.textContent = text;
  message.className = kind;
}

/**
 * @param {'/verify' | ''} route
 * @param {Record<string, string>} body
 */
function post(route, body) {
  return fetch(`${latchkeyUrl}/v3/users/${encodeURIComponent(userId)}/reset-password${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
}

/** @param {unknown} body */
function explain(body) {
  const { code, message: reason } = /** @type {{ code?: string, message?: string }} */ (body ?? {});
  if (code === 'WEAK_PASSWORD') return say(reason ?? 'That password is too weak.', 'error');
  if (code === 'RATE_LIMITED') return say('Too many attempts. Please wait a while and try again.', 'error');
  if (code === 'RESET_TOKEN_INVALID') {
    form.hidden = true;
    hint.hidden = true;
    return say(
      'This reset link is invalid, used or expired. Ask for a new one on the "forgot password" page.',
      'error',
    );
  }
  say('Something went wrong. Please try again.', 'error');
}

async function checkLink() {
  say('Checking your link…');
  try {
    const res = await post('/verify', { token });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 200) return explain(body);
    const { minPasswordLength } = /** @type {{ minPasswordLength: number }} */ (body);
    hint.textContent = `Use at least ${minPasswordLength} characters. ${hint.textContent}`;
    hint.hidden = false;
    form.hidden = false;
    say('');
    passwordInput.focus();
  } catch {
    say('The server could not be reached. Please reload the page.', 'error');
  }
}

if (!userId || !token) {
  say('This reset link is incomplete. Open the link from your email again, or ask for a new one.', 'error');
} else {
  void checkLink();
  // An earlier answer no longer applies once the user types again.
  form.addEventListener('input', () => say(''));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (passwordInput.value !== confirmInput.value) return say('The two passwords differ.', 'error');
    submit.disabled = true;
    say('Saving…');
    try {
      const res = await post('', { token, newPassword: passwordInput.value });
      if (res.status === 204) {
        form.hidden = true;
        hint.hidden = true;
        form.reset();
        return say('Your password has been changed. You can now sign in with it.', 'ok');
      }
      submit.disabled = false;
      explain(await res.json().catch(() => ({})));
    } catch {
      submit.disabled = false;
      say('The server could not be reached. Please try again.', 'error');
    }
  });
}
