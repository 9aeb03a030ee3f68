import { describe, expect, it } from 'vitest';
import { languageOfPath, WEB_PAGES } from './web-routes.js';

describe('web routes', () => {
  it('names English for the pages under /en and nothing for the others', () => {
    for (const path of ['/en', '/en/', '/en/alerts', '/en/statistics/states/26']) expect(languageOfPath(path)).toBe('en');
    for (const path of ['/', '/enlaces', '/entrar', '/estadisticas', '/alertas/en']) expect(languageOfPath(path)).toBeUndefined();
    // The English pages the app has are the ones whose page name ends in "En".
    for (const [name, route] of Object.entries(WEB_PAGES)) expect(languageOfPath(route), name).toBe(name.endsWith('En') ? 'en' : undefined);
  });
});
