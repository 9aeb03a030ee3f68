/*
 * Vigía's service worker: lets the public reporting pages open with no connection after one visit.
 * vite.config.ts builds it into dist/web/sw.js, filling in the build's file list and version (so a
 * new build is a new worker, which replaces the old one and its cache).
 *
 * What it keeps:
 * - the app shell (the page, its script and styles) and the reporting pages' chunks, fetched at
 *   installation; other hashed assets as they are loaded (their names change with their content);
 * - public reference lists (states, municipalities, vocabularies) and the intake networks, so the
 *   form's selects work offline. Those hold nothing about anyone.
 * What it never touches: any other API request. Reports, receipts, status look-ups and additions
 * are POST requests and always go to the network; no answer holding a receipt is ever stored.
 */

const PRECACHE = self.__VIGIA_PRECACHE__;
const VERSION = self.__VIGIA_VERSION__;
const SHELL_CACHE = `vigia-shell-${VERSION}`;
const DATA_CACHE = 'vigia-reference-v1';
// Every page is the same index.html; the reporting page's address stands for it in the cache.
const SHELL_URL = '/reportar';
const CACHEABLE_API = [/^\/api\/v1\/reference\/(states|municipalities|vocabularies\/[a-z_]+)$/, /^\/api\/v1\/public\/intake$/];
const PREFETCH_API = [
  '/api/v1/public/intake',
  ...['es', 'en'].flatMap((lang) => [
    `/api/v1/reference/states?lang=${lang}`,
    `/api/v1/reference/vocabularies/place_types?lang=${lang}`,
    `/api/v1/reference/vocabularies/perpetrator_types?lang=${lang}`,
  ]),
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      await shell.addAll(PRECACHE);
      const page = await fetch(SHELL_URL, { headers: { accept: 'text/html' }, cache: 'no-store' });
      if (!page.ok) throw new Error(`The app shell answered ${page.status}`);
      await shell.put(SHELL_URL, page);
      // The lists are a convenience: without them the form still works, so their failure does not
      // stop the installation (each failed request is in the browser's network log).
      const data = await caches.open(DATA_CACHE);
      await Promise.allSettled(PREFETCH_API.map((url) => fetchAndKeep(data, new Request(url))));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith('vigia-shell-') && name !== SHELL_CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith('/api/')) {
    if (CACHEABLE_API.some((pattern) => pattern.test(url.pathname))) event.respondWith(networkFirst(request, DATA_CACHE));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(async (error) => {
        const shell = await caches.match(SHELL_URL, { cacheName: SHELL_CACHE });
        if (shell) return shell;
        throw error;
      }),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  event.respondWith(networkFirst(request, SHELL_CACHE));
});

async function fetchAndKeep(cache, request) {
  const response = await fetch(request, { cache: 'no-store' });
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    return await fetchAndKeep(cache, request);
  } catch (error) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  return fetchAndKeep(await caches.open(SHELL_CACHE), request);
}
