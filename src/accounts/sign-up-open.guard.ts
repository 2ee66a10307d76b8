import { type CanActivate, Injectable } from '@nestjs/common';
import { Errors } from '../common/api-error.js';
import { AppConfig } from '../config/app-config.js';

/** With SIGNUP_ENABLED=false the sign-up route is closed: 403 FORBIDDEN before any of its body is judged. */
@Injectable()
export class SignUpOpenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.signupEnabled) throw Errors.forbidden('Sign-up is disabled on this server.');
    return true;
  }
}
