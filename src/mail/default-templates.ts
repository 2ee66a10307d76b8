import type { EmailEvent } from './email-template.entity.js';

/** The content of a built-in template (English); its link is builtInLinkTemplate(). */
export interface BuiltInTemplate {
  subject: string;
  htmlBody: string;
  textBody: string;
}

const page = (title: string, body: string) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;line-height:1.5;font-size:15px;">
${body}
</div>
</body>
</html>
`;

export const BUILT_IN_TEMPLATES: Record<EmailEvent, BuiltInTemplate> = {
  'user.reset-password-request': {
    subject: 'Reset your {{account.name}} password',
    htmlBody: page(
      'Reset your password',
      `<p>Hello {{user.firstName}},</p>
<p>Someone asked to reset the password of your {{account.name}} account ({{user.email}}). To choose a new password, follow this link:</p>
<p style="margin:28px 0;"><a href="{{link}}" style="background:#1f6feb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block;">Choose a new password</a></p>
<p style="font-size:13px;color:#57606a;">The link works once and expires on {{expiresAt}}. If the button does not work, copy this address into your browser:<br><span style="word-break:break-all;">{{link}}</span></p>
<p style="font-size:13px;color:#57606a;">If you did not ask for this, your password stays as it is. To make this link stop working at once, <a href="{{cancelLink}}" style="color:#1f6feb;">cancel this reset</a>.</p>`,
    ),
    textBody: `Hello {{user.firstName}},

Someone asked to reset the password of your {{account.name}} account ({{user.email}}). To choose a new password, open this link:

{{link}}

The link works once and expires on {{expiresAt}}.

If you did not ask for this, your password stays as it is. To make this link stop working at once, cancel this reset here:

{{cancelLink}}
`,
  },
  'user.password-changed': {
    subject: 'Your {{account.name}} password was changed',
    htmlBody: page(
      'Your password was changed',
      `<p>Hello {{user.firstName}},</p>
<p>The password of your {{account.name}} account ({{user.email}}) has just been changed, and your other sessions have been signed out.</p>
<p>If you made this change, there is nothing more to do.</p>
<p><strong>If you did not</strong>, reset your password right away and tell your {{account.name}} administrator.</p>`,
    ),
    textBody: `Hello {{user.firstName}},

The password of your {{account.name}} account ({{user.email}}) has just been changed, and your other sessions have been signed out.

If you made this change, there is nothing more to do.

If you did not, reset your password right away and tell your {{account.name}} administrator.
`,
  },
  'user.email-changed': {
    subject: 'The email address of your {{account.name}} account was changed',
    htmlBody: page(
      'Your email address was changed',
      `<p>Hello {{user.firstName}},</p>
<p>The email address of your {{account.name}} account has just been changed from {{user.email}} to {{newEmail}}. Emails about the account, password resets included, now go to the new address.</p>
<p>If you made this change, there is nothing more to do.</p>
<p><strong>If you did not</strong>, tell your {{account.name}} administrator right away: whoever reads {{newEmail}} can reset your password.</p>`,
    ),
    textBody: `Hello {{user.firstName}},

The email address of your {{account.name}} account has just been changed from {{user.email}} to {{newEmail}}. Emails about the account, password resets included, now go to the new address.

If you made this change, there is nothing more to do.

If you did not, tell your {{account.name}} administrator right away: whoever reads {{newEmail}} can reset your password.
`,
  },
};
