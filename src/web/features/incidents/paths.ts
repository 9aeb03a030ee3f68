import { WEB_PAGES } from '../../../domain/web-routes';

/** Addresses of the incident pages, built from src/domain/web-routes.ts so a renamed route cannot be missed. */
const fill = (pattern: string, id: string) => pattern.replace(':id', encodeURIComponent(id));

export const incidentPath = (id: string) => fill(WEB_PAGES.incident, id);
export const incidentHistoryPath = (id: string) => fill(WEB_PAGES.incidentHistory, id);
export const evidenceCustodyPath = (id: string) => fill(WEB_PAGES.evidenceCustody, id);
/** The editor's page, built by the incident editor (src/web/features/incident-editor/). */
export const incidentEditPath = (id: string) => `${incidentPath(id)}/editar`;
