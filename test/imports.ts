/** A mapping as an organization would write it for its own spreadsheet. */
export const SPREADSHEET_MAPPING = {
  version: 1,
  title: { column: 'Título' },
  narrative: { column: 'Relato' },
  startDate: { column: 'Fecha', format: 'DD/MM/YYYY' },
  state: { column: 'Estado' },
  municipality: { column: 'Municipio' },
  placeType: { value: 'MIGRANT_SHELTER' },
  acts: {
    column: 'Agresión',
    separator: ';',
    values: { 'Intento de ingreso': 'ATTEMPTED_ENTRY', Hostigamiento: 'HARASSMENT', Vigilancia: 'SURVEILLANCE', Amenaza: 'THREAT' },
  },
  perpetrators: { column: 'Perpetrador', separator: ';', values: { 'Guardia Nacional': 'GN', GN: 'GN', 'Policía municipal': 'POL_MUN' }, default: 'UNKNOWN' },
  victim: { kind: { value: 'organization' }, characteristics: { value: 'HUMAN_RIGHTS_ORGANIZATION' } },
  source: { type: { value: 'NGO_REPORT' }, reliability: { value: 'MEDIUM' } },
};
