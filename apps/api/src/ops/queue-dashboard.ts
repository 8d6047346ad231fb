import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiErrorCode, type ApiErrorBody } from '@dingrelay/contracts';
import { AuthenticateApiKeyUseCase, ObservedQueues } from '@dingrelay/domain';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rolesFor } from '../auth/access-policy.js';
import { REJECTION_MESSAGES } from '../auth/api-key.guard.js';
import { requestIdOf } from '../http/request-id.middleware.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** A browser asked with this challenge offers its login dialog; the key goes in as the password. */
const CHALLENGE = 'Basic realm="dingrelay admin"';
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

/**
 * Bull's dashboard (bull-board) for every queue dingrelay has, under /admin/queues, for admin keys only. It is an
 * Express router, not a Nest route, so it gets its own gate: the same key check as every route (the API keys
 * use-case and the access policy's `admin` permission), taking the key as a Bearer token or as the password of HTTP
 * Basic so that a browser can log in. `readOnly` (QUEUE_DASHBOARD_READ_ONLY) leaves out every action that changes a queue.
 */
export function mountQueueDashboard(app: NestExpressApplication, options: { readOnly: boolean }): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [...app.get(ObservedQueues).all().values()].map((queue) => new BullAdapter(queue, { readOnlyMode: options.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'dingrelay' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, adminOnly(app.get(AuthenticateApiKeyUseCase)), serverAdapter.getRouter() as RequestHandler);
}

function adminOnly(authenticate: AuthenticateApiKeyUseCase): RequestHandler {
  const admins = rolesFor('admin');
  return (req: Request, res: Response, next: NextFunction) => {
    const key = presentedKey(req.header('authorization'));
    // A browser adds Basic credentials to any request to this origin, a cross-site form post included: a change made
    // with them must come from a page of this origin. A Bearer key is never added by a browser, so it needs no check.
    if (key && !SAFE_METHODS.has(req.method) && !BEARER.test(req.header('authorization') ?? '') && !fromThisOrigin(req)) {
      refuse(req, res, HttpStatus.FORBIDDEN, 'A queue change with browser credentials must come from the dashboard itself (same origin); scripts send Authorization: Bearer <key>');
      return;
    }
    if (!key) {
      refuse(req, res, HttpStatus.UNAUTHORIZED, 'Missing API key: log in with an admin key as the password, or send Authorization: Bearer <key>');
      return;
    }
    authenticate.execute(key).then(
      (result) => {
        if (!result.ok) return refuse(req, res, HttpStatus.UNAUTHORIZED, REJECTION_MESSAGES[result.reason]);
        if (!admins.includes(result.apiKey.role)) {
          return refuse(req, res, HttpStatus.FORBIDDEN, `Keys with role ${result.apiKey.role} may not do this (allowed: ${admins.join(', ')})`);
        }
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request names this origin as its source: `Origin` (or, without it, Fetch Metadata) says the same host. */
function fromThisOrigin(req: Request): boolean {
  const origin = req.header('origin');
  if (origin !== undefined) {
    try {
      return new URL(origin).host === req.header('host');
    } catch {
      return false;
    }
  }
  return req.header('sec-fetch-site') === 'same-origin';
}

/** The key of `Authorization: Bearer <key>`, or the password of `Authorization: Basic base64(user:key)`. */
function presentedKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = BEARER.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = BASIC.exec(header)?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

function refuse(req: Request, res: Response, status: HttpStatus.UNAUTHORIZED | HttpStatus.FORBIDDEN, message: string): void {
  const code = status === HttpStatus.UNAUTHORIZED ? ApiErrorCode.Unauthorized : ApiErrorCode.Forbidden;
  // A wrong or revoked key is asked for again, so a browser shows its login dialog instead of a dead end.
  if (status === HttpStatus.UNAUTHORIZED) res.setHeader('WWW-Authenticate', CHALLENGE);
  const body: ApiErrorBody = { status, code, message, details: [], requestId: requestIdOf(req) };
  res.status(status).json(body);
}
