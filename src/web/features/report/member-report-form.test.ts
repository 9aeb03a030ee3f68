import { describe, expect, it } from 'vitest';
import { checkMemberDraft, EMPTY_MEMBER_DRAFT, isMemberDraftEmpty, restoreMemberDraft, toMemberReportBody, type MemberReportDraft } from './member-report-form';

const SECRET = 'a'.repeat(43);

const filled: MemberReportDraft = {
  ...EMPTY_MEMBER_DRAFT,
  organizationId: 'org-1',
  whatHappened: ' Dos patrullas filmaron la entrada del albergue. ',
  whenChoice: 'day',
  date: '2019-07-20',
  stateCode: '05',
  municipalityCode: '05030',
  perpetratorType: 'PF',
  actTypes: ['SURVEILLANCE', 'MIGRATION_CHECK'],
  victimCharacteristics: ['SHELTER_STAFF'],
  peopleAffected: ' 40 ',
  agentsCount: '6',
};

describe('member report form', () => {
  it('turns a filled form into the member API body, the organization left to the address', () => {
    expect(toMemberReportBody(filled, SECRET)).toEqual({
      whatHappened: 'Dos patrullas filmaron la entrada del albergue.',
      when: { date: '2019-07-20', precision: 'day' },
      where: { stateCode: '05', municipalityCode: '05030', placeType: null, shelterName: '' },
      who: { perpetratorType: 'PF', description: '' },
      contact: '',
      consent: { mayContact: false, mayPublish: false },
      actTypes: ['SURVEILLANCE', 'MIGRATION_CHECK'],
      victimCharacteristics: ['SHELTER_STAFF'],
      peopleAffected: 40,
      agentsCount: 6,
      receiptSecret: SECRET,
    });
    expect(toMemberReportBody({ ...filled, peopleAffected: '', agentsCount: '' }, SECRET)).toMatchObject({ peopleAffected: null, agentsCount: null });
  });

  it('refuses counts that are not whole numbers within the server’s bounds, after the public report’s problems', () => {
    expect(checkMemberDraft(filled, { today: '2026-01-01' })).toEqual([]);
    expect(
      checkMemberDraft({ ...filled, whatHappened: 'corto', agentsCount: '2.5', peopleAffected: '0' }, { today: '2026-01-01' }),
    ).toEqual([
      { field: 'whatHappened', problem: 'tooShort' },
      { field: 'agentsCount', problem: 'notACount' },
      { field: 'peopleAffected', problem: 'notACount' },
    ]);
    expect(checkMemberDraft({ ...filled, agentsCount: '10001' }, { today: '2026-01-01' })).toEqual([{ field: 'agentsCount', problem: 'notACount' }]);
    expect(checkMemberDraft({ ...filled, organizationId: '' }, { today: '2026-01-01' })).toEqual([{ field: 'organizationId', problem: 'required' }]);
  });

  it('keeps a draft through storage, drops what is of the wrong type, and calls a form with only its organization empty', () => {
    expect(restoreMemberDraft(JSON.parse(JSON.stringify(filled)))).toEqual(filled);
    expect(restoreMemberDraft({ actTypes: ['THREAT', 3], peopleAffected: 12, agentsCount: '3' })).toEqual({
      ...EMPTY_MEMBER_DRAFT,
      actTypes: ['THREAT'],
      agentsCount: '3',
    });
    expect(restoreMemberDraft(null)).toEqual(EMPTY_MEMBER_DRAFT);
    expect(isMemberDraftEmpty({ ...EMPTY_MEMBER_DRAFT, organizationId: 'org-1', whenChoice: 'unknown' })).toBe(true);
    expect(isMemberDraftEmpty({ ...EMPTY_MEMBER_DRAFT, actTypes: ['THREAT'] })).toBe(false);
    expect(isMemberDraftEmpty({ ...EMPTY_MEMBER_DRAFT, agentsCount: '2' })).toBe(false);
  });
});
