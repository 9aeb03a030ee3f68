import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertAddressee } from '../../api/alerts';
import { referenceApi } from '../../api/incidents';
import { Field, FormMessage, SelectField } from '../../components/form';
import { useResource } from '../../components/resource';

/** The addressees named once per state (as the drafting does, src/domain/alerts/draft.ts). */
const PER_STATE = new Set(['CEDH', 'FISCALIA_ESTATAL', 'GOBIERNO_ESTATAL']);
const CODE = /^[A-Z][A-Z0-9_]*$/;
const OTHER = '__other';

interface Choices {
  institutions: Array<{ code: string; es: string; en: string }>;
  states: Array<{ code: string; name: string }>;
}

async function loadChoices(signal: AbortSignal): Promise<Choices> {
  const [es, en, states] = await Promise.all([
    referenceApi.vocabulary('addressees', 'es', signal),
    referenceApi.vocabulary('addressees', 'en', signal),
    referenceApi.states('es', signal),
  ]);
  const english = new Map(en.data.terms.map((term) => [term.code, term.label]));
  return {
    institutions: es.data.terms.map((term) => ({ code: term.code, es: term.label, en: english.get(term.code) ?? term.label })),
    states: states.data.map((s) => ({ code: s.code, name: s.name })),
  };
}

/**
 * Adds an addressee to the alert being edited: an institution from the addressees vocabulary (its
 * names filled in both languages, "of <state>" for a state authority) or another one by its code. The
 * alert's addressee is a code, a name per language and an optional state; nothing is saved until the
 * editor saves, which makes a new version.
 */
export function AddresseeForm({ addressees, onAdd }: { addressees: readonly AlertAddressee[]; onAdd: (addressee: AlertAddressee) => void }) {
  const { t } = useTranslation();
  const choices = useResource(useCallback(loadChoices, []));
  const loaded = choices.resource.status === 'loaded' ? choices.resource.data : { institutions: [], states: [] };
  const [institution, setInstitution] = useState('');
  const [code, setCode] = useState('');
  const [stateCode, setStateCode] = useState('');
  const [name, setName] = useState({ es: '', en: '' });
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();

  const suggestedName = (nextCode: string, nextState: string) => {
    const term = loaded.institutions.find((i) => i.code === nextCode);
    if (!term) return name;
    const state = loaded.states.find((s) => s.code === nextState)?.name;
    return state ? { es: `${term.es} de ${state}`, en: `${term.en} of ${state}` } : { es: term.es, en: term.en };
  };
  const chooseInstitution = (value: string) => {
    setInstitution(value);
    const nextCode = value === OTHER ? '' : value;
    setCode(nextCode);
    const nextState = PER_STATE.has(nextCode) ? stateCode : '';
    setStateCode(nextState);
    if (value !== OTHER) setName(suggestedName(nextCode, nextState));
  };
  const chooseState = (value: string) => {
    setStateCode(value);
    if (institution !== OTHER) setName(suggestedName(code, value));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const addressee: AlertAddressee = { code: code.trim(), name: { es: name.es.trim(), en: name.en.trim() }, stateCode: stateCode || null };
    if (!addressee.code || !addressee.name.es || !addressee.name.en) return setMessage({ kind: 'error', text: t('addresseeForm.missing') });
    if (!CODE.test(addressee.code)) return setMessage({ kind: 'error', text: t('addresseeForm.codeFormat') });
    if (addressees.some((a) => a.code === addressee.code && (a.stateCode ?? null) === addressee.stateCode)) {
      return setMessage({ kind: 'error', text: t('addresseeForm.duplicate', { name: addressee.name.es }) });
    }
    onAdd(addressee);
    setMessage({ kind: 'success', text: t('addresseeForm.added', { name: addressee.name.es }) });
    setInstitution('');
    setCode('');
    setStateCode('');
    setName({ es: '', en: '' });
  };

  // A nested <form> is not allowed inside the editor's form: this is a group with its own button.
  return (
    <div role="group" aria-labelledby="addressee-add-heading" className="addressee-add">
      <h2 id="addressee-add-heading">{t('addresseeForm.legend')}</h2>
      <p className="field__hint">{t('addresseeForm.versioned')}</p>
      <FormMessage message={message?.kind === 'error' ? message.text : undefined} />
      <FormMessage message={message?.kind === 'success' ? message.text : undefined} kind="success" />
      <SelectField
        id="addressee-add-institution"
        label={t('addresseeForm.institution')}
        value={institution}
        options={[
          { value: '', label: t('addresseeForm.choose') },
          ...loaded.institutions.map((i) => ({ value: i.code, label: i.es === i.en ? i.es : `${i.es} (${i.code})` })),
          { value: OTHER, label: t('addresseeForm.other') },
        ]}
        onChange={(e) => chooseInstitution(e.target.value)}
      />
      {institution === OTHER && (
        <Field id="addressee-add-code" label={t('addresseeForm.code')} hint={t('addresseeForm.codeHint')} value={code} maxLength={64} onChange={(e) => setCode(e.target.value.toUpperCase())} />
      )}
      <SelectField
        id="addressee-add-state"
        label={t('addresseeForm.state')}
        value={stateCode}
        options={[{ value: '', label: t('addresseeForm.noState') }, ...loaded.states.map((s) => ({ value: s.code, label: s.name }))]}
        onChange={(e) => chooseState(e.target.value)}
      />
      <div className="alert-section__languages">
        <Field id="addressee-add-name-es" lang="es" label={t('addresseeForm.nameEs')} value={name.es} maxLength={300} onChange={(e) => setName((n) => ({ ...n, es: e.target.value }))} />
        <Field id="addressee-add-name-en" lang="en" label={t('addresseeForm.nameEn')} value={name.en} maxLength={300} onChange={(e) => setName((n) => ({ ...n, en: e.target.value }))} />
      </div>
      <button type="button" className="button-secondary" onClick={submit}>
        {t('addresseeForm.add')}
      </button>
    </div>
  );
}
