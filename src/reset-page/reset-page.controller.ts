import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import {
  CANCEL_PAGE_HTML,
  CANCEL_PAGE_JS,
  FAVICON_SVG,
  RESET_PAGE_CSS,
  RESET_PAGE_HTML,
  RESET_PAGE_JS,
} from './reset-page.assets.js';

/** Nothing from other origins, no inline code, no framing, no referrer: the URL fragment holds a token. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The headers every part of the page is sent with. */
function PageHeaders(): MethodDecorator {
  return (target, key, descriptor) => {
    Header('Content-Security-Policy', CSP)(target, key, descriptor);
    Header('Referrer-Policy', 'no-referrer')(target, key, descriptor);
    Header('Cache-Control', 'no-store')(target, key, descriptor);
  };
}

/**
 * The small hosted pages: the reset page behind the built-in reset link, for accounts without a
 * portal of their own, and the cancel page behind every reset email's `{{cancelLink}}`. A GET never
 * changes anything (mail scanners fetch links); only the pages' buttons post.
 */
@ApiExcludeController()
@Controller('reset-password')
export class ResetPageController {
  @Public()
  @Get()
  @PageHeaders()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return RESET_PAGE_HTML;
  }

  @Public()
  @Get('page.js')
  @PageHeaders()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return RESET_PAGE_JS;
  }

  @Public()
  @Get('cancel')
  @PageHeaders()
  @Header('Content-Type', 'text/html; charset=utf-8')
  cancelPage(): string {
    return CANCEL_PAGE_HTML;
  }

  @Public()
  @Get('cancel.js')
  @PageHeaders()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  cancelScript(): string {
    return CANCEL_PAGE_JS;
  }

  @Public()
  @Get('favicon.svg')
  @PageHeaders()
  @Header('Content-Type', 'image/svg+xml')
  favicon(): string {
    return FAVICON_SVG;
  }

  @Public()
  @Get('page.css')
  @PageHeaders()
  @Header('Content-Type', 'text/css; charset=utf-8')
  style(): string {
    return RESET_PAGE_CSS;
  }
}
