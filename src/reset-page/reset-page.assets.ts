/** The hosted reset and cancel pages: static HTML, script and style, all same-origin so the CSP can stay strict. */

/** The head both hosted pages share: same-origin style, script and icon, and no referrer. */
const head = (title: string, script: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="/reset-password/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/reset-password/page.css">
<script src="/reset-password/${script}" defer></script>
</head>`;

/**
 * The hosted reset page: the form stays hidden until `verify` has said the link is live, and its
 * length hint is filled in with the account's minPasswordLength.
 */
export const RESET_PAGE_HTML = `${head('Choose a new password', 'page.js')}
<body>
<main>
  <h1 id="title">Choose a new password</h1>
  <p id="intro" hidden>A few unrelated words make a password that is long and easy to remember.</p>
  <form id="reset-form" novalidate hidden>
    <label for="password">New password</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required>
    <label for="confirm">Type it again</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
    <button id="submit" type="submit">Set new password</button>
  </form>
  <p id="message" role="status" aria-live="polite"></p>
  <p id="onward" hidden>Sign in with your new password wherever you use this account. You can close this page now.</p>
</main>
</body>
</html>
`;

/** The hosted cancel page: opening it changes nothing; only its one button posts to `cancel`. */
export const CANCEL_PAGE_HTML = `${head('Cancel a password reset', 'cancel.js')}
<body>
<main>
  <h1>Cancel a password reset</h1>
  <p id="intro">Did you not ask to reset your password? Cancel the reset: the link in the email stops working at once. Your password stays as it is.</p>
  <button id="cancel" type="button">Cancel the reset</button>
  <p id="message" role="status" aria-live="polite"></p>
</main>
</body>
</html>
`;

/** The pages' icon, served from the same origin so that no browser asks for a missing /favicon.ico. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2456d3"/><path d="M5 7V5.5a3 3 0 0 1 6 0V7h.5a.5.5 0 0 1 .5.5v5a.5.5 0 0 1-.5.5h-7a.5.5 0 0 1-.5-.5v-5a.5.5 0 0 1 .5-.5zm1.5 0h3V5.5a1.5 1.5 0 0 0-3 0z" fill="#fff"/></svg>
`;

export const RESET_PAGE_CSS = `
body { font-family: system-ui, sans-serif; background: #f6f7f9; color: #1d2330; margin: 0; }
main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 0.5rem;
  box-shadow: 0 1px 4px rgba(0,0,0,.08); }
h1 { font-size: 1.4rem; margin-top: 0; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input { width: 100%; box-sizing: border-box; padding: 0.6rem; margin-top: 0.3rem; font-size: 1rem;
  border: 1px solid #c5cad3; border-radius: 0.3rem; }
button { margin-top: 1.5rem; width: 100%; padding: 0.7rem; font-size: 1rem; border: 0; border-radius: 0.3rem;
  background: #2456d3; color: #fff; cursor: pointer; }
button[disabled] { opacity: .6; cursor: default; }
#message { margin-top: 1rem; min-height: 1.5rem; }
#message.error { color: #b3261e; }
#message.ok { color: #17663a; }
`;

/** The reset page's script: verify on load, then the form; the token never leaves the fragment but in a body. */
export const RESET_PAGE_JS = `'use strict';
(function () {
  var params = new URLSearchParams(location.search);
  var userId = params.get('userId') || '';
  var fragment = new URLSearchParams(location.hash.slice(1));
  var token = fragment.get('token') || '';
  // The token stays out of the address bar, the history and any bookmark from here on.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);

  var form = document.getElementById('reset-form');
  var intro = document.getElementById('intro');
  var message = document.getElementById('message');
  var onward = document.getElementById('onward');
  var submit = document.getElementById('submit');
  function say(text, kind) { message.textContent = text; message.className = kind || ''; }
  function post(path, body) {
    return fetch('/v3/users/' + encodeURIComponent(userId) + '/reset-password' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  }
  function deadLink() {
    form.hidden = true;
    intro.hidden = true;
    say('This reset link has expired or was already used. Ask for a new one.', 'error');
  }
  function tooMany() { say('Too many attempts. Please wait a while and try again.', 'error'); }

  if (!userId || !token) {
    say('This reset link is incomplete. Open the link from your email again, or ask for a new one.', 'error');
    return;
  }

  say('Checking your link…');
  post('/verify', { token: token }).then(function (res) {
    if (res.status === 200) {
      return res.json().then(function (body) {
        intro.textContent = 'Use at least ' + body.minPasswordLength + ' characters. ' + intro.textContent;
        intro.hidden = false;
        form.hidden = false;
        say('');
        form.password.focus();
      });
    }
    return res.json().catch(function () { return {}; }).then(function (body) {
      if (body.code === 'RESET_TOKEN_INVALID') deadLink();
      else if (body.code === 'RATE_LIMITED') tooMany();
      else say('Something went wrong. Please reload the page.', 'error');
    });
  }, function () {
    say('The server could not be reached. Please reload the page.', 'error');
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = form.password.value;
    if (password !== form.confirm.value) { say('The two passwords differ.', 'error'); return; }
    submit.disabled = true;
    say('Saving…');
    post('', { token: token, newPassword: password }).then(function (res) {
      if (res.status === 204) {
        form.hidden = true;
        intro.hidden = true;
        form.reset();
        document.getElementById('title').textContent = 'Password changed';
        say('Your password has been changed.', 'ok');
        onward.hidden = false;
        return;
      }
      return res.json().catch(function () { return {}; }).then(function (body) {
        submit.disabled = false;
        if (body.code === 'WEAK_PASSWORD') say(body.message, 'error');
        else if (body.code === 'RATE_LIMITED') tooMany();
        else if (body.code === 'RESET_TOKEN_INVALID') deadLink();
        else say('Something went wrong. Please try again.', 'error');
      });
    }, function () {
      submit.disabled = false;
      say('The server could not be reached. Please try again.', 'error');
    });
  });
})();
`;

/** The cancel page's script: nothing happens until the button is pressed. */
export const CANCEL_PAGE_JS = `'use strict';
(function () {
  var userId = new URLSearchParams(location.search).get('userId') || '';
  var token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);

  var button = document.getElementById('cancel');
  var message = document.getElementById('message');
  function say(text, kind) { message.textContent = text; message.className = kind || ''; }

  if (!userId || !token) {
    button.hidden = true;
    say('This link is incomplete. Open the link from your email again.', 'error');
    return;
  }

  button.addEventListener('click', function () {
    button.disabled = true;
    say('Cancelling…');
    fetch('/v3/users/' + encodeURIComponent(userId) + '/reset-password/cancel', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: token }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    }).then(function (res) {
      if (res.status === 204) {
        button.hidden = true;
        say('The reset is cancelled: the link in the email no longer works. Your password has not changed.', 'ok');
        return;
      }
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (body.code === 'RESET_TOKEN_INVALID') {
          button.hidden = true;
          say('This link no longer works: the reset was already completed, cancelled, or has expired. ' +
            'If your password was changed and you did not do it, reset it yourself and tell your administrator.', 'error');
        } else if (body.code === 'RATE_LIMITED') {
          button.disabled = false;
          say('Too many attempts. Please wait a while and try again.', 'error');
        } else {
          button.disabled = false;
          say('Something went wrong. Please try again.', 'error');
        }
      });
    }, function () {
      button.disabled = false;
      say('The server could not be reached. Please try again.', 'error');
    });
  });
})();
`;
