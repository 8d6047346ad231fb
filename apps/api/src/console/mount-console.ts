import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import { ApiErrorCode, type ApiErrorBody } from '@dingrelay/contracts';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from '../http/request-id.middleware.js';

export const CONSOLE_PATH = '/console';

/** apps/api/dist/console/ → apps/console/dist: the same in the repository and in the API's image. */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist', import.meta.url));

/**
 * The console is a client of this API like any other: static files, no key needed to load them (every call it makes
 * carries the user's key), so nothing here touches the API's data. The policy keeps the page from loading anything
 * but its own files or talking to anything but this API; antd writes its styles at run time, hence inline styles.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
}

export function consoleDir(configured: string | undefined): string {
  return configured ? resolve(configured) : DEFAULT_CONSOLE_DIR;
}

/**
 * Serves the built console at /console: hashed assets cached for a year, and index.html (never cached, so a new
 * release is picked up) for every other GET under /console, so deep links such as /console/sends/<id> load the app.
 * Without a build, /console answers 503 saying how to build it; the API itself runs either way.
 */
export function mountConsole(app: NestExpressApplication, options: { dir: string }): void {
  const index = join(options.dir, 'index.html');
  // Compressed here, for the console's files only: the API's JSON and its streamed exports keep their own framing.
  app.use(CONSOLE_PATH, securityHeaders, compression());
  app.useStaticAssets(join(options.dir, 'assets'), { prefix: `${CONSOLE_PATH}/assets`, index: false, immutable: true, maxAge: '365d' });
  // A missing asset (a page still open from an older release) is a 404, never index.html parsed as a script.
  app.use(`${CONSOLE_PATH}/assets`, (req: Request, res: Response) => sendError(req, res, HttpStatus.NOT_FOUND, ApiErrorCode.NotFound, 'No such console file'));
  app.useStaticAssets(options.dir, { prefix: CONSOLE_PATH, index: false, redirect: false, maxAge: '1h' });
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.originalUrl === CONSOLE_PATH) return res.redirect(HttpStatus.MOVED_PERMANENTLY, `${CONSOLE_PATH}/`);
    if (!existsSync(index)) {
      return sendError(req, res, HttpStatus.SERVICE_UNAVAILABLE, ApiErrorCode.ServiceUnavailable, 'The console is not built: run npm run build (or set CONSOLE_DIR to its files)');
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function sendError(req: Request, res: Response, status: number, code: ApiErrorCode, message: string): void {
  const body: ApiErrorBody = { status, code, message, details: [], requestId: requestIdOf(req) };
  res.status(status).json(body);
}
