import { describe, expect, it } from 'vitest';
import { workspaceLinks } from '../../src/web/session/workspace.js';

function session(roles: string[]) {
  return { memberships: [{ roles }] };
}

describe('workspace links', () => {
  it('offers a new report to every member, the inbox and the record to those who document, and the review queue to reviewers only', () => {
    expect(workspaceLinks(null)).toEqual([]);
    expect(workspaceLinks({ memberships: [] })).toEqual([]);
    expect(workspaceLinks(session(['reporter'])).map((l) => l.page)).toEqual(['memberReport']);
    expect(workspaceLinks(session(['documenter'])).map((l) => l.page)).toEqual(['memberReport', 'triageInbox', 'incidentSearch']);
    expect(workspaceLinks(session(['reviewer'])).map((l) => l.page)).toEqual(['memberReport', 'triageInbox', 'incidentSearch', 'reviewQueue']);
  });
});
