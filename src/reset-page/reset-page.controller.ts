import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { RESET_PAGE_CSS, RESET_PAGE_HTML, RESET_PAGE_JS } from './reset-page.assets.js';

/** Nothing from other origins, no inline code, no framing, no referrer: the URL fragment holds a token. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The small hosted page behind the built-in reset link, for accounts without a portal of their own. */
@ApiExcludeController()
@Controller('reset-password')
export class ResetPageController {
  @Public()
  @Get()
  page(@Res() res: Response): void {
    this.send(res, 'text/html; charset=utf-8', RESET_PAGE_HTML);
  }

  @Public()
  @Get('page.js')
  script(@Res() res: Response): void {
    this.send(res, 'text/javascript; charset=utf-8', RESET_PAGE_JS);
  }

  @Public()
  @Get('page.css')
  style(@Res() res: Response): void {
    this.send(res, 'text/css; charset=utf-8', RESET_PAGE_CSS);
  }

  private send(res: Response, type: string, body: string): void {
    res
      .status(200)
      .set({
        'Content-Type': type,
        'Content-Security-Policy': CSP,
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      })
      .send(body);
  }
}
