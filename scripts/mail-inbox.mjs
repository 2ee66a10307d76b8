#!/usr/bin/env node
// A local inbox for development: an SMTP server that accepts every message (no TLS, no auth) and a web page that
// shows what arrived, so the service and the example portal can send real email without Docker.
//
//   npm run mail            SMTP on 127.0.0.1:1025, inbox at http://localhost:8025
//   MAIL_SMTP_PORT, MAIL_WEB_PORT and MAIL_HOST change where it listens.
//
// GET /                     the inbox, newest first
// GET /messages/{id}        one message: headers, text body, and the HTML body in a sandboxed frame
// GET /api/messages         every message as JSON, newest first: id, date, from, to, subject, text, html, links
// DELETE /api/messages      empties the inbox
//
// Messages live in memory (the last 500) and are gone when it stops.
import { simpleParser } from 'mailparser';
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

const host = process.env.MAIL_HOST ?? '127.0.0.1';
const smtpPort = Number(process.env.MAIL_SMTP_PORT ?? 1025);
const webPort = Number(process.env.MAIL_WEB_PORT ?? 8025);
const KEEP = 500;

/** @type {{ id: number, date: string, from: string, to: string[], subject: string, text: string, html: string }[]} */
const messages = [];
let nextId = 1;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    simpleParser(stream).then(
      (mail) => {
        const message = {
          id: nextId++,
          date: (mail.date ?? new Date()).toISOString(),
          from: mail.from?.text ?? session.envelope.mailFrom?.address ?? '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
        };
        messages.unshift(message);
        messages.length = Math.min(messages.length, KEEP);
        console.log(`${message.date} #${message.id} to ${message.to.join(', ')}: ${message.subject}`);
        callback();
      },
      (err) => callback(err),
    );
  },
});

const escape = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The http(s) links of a text body, in order. */
const linksOf = (text) => text.match(/https?:\/\/[^\s<>"')]+/g) ?? [];

/** Escapes a text body and turns its links into anchors. */
const linkify = (text) =>
  escape(text).replace(
    /https?:\/\/[^\s<>"')]+/g,
    (url) => `<a href="${url}" target="_blank" rel="noreferrer">${url}</a>`,
  );

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d2330; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #dde; }
  pre { white-space: pre-wrap; background: #f5f6f8; padding: 1rem; border-radius: 6px; }
  iframe { width: 100%; height: 32rem; border: 1px solid #dde; border-radius: 6px; }
  .muted { color: #667; }
</style></head><body>${body}</body></html>`;

function inbox() {
  const rows = messages
    .map(
      (
        m,
      ) => `<tr><td class="muted">${escape(m.date.replace('T', ' ').slice(0, 19))}</td><td>${escape(m.to.join(', '))}</td>
<td><a href="/messages/${m.id}">${escape(m.subject || '(no subject)')}</a></td><td class="muted">${escape(m.from)}</td></tr>`,
    )
    .join('\n');
  return page(
    'Inbox',
    `<h1>Inbox <span class="muted">(${messages.length})</span></h1>
<p class="muted">SMTP on ${escape(`${host}:${smtpPort}`)}. Reload for new messages.</p>
${messages.length ? `<table><tr><th>received</th><th>to</th><th>subject</th><th>from</th></tr>${rows}</table>` : '<p>No messages yet.</p>'}`,
  );
}

function message(m) {
  return page(
    m.subject,
    `<p><a href="/">← Inbox</a></p><h1>${escape(m.subject || '(no subject)')}</h1>
<p>From: ${escape(m.from)}<br>To: ${escape(m.to.join(', '))}<br>Date: ${escape(m.date)}</p>
${m.html ? `<iframe src="/messages/${m.id}/html" title="HTML body"></iframe>` : ''}
<h2>Text</h2><pre>${linkify(m.text)}</pre>`,
  );
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

const web = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://inbox');
  const one = /^\/messages\/(\d+)(\/html)?$/.exec(url.pathname);
  const found = one && messages.find((m) => m.id === Number(one[1]));
  if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', inbox());
  if (req.method === 'GET' && url.pathname === '/api/messages')
    return send(
      res,
      200,
      'application/json',
      `${JSON.stringify(messages.map((m) => ({ ...m, links: linksOf(m.text) })))}\n`,
    );
  if (req.method === 'DELETE' && url.pathname === '/api/messages') {
    messages.length = 0;
    return send(res, 204, 'text/plain', '');
  }
  if (req.method === 'GET' && found && !one[2]) return send(res, 200, 'text/html; charset=utf-8', message(found));
  if (req.method === 'GET' && found && one[2])
    // The email's own HTML, with no scripts and nothing loaded from elsewhere; links open in a new tab.
    return send(res, 200, 'text/html; charset=utf-8', found.html, {
      'content-security-policy':
        "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    });
  send(res, 404, 'text/plain', 'not found\n');
});

function listen(server, port, what) {
  return new Promise((resolve) => {
    server.once('error', (err) => {
      console.error(
        err.code === 'EADDRINUSE'
          ? `port ${port} (${what}) is in use: stop what holds it, or set ${what === 'SMTP' ? 'MAIL_SMTP_PORT' : 'MAIL_WEB_PORT'}`
          : `${what}: ${err.message}`,
      );
      process.exit(1);
    });
    server.listen(port, host, resolve);
  });
}

await listen(smtp, smtpPort, 'SMTP');
// A client's broken connection is reported, and the inbox keeps going.
smtp.on('error', (err) => console.error(`SMTP: ${err.message}`));
await listen(web, webPort, 'web');
const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
console.log(`SMTP on ${host}:${smtpPort} (SMTP_URL=smtp://127.0.0.1:${smtpPort}); inbox at http://${shown}:${webPort}`);

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    web.close();
    smtp.close(() => process.exit(0));
  });
