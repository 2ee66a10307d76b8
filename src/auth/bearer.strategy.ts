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

  /**
   * Tokens travel in the Authorization header only, never in a query string or a body field. The scheme and the token
   * may be apart by more than one space (RFC 7235's `1*SP`), which passport-http-bearer would refuse.
   */
  override authenticate(req: { headers: { authorization?: string } }, options?: object): void {
    const authorization = req.headers.authorization?.replace(/^(\S+) {2,}/, '$1 ');
    super.authenticate({ headers: { authorization }, query: {}, body: {} } as never, options);
  }
}
