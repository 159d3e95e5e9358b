import { isVigilError } from '@vigil/base';
import type { FastifyError, FastifyInstance } from 'fastify';

/** The body of every error answer: a stable code, a message, a hint and per-item details when there are several. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly hint?: string;
    readonly details?: readonly unknown[];
    readonly line?: number;
    readonly field?: string;
  };
}

const FASTIFY_CODES: Readonly<Record<string, { code: string; hint?: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'API_BODY_TOO_LARGE', hint: 'send smaller batches' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'API_BAD_CONTENT_TYPE',
    hint: 'see the README for the content type of this route',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'API_EMPTY_BODY' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'API_BAD_JSON' },
  FST_ERR_VALIDATION: { code: 'API_BAD_REQUEST' },
};

/** Answers every error with an ErrorBody: VigilErrors with their own status, others as 500 without internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((e: FastifyError, request, reply) => {
    if (isVigilError(e)) {
      if (e.retryAfter !== undefined) void reply.header('Retry-After', String(e.retryAfter));
      const first = e.details[0]?.location;
      const body: ErrorBody = {
        error: {
          code: e.code,
          message: e.message,
          ...(e.hint !== undefined ? { hint: e.hint } : {}),
          ...(first?.line !== undefined ? { line: first.line } : {}),
          ...(first?.field !== undefined ? { field: first.field } : {}),
          ...(e.details.length > 0 ? { details: e.details } : {}),
        },
      };
      return reply.status(e.status).send(body);
    }
    const known = e.code ? FASTIFY_CODES[e.code] : undefined;
    if (known || (e.statusCode !== undefined && e.statusCode < 500)) {
      return reply.status(e.statusCode ?? 400).send({
        error: {
          code: known?.code ?? 'API_BAD_REQUEST',
          message: e.message,
          ...(known?.hint ? { hint: known.hint } : {}),
        },
      });
    }
    request.log.error(e);
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error; see the server log' } });
  });
}

/** Answers unknown routes with an ErrorBody; with `spa`, other GETs outside the API get the portal's index.html. */
export function installNotFoundHandler(app: FastifyInstance, spa: boolean): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (spa && request.method === 'GET' && !path.startsWith('/api/') && path !== '/metrics' && path !== '/healthz') {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({
      error: {
        code: 'API_NOT_FOUND',
        message: `no route ${request.method} ${path}`,
        hint: 'see the README for the API routes',
      },
    });
  });
}
