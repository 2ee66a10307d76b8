import { Injectable } from '@nestjs/common';

/** Set once SIGTERM arrives, so readiness turns 503 while requests in flight drain. */
@Injectable()
export class ShutdownState {
  draining = false;
}
