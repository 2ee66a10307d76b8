/** The hosted reset page: static HTML, script and style, all same-origin so the CSP can stay strict. */
export const RESET_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Choose a new password</title>
<link rel="stylesheet" href="/reset-password/page.css">
<script src="/reset-password/page.js" defer></script>
</head>
<body>
<main>
  <h1>Choose a new password</h1>
  <p id="intro">Use at least 15 characters. A few unrelated words make a password that is long and easy to remember.</p>
  <form id="reset-form" novalidate>
    <label for="password">New password</label>
    <input id="password" name="password" type="password" autocomplete="new-password" required>
    <label for="confirm">Type it again</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
    <button id="submit" type="submit">Set new password</button>
  </form>
  <p id="message" role="status" aria-live="polite"></p>
</main>
</body>
</html>
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

export const RESET_PAGE_JS = `'use strict';
(function () {
  var params = new URLSearchParams(location.search);
  var userId = params.get('userId') || '';
  var fragment = new URLSearchParams(location.hash.slice(1));
  var token = fragment.get('token') || '';
  // The token stays out of the address bar, the history and any bookmark from here on.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);

  var form = document.getElementById('reset-form');
  var message = document.getElementById('message');
  var submit = document.getElementById('submit');
  function say(text, kind) { message.textContent = text; message.className = kind || ''; }

  if (!userId || !token) {
    form.hidden = true;
    say('This reset link is incomplete. Open the link from your email again, or ask for a new one.', 'error');
    return;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = form.password.value;
    if (password !== form.confirm.value) { say('The two passwords differ.', 'error'); return; }
    submit.disabled = true;
    say('Saving…');
    fetch('/v3/users/' + encodeURIComponent(userId) + '/reset-password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: token, newPassword: password }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    }).then(function (res) {
      if (res.status === 204) {
        form.hidden = true;
        say('Your password has been changed. You can now sign in with it.', 'ok');
        return;
      }
      return res.json().catch(function () { return {}; }).then(function (body) {
        submit.disabled = false;
        if (body.code === 'WEAK_PASSWORD') say(body.message, 'error');
        else if (body.code === 'RATE_LIMITED') say('Too many attempts. Please wait a while and try again.', 'error');
        else if (body.code === 'RESET_TOKEN_INVALID') {
          form.hidden = true;
          say('This reset link is invalid or has expired. Ask for a new one.', 'error');
        } else say('Something went wrong. Please try again.', 'error');
      });
    }, function () {
      submit.disabled = false;
      say('The server could not be reached. Please try again.', 'error');
    });
  });
})();
`;
