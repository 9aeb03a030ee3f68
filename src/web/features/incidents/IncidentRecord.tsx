import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Incident, Knowable } from '../../api/incidents';
import { incidentPath } from './paths';
import { useFuzzyDate, usePlaces, useVocabularies } from './labels';

/**
 * The record as a reader needs it: the event, then who did what to whom (each act with its victim and
 * perpetrators), where the information came from and how reliable it is, what was done about it, and
 * related events. Codes are shown as their labels; sealed names as "withheld" until shown on purpose.
 */
export function IncidentRecord({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const doc = incident.document;
  const fuzzyDate = useFuzzyDate();
  const { label } = useVocabularies([
    'act_types',
    'perpetrator_types',
    'involvement_degrees',
    'victim_characteristics',
    'source_types',
    'source_connections',
    'source_reliability',
    'intervention_types',
    'intervention_statuses',
    'place_types',
  ]);
  const places = usePlaces([doc.place.stateCode]);
  const victims = new Map(doc.victims.map((v) => [v.id, v]));
  const sealed = t('incidents.sensitive.sealed');
  const victimName = (id: string) => {
    const victim = victims.get(id);
    if (!victim) return id;
    const kind = t(`incidents.record.victimKinds.${victim.kind}`);
    return `${victim.name ?? (incident.sensitiveIncluded ? kind : `${kind} (${sealed})`)} · ${id}`;
  };
  const place = [
    doc.place.municipalityCode ? places.municipalityName(doc.place.municipalityCode) : null,
    places.stateName(doc.place.stateCode),
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <section className="panel panel--wide incident-record" aria-labelledby="record-heading">
      <h2 id="record-heading">{t('incidents.record.heading')}</h2>

      <h3>{t('incidents.record.event')}</h3>
      <dl className="facts">
        <dt>{t('incidents.record.startDate')}</dt>
        <dd>{fuzzyDate(doc.startDate)}</dd>
        {doc.endDate && (
          <>
            <dt>{t('incidents.record.endDate')}</dt>
            <dd>{fuzzyDate(doc.endDate)}</dd>
          </>
        )}
        <dt>{t('incidents.record.place')}</dt>
        <dd>{place}</dd>
        {doc.place.placeType && (
          <>
            <dt>{t('incidents.record.placeType')}</dt>
            <dd>{label('place_types', doc.place.placeType)}</dd>
          </>
        )}
        {doc.place.coordinates && (
          <>
            <dt>{t('incidents.record.coordinates')}</dt>
            <dd>
              {doc.place.coordinates.lat}, {doc.place.coordinates.lon}
            </dd>
          </>
        )}
      </dl>
      <h4>{t('incidents.record.narrative')}</h4>
      <p className="incident-narrative" lang={doc.narrativeLanguage}>
        {doc.narrative || t('incidents.record.noNarrative')}
      </p>
      <h4>{t('incidents.record.circumstances')}</h4>
      <dl className="facts">
        {(Object.entries(doc.circumstances) as Array<[keyof typeof doc.circumstances, Knowable]>).map(([key, answer]) => (
          <Fact key={key} term={t(`incidents.record.circumstance.${key}`)}>
            {t(`incidents.record.answers.${answer}`)}
          </Fact>
        ))}
      </dl>

      <h3>{t('incidents.record.acts')}</h3>
      {doc.acts.length === 0 ? (
        <p>{t('incidents.record.none')}</p>
      ) : (
        <ul className="plain-list record-parts">
          {doc.acts.map((act) => {
            const involvements = doc.involvements.filter((i) => i.actId === act.id);
            return (
              <li key={act.id} className="record-part">
                <h4>{t('incidents.record.act', { id: act.id, type: label('act_types', act.actType) })}</h4>
                <dl className="facts">
                  <Fact term={t('incidents.record.victim')}>{victimName(act.victimId)}</Fact>
                  <Fact term={t('incidents.record.perpetrators')}>
                    {involvements.length === 0 ? (
                      t('incidents.record.noPerpetrator')
                    ) : (
                      <ul className="plain-list">
                        {involvements.map((inv) => (
                          <li key={inv.id}>
                            {t('incidents.record.perpetrator', {
                              type: label('perpetrator_types', inv.perpetratorType),
                              degree: label('involvement_degrees', inv.degree),
                            })}
                            {inv.unit && <> — {t('incidents.record.unit', { unit: inv.unit })}</>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </Fact>
                  {act.date && <Fact term={t('incidents.record.date')}>{fuzzyDate(act.date)}</Fact>}
                  {act.method && <Fact term={t('incidents.record.method')}>{act.method}</Fact>}
                  {act.consequences && <Fact term={t('incidents.record.consequences')}>{act.consequences}</Fact>}
                </dl>
              </li>
            );
          })}
        </ul>
      )}

      <h3>{t('incidents.record.victims')}</h3>
      {doc.victims.length === 0 ? (
        <p>{t('incidents.record.none')}</p>
      ) : (
        <ul className="plain-list record-parts">
          {doc.victims.map((victim) => (
            <li key={victim.id} className="record-part">
              <h4>{t('incidents.record.victimHeading', { id: victim.id, kind: t(`incidents.record.victimKinds.${victim.kind}`) })}</h4>
              <dl className="facts">
                <Fact term={t('incidents.record.name')}>{victim.name ?? sealed}</Fact>
                {victim.characteristics.length > 0 && (
                  <Fact term={t('incidents.record.characteristics')}>
                    {victim.characteristics.map((c) => label('victim_characteristics', c)).join(', ')}
                  </Fact>
                )}
                {victim.count !== null && <Fact term={t('incidents.record.count')}>{victim.count}</Fact>}
                {victim.description && <Fact term={t('incidents.record.description')}>{victim.description}</Fact>}
              </dl>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('incidents.record.sources')}</h3>
      {doc.sources.length === 0 ? (
        <p>{t('incidents.record.none')}</p>
      ) : (
        <ul className="plain-list record-parts">
          {doc.sources.map((source) => (
            <li key={source.id} className="record-part">
              <h4>{t('incidents.record.sourceHeading', { id: source.id, type: label('source_types', source.sourceType) })}</h4>
              <dl className="facts">
                <Fact term={t('incidents.record.reliability')}>{label('source_reliability', source.reliability)}</Fact>
                <Fact term={t('incidents.record.connection')}>{label('source_connections', source.connection)}</Fact>
                <Fact term={t('incidents.record.name')}>{source.name ?? sealed}</Fact>
                {(source.contact || !incident.sensitiveIncluded) && (
                  <Fact term={t('incidents.record.contact')}>{source.contact ?? sealed}</Fact>
                )}
                {source.date && <Fact term={t('incidents.record.date')}>{fuzzyDate(source.date)}</Fact>}
                {source.description && <Fact term={t('incidents.record.description')}>{source.description}</Fact>}
              </dl>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('incidents.record.interventions')}</h3>
      {doc.interventions.length === 0 ? (
        <p>{t('incidents.record.none')}</p>
      ) : (
        <ul className="plain-list record-parts">
          {doc.interventions.map((intervention) => (
            <li key={intervention.id} className="record-part">
              <h4>
                {t('incidents.record.interventionHeading', {
                  id: intervention.id,
                  type: label('intervention_types', intervention.interventionType),
                })}
              </h4>
              <dl className="facts">
                <Fact term={t('incidents.record.interventionStatus')}>{label('intervention_statuses', intervention.status)}</Fact>
                {intervention.date && <Fact term={t('incidents.record.date')}>{fuzzyDate(intervention.date)}</Fact>}
                {intervention.addressedTo && <Fact term={t('incidents.record.addressedTo')}>{intervention.addressedTo}</Fact>}
                {intervention.reference && <Fact term={t('incidents.record.fileReference')}>{intervention.reference}</Fact>}
                {intervention.description && <Fact term={t('incidents.record.description')}>{intervention.description}</Fact>}
              </dl>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('incidents.record.links')}</h3>
      {doc.links.length === 0 ? (
        <p>{t('incidents.record.none')}</p>
      ) : (
        <ul className="link-list">
          {doc.links.map((link) => (
            <li key={`${link.incidentId}-${link.relation}`}>
              {t(`incidents.record.relations.${link.relation}`)}: <Link href={incidentPath(link.incidentId)}>{link.incidentId}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}
