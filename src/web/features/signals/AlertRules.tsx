import { Fragment, useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { signalsApi, type AlertRule, type AlertRuleEdit } from '../../api/signals';
import { Checkbox, CheckboxGroup, Field, FormMessage, useErrorText } from '../../components/form';
import { ListView, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { useReferenceLanguage, useVocabularies, type VocabularyName } from '../incidents/labels';
import { TextAreaField } from '../incidents/TextArea';
import { legalRuleLabel, problemField, RULE_PARAMETERS, useLegalRules, useRuleProblemText, type ParameterInput, type ParameterName } from './rule-text';
import './signals.css';

/** `/reglas`: the early-warning rules; instance administrators edit them, everyone else reads them. */
export function AlertRulesPage() {
  return <RequireSession>{(session) => <AlertRules mayEdit={session.user.isInstanceAdmin} />}</RequireSession>;
}

function AlertRules({ mayEdit }: { mayEdit: boolean }) {
  const { t } = useTranslation();
  useDocumentTitle(t('rules.title'));
  const rules = useResource(useCallback((signal: AbortSignal) => signalsApi.rules(signal), []));
  const choices = useChoices();
  return (
    <>
      <h1>{t('rules.title')}</h1>
      <p>{t('rules.intro')}</p>
      <p>{mayEdit ? t('rules.mayEdit') : t('rules.readOnly')}</p>
      <ListView resource={rules.resource} empty={t('rules.none')}>
        {(list) => (
          <ol className="plain-list rule-list">
            {list.map((rule) => (
              <li key={rule.id}>
                <RuleCard initial={rule} mayEdit={mayEdit} choices={choices} />
              </li>
            ))}
          </ol>
        )}
      </ListView>
    </>
  );
}

type Choices = (from: VocabularyName | 'legal_rules') => Array<{ value: string; label: string }>;

/** The codes a rule may name, labelled in the reader's language: vocabulary terms and the legal rules. */
function useChoices(): Choices {
  const { labels } = useVocabularies(['act_types', 'perpetrator_types', 'place_types', 'victim_characteristics', 'addressees']);
  const legal = useLegalRules();
  return (from) => {
    if (from === 'legal_rules') return legal.map((r) => ({ value: r.id, label: legalRuleLabel(legal, r.id) }));
    return [...(labels[from] ?? new Map<string, string>())].map(([value, label]) => ({ value, label }));
  };
}

function RuleCard({ initial, mayEdit, choices }: { initial: AlertRule; mayEdit: boolean; choices: Choices }) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = useReferenceLanguage();
  const titleId = useId();
  const [rule, setRule] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const done = (next: AlertRule | undefined) => {
    if (next) {
      setRule(next);
      setSaved(t('rules.saved', { version: next.version }));
    }
    setEditing(false);
    heading.current?.focus();
  };
  return (
    <article aria-labelledby={titleId} className="record-part rule">
      <p className="rule__id">{rule.id}</p>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {rule.description[lang]}
      </h2>
      <FormMessage message={saved} kind="success" />
      {editing ? (
        <RuleForm rule={rule} choices={choices} onDone={done} />
      ) : (
        <>
          <dl className="facts">
            <dt>{t('rules.kind')}</dt>
            <dd>{t(`rules.kinds.${rule.kind}`)}</dd>
            <dt>{t('rules.version')}</dt>
            <dd>{format.number(rule.version)}</dd>
            <dt>{t('rules.state')}</dt>
            <dd>{rule.enabled ? t('rules.enabled') : t('rules.disabled')}</dd>
            <dt>{t('rules.updated')}</dt>
            <dd>
              <time dateTime={rule.updatedAt}>{format.dateTime(new Date(rule.updatedAt), { dateStyle: 'medium', timeStyle: 'short' })}</time>
            </dd>
            <dt>{t('rules.descriptionEs')}</dt>
            <dd lang="es">{rule.description.es}</dd>
            <dt>{t('rules.descriptionEn')}</dt>
            <dd lang="en">{rule.description.en}</dd>
          </dl>
          <h3>{t('rules.parameters')}</h3>
          <dl className="facts">
            {RULE_PARAMETERS[rule.kind].map(([name, input]) => (
              <Fragment key={name}>
                <dt>{t(`rules.params.${name}`)}</dt>
                <dd>
                  <ParameterValue value={rule.parameters[name]} input={input} choices={choices} />
                </dd>
              </Fragment>
            ))}
          </dl>
          {mayEdit && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setSaved(undefined);
                setEditing(true);
              }}
            >
              {t('rules.edit')}
            </button>
          )}
        </>
      )}
    </article>
  );
}

function ParameterValue({ value, input, choices }: { value: unknown; input: ParameterInput; choices: Choices }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (input.input !== 'codes') return <>{typeof value === 'number' ? format.number(value) : t('rules.notSet')}</>;
  const codes = Array.isArray(value) ? (value as string[]) : [];
  if (codes.length === 0) return <>{t('rules.anyCode')}</>;
  const labels = new Map(choices(input.from).map((c) => [c.value, c.label]));
  return (
    <ul className="rule__codes">
      {codes.map((code) => (
        <li key={code}>{labels.get(code) ?? code}</li>
      ))}
    </ul>
  );
}

/** The form's values: numbers as typed (the server says what is wrong with them), codes as chosen. */
type Draft = { enabled: boolean; es: string; en: string; numbers: Record<string, string>; codes: Record<string, string[]> };

function draftOf(rule: AlertRule): Draft {
  const numbers: Record<string, string> = {};
  const codes: Record<string, string[]> = {};
  for (const [name, input] of RULE_PARAMETERS[rule.kind]) {
    const value = rule.parameters[name];
    if (input.input === 'codes') codes[name] = Array.isArray(value) ? (value as string[]) : [];
    else numbers[name] = typeof value === 'number' ? String(value) : '';
  }
  return { enabled: rule.enabled, es: rule.description.es, en: rule.description.en, numbers, codes };
}

function editOf(rule: AlertRule, draft: Draft): AlertRuleEdit {
  const parameters: Record<string, unknown> = {};
  for (const [name, input] of RULE_PARAMETERS[rule.kind]) {
    if (input.input === 'codes') parameters[name] = draft.codes[name] ?? [];
    else {
      const typed = (draft.numbers[name] ?? '').trim().replace(',', '.');
      // An empty or unreadable box goes as null, so the server's answer names the field.
      parameters[name] = typed === '' || Number.isNaN(Number(typed)) ? null : Number(typed);
    }
  }
  return { enabled: draft.enabled, description: { es: draft.es, en: draft.en }, parameters };
}

/** The server's field for each control, and the control's id. */
function fieldIds(rule: AlertRule): Record<string, string> {
  const ids: Record<string, string> = { 'description.es': `rule-${rule.id}-es`, 'description.en': `rule-${rule.id}-en` };
  for (const [name] of RULE_PARAMETERS[rule.kind]) ids[`parameters.${name}`] = `rule-${rule.id}-${name}`;
  return ids;
}

function RuleForm({ rule, choices, onDone }: { rule: AlertRule; choices: Choices; onDone: (saved: AlertRule | undefined) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problemText = useRuleProblemText();
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string>();
  const [errors, setErrors] = useState<{ fields: Record<string, string> }>({ fields: {} });
  const form = useRef<HTMLFormElement>(null);
  const ids = fieldIds(rule);
  // After a refusal (and only then), to the first field at fault once it is shown: a group of codes
  // opens first.
  useEffect(() => {
    const first = Object.keys(errors.fields)[0];
    if (first) form.current?.querySelector<HTMLElement>(`#${CSS.escape(ids[first]!)}`)?.focus();
  }, [errors]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setMessage(undefined);
    try {
      const next = await signalsApi.updateRule(rule.id, editOf(rule, draft));
      onDone(next);
    } catch (error) {
      const found: Record<string, string> = {};
      const problems = error instanceof ApiError ? error.fieldProblems : [];
      for (const problem of problems) {
        const field = problemField(problem);
        if (field in ids) found[field] ??= problemText(problem);
      }
      setErrors({ fields: found });
      setMessage(errorText(error));
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={form} className="form rule-form" noValidate onSubmit={(event) => void submit(event)}>
      <FormMessage message={message} />
      <Checkbox id={`rule-${rule.id}-enabled`} label={t('rules.enabledLabel')} hint={t('rules.enabledHint')} checked={draft.enabled} onChange={(enabled) => setDraft((d) => ({ ...d, enabled }))} />
      {(['es', 'en'] as const).map((lang) => (
        <TextAreaField
          key={lang}
          id={ids[`description.${lang}`]!}
          lang={lang}
          label={t(lang === 'es' ? 'rules.descriptionEs' : 'rules.descriptionEn')}
          value={draft[lang]}
          maxLength={1000}
          error={errors.fields[`description.${lang}`]}
          onChange={(event) => setDraft((d) => ({ ...d, [lang]: event.target.value }))}
        />
      ))}
      <fieldset className="rule-form__parameters">
        <legend>{t('rules.parameters')}</legend>
        {RULE_PARAMETERS[rule.kind].map(([name, input]) => (
          <ParameterInputField
            key={name}
            id={ids[`parameters.${name}`]!}
            name={name}
            input={input}
            draft={draft}
            choices={choices}
            error={errors.fields[`parameters.${name}`]}
            onNumber={(value) => setDraft((d) => ({ ...d, numbers: { ...d.numbers, [name]: value } }))}
            onCodes={(value) => setDraft((d) => ({ ...d, codes: { ...d.codes, [name]: value } }))}
          />
        ))}
      </fieldset>
      <div className="signal-actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? t('rules.saving') : t('rules.save')}
        </button>
        <button type="button" className="button" onClick={() => onDone(undefined)}>
          {t('rules.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The parameters typed as numbers; each has a hint saying what it counts. */
type NumberParameter = 'minIncidents' | 'minStates' | 'days' | 'previousPeriods' | 'factor';

function ParameterInputField(props: {
  id: string;
  name: ParameterName;
  input: ParameterInput;
  draft: Draft;
  choices: Choices;
  error: string | undefined;
  onNumber: (value: string) => void;
  onCodes: (value: string[]) => void;
}) {
  const { t } = useTranslation();
  const { id, name, input, draft, error } = props;
  if (input.input === 'codes') {
    const options = props.choices(input.from);
    const chosen = draft.codes[name] ?? [];
    // Codes stored but no longer in the list (a retired term) stay chosen and visible.
    const missing = chosen.filter((code) => !options.some((o) => o.value === code)).map((code) => ({ value: code, label: code }));
    return (
      <details className="rule-form__codes" open={Boolean(error)}>
        <summary>
          {t(`rules.params.${name}`)}: {t('rules.chosen', { count: chosen.length })}
        </summary>
        <CheckboxGroup id={id} legend={t(`rules.params.${name}`)} options={[...options, ...missing]} value={chosen} error={error} onChange={props.onCodes} />
      </details>
    );
  }
  return (
    <Field
      id={id}
      label={t(`rules.params.${name}`)}
      hint={t(`rules.hints.${name as NumberParameter}`)}
      type="number"
      inputMode={input.input === 'count' ? 'numeric' : 'decimal'}
      step={input.input === 'count' ? 1 : 0.1}
      value={draft.numbers[name] ?? ''}
      error={error}
      onChange={(event) => props.onNumber(event.target.value)}
    />
  );
}
