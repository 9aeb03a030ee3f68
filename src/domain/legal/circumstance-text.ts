import type { KnowableAnswer } from '../incident.js';
import type { CircumstanceName } from './rules.js';

/** A sentence or phrase in both languages a finding is written in. */
export interface Bilingual {
  es: string;
  en: string;
}

/**
 * How the circumstances read in a finding ("with no written INM order shown") and how the editor asks
 * for one that is unknown. They follow the fields of the incident record, not the rules, so they live
 * in code beside it rather than in the rules file.
 */
export const CIRCUMSTANCE_TEXT: Record<CircumstanceName, { question: Bilingual; answers: Record<KnowableAnswer, Bilingual> }> = {
  writtenOrderShown: {
    question: { es: '¿Se mostró una orden escrita del INM?', en: 'Was a written INM order shown?' },
    answers: {
      yes: { es: 'con orden escrita del INM', en: 'with a written INM order shown' },
      no: { es: 'sin mostrar orden escrita del INM', en: 'with no written INM order shown' },
      unknown: { es: 'sin saberse si hubo orden escrita del INM', en: 'with no knowing whether a written INM order was shown' },
    },
  },
  agentsIdentified: {
    question: { es: '¿Los agentes se identificaron?', en: 'Did the agents identify themselves?' },
    answers: {
      yes: { es: 'con agentes identificados', en: 'with the agents identifying themselves' },
      no: { es: 'sin que los agentes se identificaran', en: 'with the agents not identifying themselves' },
      unknown: { es: 'sin saberse si los agentes se identificaron', en: 'with no knowing whether the agents identified themselves' },
    },
  },
  inmRequested: {
    question: { es: '¿El INM estuvo presente o pidió la acción?', en: 'Was the INM present, or did it request the action?' },
    answers: {
      yes: { es: 'a petición o en presencia del INM', en: 'at the request or in the presence of the INM' },
      no: { es: 'sin petición ni presencia del INM', en: 'with neither a request from nor the presence of the INM' },
      unknown: { es: 'sin saberse si el INM lo pidió', en: 'with no knowing whether the INM requested it' },
    },
  },
  judicialOrderShown: {
    question: { es: '¿Se mostró una orden judicial para entrar o catear?', en: 'Was a judicial order to enter or search shown?' },
    answers: {
      yes: { es: 'con orden judicial', en: 'with a judicial order shown' },
      no: { es: 'sin mostrar orden judicial', en: 'with no judicial order shown' },
      unknown: { es: 'sin saberse si hubo orden judicial', en: 'with no knowing whether a judicial order was shown' },
    },
  },
};
