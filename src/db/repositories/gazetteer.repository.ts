import { buildGazetteer, type Gazetteer } from '../../domain/triage/gazetteer.js';
import type { Database } from '../client.js';
import { readTriageLexicon } from '../triage-lexicon.js';

const cache = new WeakMap<Database, Promise<Gazetteer>>();

/**
 * The place names and trigger phrases triage reads reports with, built once per database handle from the
 * catalogue loaded in it (about 2,500 municipalities: tens of milliseconds, so never per request).
 */
export function loadGazetteer(database: Database): Promise<Gazetteer> {
  let gazetteer = cache.get(database);
  if (!gazetteer) {
    gazetteer = (async () => {
      const [states, municipalities] = await Promise.all([
        database.db.selectFrom('ref_states').select(['code', 'name', 'official_name', 'abbreviation']).execute(),
        database.db.selectFrom('ref_municipalities').select(['cvegeo', 'state_code', 'name']).where('retired_in', 'is', null).execute(),
      ]);
      return buildGazetteer(
        {
          states: states.map((s) => ({ code: s.code, name: s.name, officialName: s.official_name, abbreviation: s.abbreviation })),
          municipalities: municipalities.map((m) => ({ cvegeo: m.cvegeo, stateCode: m.state_code, name: m.name })),
        },
        readTriageLexicon(),
      );
    })();
    // A failed build is not cached: the next request tries again.
    gazetteer.catch(() => cache.delete(database));
    cache.set(database, gazetteer);
  }
  return gazetteer;
}
