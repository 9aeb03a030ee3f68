import { describe, expect, it } from 'vitest';
import { readTriageLexicon } from '../../db/triage-lexicon.js';
import { buildGazetteer } from './gazetteer.js';
import type { Suggestion } from './hits.js';
import { suggestFromText, type Suggestions } from './suggestions.js';

const lexicon = readTriageLexicon();

// A few real rows (INEGI codes) are enough to exercise every place rule.
const gazetteer = buildGazetteer(
  {
    states: [
      { code: '02', name: 'Baja California', officialName: 'Baja California', abbreviation: 'BC' },
      { code: '03', name: 'Baja California Sur', officialName: 'Baja California Sur', abbreviation: 'BCS' },
      { code: '05', name: 'Coahuila', officialName: 'Coahuila de Zaragoza', abbreviation: 'Coah.' },
      { code: '06', name: 'Colima', officialName: 'Colima', abbreviation: 'Col.' },
      { code: '07', name: 'Chiapas', officialName: 'Chiapas', abbreviation: 'Chis.' },
      { code: '08', name: 'Chihuahua', officialName: 'Chihuahua', abbreviation: 'Chih.' },
      { code: '09', name: 'Ciudad de México', officialName: 'Ciudad de México', abbreviation: 'CDMX' },
      { code: '13', name: 'Hidalgo', officialName: 'Hidalgo', abbreviation: 'Hgo.' },
      { code: '15', name: 'Estado de México', officialName: 'México', abbreviation: 'Mex.' },
      { code: '26', name: 'Sonora', officialName: 'Sonora', abbreviation: 'Son.' },
      { code: '31', name: 'Yucatán', officialName: 'Yucatán', abbreviation: 'Yuc.' },
    ],
    municipalities: [
      { cvegeo: '02004', stateCode: '02', name: 'Tijuana' },
      { cvegeo: '03003', stateCode: '03', name: 'La Paz' },
      { cvegeo: '05013', stateCode: '05', name: 'Hidalgo' },
      { cvegeo: '05015', stateCode: '05', name: 'Juárez' },
      { cvegeo: '05026', stateCode: '05', name: 'Progreso' },
      { cvegeo: '05030', stateCode: '05', name: 'Saltillo' },
      { cvegeo: '07048', stateCode: '07', name: 'Juárez' },
      { cvegeo: '07078', stateCode: '07', name: 'San Cristóbal de las Casas' },
      { cvegeo: '07087', stateCode: '07', name: 'Suchiate' },
      { cvegeo: '08019', stateCode: '08', name: 'Chihuahua' },
      { cvegeo: '08037', stateCode: '08', name: 'Juárez' },
      { cvegeo: '26002', stateCode: '26', name: 'Agua Prieta' },
      { cvegeo: '31059', stateCode: '31', name: 'Progreso' },
    ],
  },
  lexicon,
);

/** code → the evidence words, after checking every span really is those words of the text. */
function evidenceOf(text: string, suggestions: Suggestion[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const suggestion of suggestions) {
    for (const evidence of suggestion.evidence) expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
    result[suggestion.code] = suggestion.evidence.map((evidence) => evidence.text);
  }
  return result;
}

function codes(suggestions: Suggestion[]): string[] {
  return suggestions.map((suggestion) => suggestion.code).sort();
}

function scoreOf(suggestions: Suggestion[], code: string): number | undefined {
  return suggestions.find((suggestion) => suggestion.code === code)?.score;
}

describe('suggestFromText on reports of the 2019 events', () => {
  const aguaPrieta =
    'El 12 de julio de 2019, elementos de la Guardia Nacional intentaron ingresar al albergue en Agua Prieta, ' +
    'Sonora. Preguntaron por las personas albergadas y exigieron la lista de donantes; además nos filmaron ' +
    'con sus celulares.';

  it('Agua Prieta, Sonora: Guardia Nacional, attempted entry, lists of residents and donors, filming', () => {
    const result = suggestFromText(aguaPrieta, gazetteer);
    expect(evidenceOf(aguaPrieta, result.perpetratorTypes)).toEqual({ GN: ['elementos de la Guardia Nacional'] });
    expect(evidenceOf(aguaPrieta, result.actTypes)).toEqual({
      ATTEMPTED_ENTRY: ['intentaron ingresar'],
      INFO_DEMAND: ['Preguntaron por las personas albergadas', 'exigieron la lista de donantes'],
      SURVEILLANCE: ['nos filmaron'],
    });
    expect(evidenceOf(aguaPrieta, result.placeTypes)).toEqual({ MIGRANT_SHELTER: ['albergue'] });
    expect(evidenceOf(aguaPrieta, result.municipalities)).toEqual({ '26002': ['Agua Prieta'] });
    expect(evidenceOf(aguaPrieta, result.states)).toEqual({ '26': ['Agua Prieta', 'Sonora'] });
    expect(scoreOf(result.municipalities, '26002')).toBe(0.95);
  });

  it('reads the same report without accents and in capitals the same way', () => {
    const shouted = aguaPrieta.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    const strip = (suggestions: Suggestions) =>
      Object.fromEntries(Object.entries(suggestions).map(([list, items]) => [list, codes(items as Suggestion[])]));
    expect(strip(suggestFromText(shouted, gazetteer))).toEqual(strip(suggestFromText(aguaPrieta, gazetteer)));
    const result = suggestFromText(shouted, gazetteer);
    expect(evidenceOf(shouted, result.perpetratorTypes)).toEqual({ GN: ['ELEMENTOS DE LA GUARDIA NACIONAL'] });
  });

  it('Saltillo, Coahuila: Policía Federal attempting migration checks at the Casa del Migrante', () => {
    const text =
      'Agentes de la Policía Federal llegaron a la Casa del Migrante de Saltillo, Coahuila, e intentaron ' +
      'realizar una revisión migratoria; los federales quisieron entrar sin orden.';
    const result = suggestFromText(text, gazetteer);
    expect(evidenceOf(text, result.perpetratorTypes)).toEqual({ PF: ['Policía Federal', 'federales'] });
    expect(evidenceOf(text, result.actTypes)).toEqual({
      MIGRATION_CHECK: ['revisión migratoria'],
      ATTEMPTED_ENTRY: ['quisieron entrar'],
    });
    expect(evidenceOf(text, result.placeTypes)).toEqual({ MIGRANT_SHELTER: ['Casa del Migrante'] });
    expect(evidenceOf(text, result.municipalities)).toEqual({ '05030': ['Saltillo'] });
    expect(codes(result.states)).toEqual(['05']);
  });

  it('Tijuana, Baja California: GN and INM patrolling outside the shelters, typed in lower case', () => {
    const text = 'en tijuana, baja california, la gn y agentes del I.N.M. patrullaban afuera de los albergues';
    const result = suggestFromText(text, gazetteer);
    expect(evidenceOf(text, result.perpetratorTypes)).toEqual({ GN: ['gn'], INM: ['agentes del I.N.M.'] });
    expect(evidenceOf(text, result.actTypes)).toEqual({ INTIMIDATION: ['patrullaban afuera'] });
    expect(evidenceOf(text, result.placeTypes)).toEqual({ SHELTER_SURROUNDINGS: ['afuera de los albergues'] });
    expect(evidenceOf(text, result.municipalities)).toEqual({ '02004': ['tijuana'] });
    expect(evidenceOf(text, result.states)).toEqual({ '02': ['tijuana', 'baja california'] });
  });
});

describe('perpetrator and act wording', () => {
  it.each([
    ['Llegó la Guardia Nacional', 'GN'],
    ['unos guardias nos hablaron', 'GN'],
    ['los militares rodearon la casa', 'SEDENA'],
    ['soldados del ejército', 'SEDENA'],
    ['personal de la SEDENA', 'SEDENA'],
    ['marinos armados', 'SEMAR'],
    ['policías estatales', 'POL_EST'],
    ['una patrulla de policía estatal', 'POL_EST'],
    ['los municipales', 'POL_MUN'],
    ['policías municipales', 'POL_MUN'],
    ['agentes de migración', 'INM'],
    ['llegó migración', 'INM'],
    ['oficiales del INM', 'INM'],
  ])('"%s" suggests %s', (text, code) => {
    expect(codes(suggestFromText(text, gazetteer).perpetratorTypes)).toEqual([code]);
  });

  it.each([
    ['quisieron meterse al albergue', 'ATTEMPTED_ENTRY'],
    ['hicieron una verificación migratoria', 'MIGRATION_CHECK'],
    ['una inspección migratoria', 'MIGRATION_CHECK'],
    ['pidieron listas de migrantes', 'INFO_DEMAND'],
    ['nos tomaron fotos', 'SURVEILLANCE'],
    ['nos grabaron', 'SURVEILLANCE'],
    ['nos amenazaron', 'THREAT'],
    ['nos iban a matar', 'DEATH_THREAT'],
    ['patrullaban afuera', 'INTIMIDATION'],
    ['detuvieron a dos voluntarios', 'ARBITRARY_DETENTION'],
    ['golpearon al coordinador', 'PHYSICAL_ATTACK'],
    ['catearon la casa', 'RAID'],
  ])('"%s" suggests %s', (text, code) => {
    expect(codes(suggestFromText(text, gazetteer).actTypes)).toEqual([code]);
  });

  it('gives a death threat, not also a plain threat, for "amenazaron de muerte"', () => {
    const text = 'Nos amenazaron de muerte.';
    expect(evidenceOf(text, suggestFromText(text, gazetteer).actTypes)).toEqual({
      DEATH_THREAT: ['amenazaron de muerte'],
    });
  });

  it('reads "guardias de seguridad privada" as private security, not the National Guard', () => {
    const text = 'Los guardias de seguridad privada de la empresa nos sacaron.';
    expect(evidenceOf(text, suggestFromText(text, gazetteer).perpetratorTypes)).toEqual({
      PRIV_SEC: ['guardias de seguridad privada'],
    });
  });

  it('does not understand negation: "no intentaron entrar" still suggests the act (documented limit)', () => {
    expect(codes(suggestFromText('No intentaron entrar.', gazetteer).actTypes)).toEqual(['ATTEMPTED_ENTRY']);
  });
});

describe('places', () => {
  it('does not take "el progreso de las obras" for the municipality of Progreso', () => {
    const text = 'Informamos sobre el progreso de las obras del albergue en Yucatán.';
    expect(suggestFromText(text, gazetteer).municipalities).toEqual([]);
  });

  it('takes Progreso with a place marker, or written "en Progreso," with a capital', () => {
    const marked = suggestFromText('Ocurrió en el municipio de progreso.', gazetteer);
    expect(codes(marked.municipalities)).toEqual(['05026', '31059']);
    expect(scoreOf(marked.municipalities, '05026')).toBe(0.4);
    const comma = suggestFromText('Ocurrió en Progreso, cerca del puerto.', gazetteer);
    expect(codes(comma.municipalities)).toEqual(['05026', '31059']);
  });

  it('narrows a name shared by several states to the state named in the report, and boosts it', () => {
    const text = 'La Guardia Nacional estuvo en Progreso, Yucatán.';
    const result = suggestFromText(text, gazetteer);
    expect(evidenceOf(text, result.municipalities)).toEqual({ '31059': ['Progreso'] });
    expect(scoreOf(result.municipalities, '31059')).toBe(0.95);
  });

  it('prefers the state right after the name: "en Juárez, Chihuahua" though Coahuila is named too', () => {
    const text = 'Primero en Saltillo, Coahuila, y luego en Juárez, Chihuahua.';
    const result = suggestFromText(text, gazetteer);
    // 08019 is the weak "city of Chihuahua" reading of the state name; Juárez (Coahuila) is not suggested.
    expect(codes(result.municipalities)).toEqual(['05030', '08019', '08037']);
    expect(scoreOf(result.municipalities, '08037')).toBe(0.95);
  });

  it('ignores street names and people: "calle Hidalgo", "don Juárez"', () => {
    const text = 'Nos vimos en la calle Hidalgo con don Juárez.';
    const result = suggestFromText(text, gazetteer);
    expect(result.municipalities).toEqual([]);
    expect(result.states).toEqual([]);
  });

  it('reads "Hidalgo, Coahuila" as the municipality, not the state of Hidalgo', () => {
    const text = 'Pasó en Hidalgo, Coahuila.';
    const result = suggestFromText(text, gazetteer);
    expect(codes(result.municipalities)).toEqual(['05013']);
    expect(codes(result.states)).toEqual(['05']);
  });

  it('reads "Chihuahua" as the state, with its capital city as a weak second reading', () => {
    const result = suggestFromText('Llegaron a Chihuahua.', gazetteer);
    expect(codes(result.states)).toEqual(['08']);
    expect(scoreOf(result.municipalities, '08019')).toBe(0.35);
    const city = suggestFromText('Llegaron a la ciudad de Chihuahua.', gazetteer);
    expect(scoreOf(city.municipalities, '08019')).toBe(0.9);
  });

  it('prefers the longest state name: Baja California Sur is not also Baja California', () => {
    const text = 'En La Paz, Baja California Sur.';
    const result = suggestFromText(text, gazetteer);
    expect(evidenceOf(text, result.states)).toEqual({ '03': ['La Paz', 'Baja California Sur'] });
    expect(codes(result.municipalities)).toEqual(['03003']);
  });

  it('does not take "la paz" in lower case for La Paz', () => {
    expect(suggestFromText('Pedimos que dejen en paz al albergue y vivir en la paz.', gazetteer).municipalities).toEqual([]);
  });

  it('knows CDMX, Edomex and Estado de México but not "México" alone, which is the country', () => {
    const text = 'De la CDMX al Edomex y al Estado de México, en todo México.';
    expect(evidenceOf(text, suggestFromText(text, gazetteer).states)).toEqual({
      '09': ['CDMX'],
      '15': ['Edomex', 'Estado de México'],
    });
  });

  it('matches abbreviations only as written: "Coah." but not "son" or "Col. Centro"', () => {
    const text = 'Saltillo, Coah. Ellos son de la Col. Centro.';
    expect(codes(suggestFromText(text, gazetteer).states)).toEqual(['05']);
  });

  it('matches multi-word names without accents, and aliases like Ciudad Hidalgo', () => {
    const text = 'de san cristobal de las casas a Ciudad Hidalgo';
    const result = suggestFromText(text, gazetteer);
    expect(evidenceOf(text, result.municipalities)).toEqual({
      '07078': ['san cristobal de las casas'],
      '07087': ['Ciudad Hidalgo'],
    });
    expect(codes(result.states)).toEqual(['07']);
  });
});
