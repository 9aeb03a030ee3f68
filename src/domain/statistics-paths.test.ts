import { describe, expect, it } from 'vitest';
import { alternateStatisticsPath, statisticsStatePath } from './statistics-paths.js';
import { isKnownWebPath } from './web-routes.js';

describe('statistics paths', () => {
  it('maps each page to the same page in the other language', () => {
    expect(alternateStatisticsPath('/estadisticas', 'en')).toBe('/en/statistics');
    expect(alternateStatisticsPath('/en/statistics/', 'es')).toBe('/estadisticas');
    expect(alternateStatisticsPath('/estadisticas/estados/26', 'en')).toBe('/en/statistics/states/26');
    expect(alternateStatisticsPath('/en/data', 'es')).toBe('/datos');
    expect(alternateStatisticsPath('/datos', 'es')).toBe('/datos');
    expect(alternateStatisticsPath('/alertas', 'en')).toBeNull();
    expect(alternateStatisticsPath('/estadisticas/estados/26/x', 'en')).toBeNull();
  });

  it('builds state addresses the server knows as pages', () => {
    expect(statisticsStatePath('es', '07')).toBe('/estadisticas/estados/07');
    for (const path of ['/estadisticas', '/datos', '/en/statistics', '/en/data', statisticsStatePath('en', '26')]) expect(isKnownWebPath(path)).toBe(true);
  });
});
