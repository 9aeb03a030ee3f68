import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/**
 * The JSON body parser: Fastify's own (prototype-poisoning keys refused), preceded by two refusals it
 * does not make, each a 400 that says what was wrong instead of a 500 from deeper down:
 * - bytes that are not UTF-8 (Node would quietly turn them into U+FFFD and store the mangled text);
 * - a NUL character anywhere in a string or a key (PostgreSQL cannot store one in text or jsonb).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError('BAD_REQUEST', 'The body is not valid UTF-8: send JSON encoded as UTF-8.'), undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const path = nulPath(value, '');
      if (path !== undefined) {
        return done(new AppError('BAD_REQUEST', `The body holds a NUL character (\\u0000) at ${path || 'its top level'}, which cannot be stored: remove it.`, [{ location: 'body', field: path, message: 'contains a NUL character' }]), undefined);
      }
      done(null, value);
    });
  });
}

/** Where the first NUL character is (a dotted path), or undefined. Iterative, so depth cannot overflow the stack. */
function nulPath(root: unknown, rootPath: string): string | undefined {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return path || '(a key)';
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}
