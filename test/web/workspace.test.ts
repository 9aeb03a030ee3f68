import { describe, expect, it } from 'vitest';
import { workspaceLinks } from '../../src/web/session/workspace.js';

function session(roles: string[]) {
  return { memberships: [{ roles }] };
}

describe('workspace links', () => {
  it('offers the inbox and the record to those who document, and the review queue to reviewers only', () => {
    expect(workspaceLinks(null)).toEqual([]);
    expect(workspaceLinks(session(['reporter']))).toEqual([]);
    expect(workspaceLinks(session(['documenter'])).map((l) => l.page)).toEqual(['triageInbox', 'incidentSearch']);
    expect(workspaceLinks(session(['reviewer'])).map((l) => l.page)).toEqual(['triageInbox', 'incidentSearch', 'reviewQueue']);
  });
});
