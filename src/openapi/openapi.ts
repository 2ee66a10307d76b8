import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** The OpenAPI 3 document, generated from the controllers (the swagger CLI plugin fills in the DTOs). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Latchkey API')
    .setDescription(
      'Multi-tenant accounts and users with scoped personal access tokens and delegated password reset. ' +
        'Authorize with a session token (`lk_ses_…`, from login) or a personal access token (`lk_pat_…`).',
    )
    .setVersion('3')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/')
    .addTag('accounts', 'Sign-up, login and logout, account settings, and the email-based reset request.')
    .addTag('users', "The account's users, their passwords and their reset tokens.")
    .addTag('personal-access-tokens', 'Scoped, revocable bearer tokens for machines and portals.')
    .addTag('email-templates', "The account's branded emails, per event and locale.")
    .addTag('event-logs', 'Who did what in the account, newest first.')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'A session token or a personal access token.' },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  // Public operations say so explicitly.
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op && !op.security) op.security = [];
    }
  }
  return document;
}
