/**
 * The paths the browser app answers. The server uses this list to send the app with status 200 for a
 * known page and 404 for anything else (the app then shows its own "not found" page), so that a
 * mistyped link is a real 404 for browsers, crawlers and link checkers.
 * A pattern segment starting with ':' matches any one segment.
 */
export const WEB_ROUTES = ['/'] as const;

export function isKnownWebPath(pathname: string): boolean {
  const parts = trimSlashes(pathname).split('/');
  return WEB_ROUTES.some((route) => {
    const pattern = trimSlashes(route).split('/');
    return pattern.length === parts.length && pattern.every((seg, i) => seg.startsWith(':') || seg === parts[i]);
  });
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}
