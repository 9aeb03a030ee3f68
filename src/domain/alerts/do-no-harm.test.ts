import { describe, expect, it } from 'vitest';
import { sampleAlertContent } from '../../../test/alerts.js';
import { checkDoNoHarm, classifyContact, EMPTY_SEALED_VALUES, redactText, type SealedValues } from './do-no-harm.js';

const sealed: SealedValues = {
  names: ['Hermana Rosa Ejemplo'],
  phones: ['+52 633 100 2000'],
  emails: ['rosa@albergue.example'],
  addresses: ['Calle Sexta 123, Agua Prieta'],
  coordinates: [{ lat: 31.3275, lon: -109.5489 }],
};
const options = { sealed, smallNumberThreshold: 3, placeNames: ['Sonora', 'Agua Prieta', 'Coahuila'] };

/** The sample alert, whose figures per state (like "Coahuila: 1") the check rightly refuses, without them. */
function cleanContent() {
  const content = sampleAlertContent();
  return { es: { ...content.es, facts: 'Se documentaron 7 incidentes verificados en 5 estados.' }, en: { ...content.en, facts: '7 verified incidents were documented in 5 states.' } };
}

function withCases(es: string, en = sampleAlertContent().en.cases) {
  const content = cleanContent();
  return { es: { ...content.es, cases: es }, en: { ...content.en, cases: en } };
}

describe('checkDoNoHarm', () => {
  it('finds nothing in a clean alert, and the figures per state of the sample one', () => {
    expect(checkDoNoHarm(cleanContent(), options)).toEqual([]);
    const sample = checkDoNoHarm(sampleAlertContent(), options);
    expect(sample.map((f) => `${f.language}:${f.section}:${f.kind}:${f.excerpt.includes('Coahuila: 1')}`)).toContain('es:facts:small_number:true');
  });

  it('finds a sealed name regardless of accents and case, and says where', () => {
    const text = 'La HERMANA rosa ejémplo fue filmada.';
    const [finding, ...rest] = checkDoNoHarm(withCases(text), options);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ language: 'es', section: 'cases', kind: 'name', start: 3, end: 23 });
    expect(text.slice(finding!.start, finding!.end)).toBe('HERMANA rosa ejémplo');
    expect(finding!.excerpt).toContain('HERMANA rosa ejémplo');
  });

  it('finds a name only as whole words', () => {
    const result = checkDoNoHarm(withCases('La Hermana Rosa Ejemplos no existe.'), options);
    expect(result).toEqual([]);
  });

  it('finds a sealed phone written differently, and any phone', () => {
    const result = checkDoNoHarm(withCases('Llamar al (633) 100-2000 o al 55 1234 5678.'), options);
    expect(result.map((f) => f.kind)).toEqual(['phone', 'phone']);
  });

  it('finds a sealed e-mail and any e-mail, in English too', () => {
    const result = checkDoNoHarm(withCases('Sin datos.', 'Write to ROSA@albergue.example or press@ngo.org.'), options);
    expect(result.map((f) => [f.language, f.kind])).toEqual([['en', 'email'], ['en', 'email']]);
  });

  it('finds a sealed address and exact coordinates', () => {
    const result = checkDoNoHarm(withCases('Ocurrió en calle sexta 123, Agua Prieta (31.3275, -109.549).'), options);
    expect(result.map((f) => f.kind)).toEqual(['address', 'address', 'address']);
  });

  it('finds a figure under the threshold for a place, in digits or words', () => {
    const result = checkDoNoHarm(withCases('En Sonora hubo 2 incidentes.\n\n- Coahuila: 1\n\nEn Agua Prieta, dos casos.'), options);
    expect(result.map((f) => f.kind)).toEqual(['small_number', 'small_number', 'small_number']);
  });

  it('does not read dates, articles or counts of states as figures for a place', () => {
    const text = 'En Sonora, el 1 de junio; Ley de Migración, art. 2, en Coahuila; 2 estados: Sonora y Coahuila; June 1 in Sonora; 1998-2019 en Sonora.';
    expect(checkDoNoHarm(withCases(text), options)).toEqual([]);
  });

  it('does not read a year range as a phone', () => {
    expect(checkDoNoHarm(withCases('Entre 2019-2020 no hubo más.'), { ...options, sealed: EMPTY_SEALED_VALUES })).toEqual([]);
  });
});

describe('redactText and classifyContact', () => {
  it('replaces sealed values, phones and e-mails with the mark', () => {
    expect(redactText('Hermana Rosa Ejemplo (633 100 2000, rosa@albergue.example) vio todo.', sealed, '[…]')).toBe('[…] ([…], […]) vio todo.');
    expect(redactText('Sin datos personales.', sealed, '[…]')).toBe('Sin datos personales.');
  });

  it('sorts contacts by shape', () => {
    expect([classifyContact('+52 633 100 2000'), classifyContact('a@b.org'), classifyContact('Calle 5 #12')]).toEqual(['phone', 'email', 'address']);
  });
});
