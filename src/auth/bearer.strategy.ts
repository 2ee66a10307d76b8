import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { CredentialResolver } from './credential-resolver.js';
import type { Principal } from './principal.js';

/** Resolves an `Authorization: Bearer` session or PAT to one principal. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly credentials: CredentialResolver) {
    super();
  }

  async validate(token: string): Promise<Principal | false> {
    return (await this.credentials.resolve(token)) ?? false;
  }

  /** Tokens travel in the Authorization header only, never in a query string or a body field. */
  override authenticate(req: { headers: object }, options?: object): void {
    super.authenticate({ headers: req.headers, query: {}, body: {} } as never, options);
  }
}
