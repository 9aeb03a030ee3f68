import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../db/unavailable.js';
import { isEvidenceError, isStorageFull } from '../../evidence/errors.js';
import { AppError, codeForStatus, type ErrorBody, type ErrorCode } from '../errors.js';

/** One field that failed validation: where it was, which field, what was wrong. */
export interface FieldProblem {
  location: string;
  field: string;
  message: string;
}

/** The one error shape, for `request`. */
export function errorBody(request: FastifyRequest, code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId: String(request.id) } };
}

/** Sends the one error shape. Every failure in the HTTP API goes through here. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  statusCode: number,
  message: string,
  details?: unknown,
): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(errorBody(request, code, message, details));
}

/**
 * The error shape for a failure after a streamed answer has begun, when its status can no longer
 * change: a known error keeps its code, anything else is logged (stack, never the body) and said as
 * INTERNAL with nothing internal in it, exactly as the error handler would.
 */
export function failureBody(request: FastifyRequest, error: unknown): ErrorBody {
  if (error instanceof AppError) return errorBody(request, error.code, error.message, error.details);
  request.log.error({ err: error }, 'unhandled error in a streamed answer');
  return errorBody(request, 'INTERNAL', internalMessage(request));
}

/**
 * The single error handler: validation errors answer 400 naming each field; known errors keep their
 * code; anything else is a 500 whose body says nothing internal but carries the request id, while the
 * log keeps the stack (never the request body) under that id.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return sendError(request, reply, error.code, error.statusCode, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const location = locationName(error.validationContext);
      const problems: FieldProblem[] = error.validation.map((v) => ({
        location,
        field: fieldName(v.instancePath, v.params),
        message: v.message ?? 'is invalid',
      }));
      const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
      return sendError(request, reply, 'VALIDATION_FAILED', 400, `Invalid ${location}: ${summary}`, problems);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return internal(request, reply);
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(request, reply, codeForStatus(status), status, clientMessage(error as FastifyError), clientDetails(error as FastifyError, request));
    }
    if (isEvidenceError(error, 'STORAGE_FAILURE')) {
      // The store names the step and the errno, never a file's content or name.
      request.log.error({ err: error.message }, 'evidence store refused a write');
      if (isStorageFull(error)) {
        return sendError(request, reply, 'INSUFFICIENT_STORAGE', 507, 'The evidence store is full: the file was not saved. Try again later.');
      }
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendError(request, reply, 'SERVICE_UNAVAILABLE', 503, 'The evidence store cannot be written right now: the file was not saved. Try again later.');
    }
    if (isDatabaseUnavailable(error)) {
      // The database is away (restarting, network cut): say so and when to retry; nothing was written.
      request.log.warn({ code: (error as { code?: unknown }).code }, 'database unreachable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendError(request, reply, 'SERVICE_UNAVAILABLE', 503, 'The database is unreachable for a moment: nothing was saved. Try again shortly.');
    }
    request.log.error({ err: error }, 'unhandled error');
    if (typeof status === 'number' && status === 503) {
      return sendError(request, reply, 'SERVICE_UNAVAILABLE', 503, 'The service is temporarily unavailable.');
    }
    return internal(request, reply);
  });
}

function internal(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(request, reply, 'INTERNAL', 500, internalMessage(request));
}

function internalMessage(request: FastifyRequest): string {
  return `Something went wrong on our side. Quote request id ${String(request.id)} when reporting it.`;
}

/** A body too large says how large a body may be, so that a client (the import page) can say it to its reader. */
function clientDetails(error: FastifyError, request: FastifyRequest): unknown {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { limitBytes: request.routeOptions.bodyLimit };
  return undefined;
}

function locationName(context: string | undefined): string {
  switch (context) {
    case 'querystring':
      return 'query string';
    case 'params':
      return 'path parameters';
    case 'headers':
      return 'headers';
    default:
      return 'body';
  }
}

function fieldName(instancePath: string, params: unknown): string {
  const fromPath = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (fromPath) return fromPath;
  // A missing or unexpected key is reported on its parent; name the key itself when zod says which.
  const keys = (params as { keys?: unknown } | undefined)?.keys;
  if (Array.isArray(keys) && keys.length > 0) return keys.join(', ');
  return '(root)';
}

/** Fastify's own 4xx messages are safe and useful; a few are reworded to say what to do. */
function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this server accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This content type is not accepted here; send application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The body is empty but the content type says JSON; send a JSON body or no content type.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The body is not valid JSON.';
    default:
      return error.message;
  }
}
