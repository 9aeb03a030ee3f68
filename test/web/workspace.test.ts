import { describe, expect, it } from 'vitest';
import type { CurrentSession } from '../../src/web/api/auth';
import { workspaceLinks } from '../../src/web/session/workspace';

function session(roles: string[]): CurrentSession {
  return {
    user: { id: 'u', email: 'a@b.c', displayName: 'A', isInstanceAdmin: false },
    memberships: [{ organization: { id: 'o', slug: 'o', name: 'O', kind: 'network' }, roles }],
  } as unknown as CurrentSession;
}

describe('workspace links', () => {
  it('offers the inbox and the record to those who document, and the review queue to reviewers only', () => {
    expect(workspaceLinks(null)).toEqual([]);
    expect(workspaceLinks(session(['reporter']))).toEqual([]);
    expect(workspaceLinks(session(['documenter'])).map((l) => l.page)).toEqual(['triageInbox', 'incidentSearch']);
    expect(workspaceLinks(session(['reviewer'])).map((l) => l.page)).toEqual(['triageInbox', 'incidentSearch', 'reviewQueue']);
  });
});
