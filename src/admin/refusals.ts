// How the admin API refuses: every refusal is one coded error from the catalogue, answered as
// {type, message, detail} with its own status and an X-Road-Error header, never Fastify's own
// error shape, its FST_* codes, a stack or an echo of the request's path or body.
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { Errors, isTabadolError, TabadolError } from '../errors/catalogue.ts';

/** Fastify's codes for a request body it could not take, as the caller's mistakes they are. */
const BODY_FAULTS: Record<string, (bodyLimit: number) => TabadolError> = {
  // RFC 8259: the body must be one JSON text. Fastify's message is fixed, but the parser's own
  // would quote the body, so none is passed on.
  FST_ERR_CTP_INVALID_JSON_BODY: () => new TabadolError(Errors.InvalidInput, 'the body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new TabadolError(Errors.InvalidInput, 'the body is empty although Content-Type is application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new TabadolError(Errors.InvalidInput, 'Content-Length does not match the body'),
  // RFC 9110 §15.5.14 and §15.5.16.
  FST_ERR_CTP_BODY_TOO_LARGE: (bodyLimit) => new TabadolError(Errors.AdminBodyTooLarge, `${bodyLimit} bytes at most`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new TabadolError(Errors.UnsupportedMediaType),
};

/** The first schema violation, named by where it is ("body/timeoutMs") and, for an unknown field, which. */
function describeValidation(err: FastifyError): string {
  const first = err.validation?.[0];
  if (!first) return 'the request does not match the route\'s schema';
  const where = `${err.validationContext ?? 'request'}${first.instancePath}`;
  const unknown = (first.params as { additionalProperty?: unknown }).additionalProperty;
  return typeof unknown === 'string'
    ? `${where} has a field this route does not take: ${JSON.stringify(unknown)}`
    : `${where} ${first.message ?? 'is not valid'}`;
}

/** The catalogue error a failure is answered with. */
export function refusalOf(err: unknown, bodyLimit: number): TabadolError {
  if (isTabadolError(err)) return err;
  const f = err as Partial<FastifyError>;
  if (f.validation) return new TabadolError(Errors.InvalidInput, describeValidation(f as FastifyError));
  const known = f.code ? BODY_FAULTS[f.code] : undefined;
  if (known) return known(bodyLimit);
  // Any other refusal Fastify makes before a handler runs (e.g. the request stream aborted) is the
  // caller's: answered as such, without Fastify's wording.
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    if (f.statusCode === 413) return new TabadolError(Errors.AdminBodyTooLarge, `${bodyLimit} bytes at most`);
    if (f.statusCode === 415) return new TabadolError(Errors.UnsupportedMediaType);
    return new TabadolError(Errors.InvalidInput, 'the request is malformed');
  }
  return new TabadolError(Errors.InternalError, undefined, { cause: err });
}

export type Refuse = (reply: FastifyReply, err: unknown, headers?: Record<string, string>) => void;

/** Sends refusals; an internal error is logged with the id the caller sees as `detail`. */
export function refuser(log: Logger, bodyLimit: number): Refuse {
  return (reply, err, headers = {}) => {
    const e = refusalOf(err, bodyLimit);
    const detail = randomUUID();
    // The route template, never the raw path: an identifier in a path is the caller's input.
    const route = reply.request.routeOptions.url;
    if (e.type === Errors.InternalError.type) log.error({ err, detail, route }, 'admin API failed');
    else log.debug({ type: e.type, status: e.status, detail, route }, 'admin API refused a request');
    void reply.status(e.status).headers({ ...headers, 'x-road-error': e.type }).type('application/json')
      .send({ type: e.type, message: e.message, detail });
  };
}
