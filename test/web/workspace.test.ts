import { describe, expect, it } from 'vitest';
import { mayExportUnredacted, workspaceLinks } from '../../src/web/session/workspace.js';

function session(roles: string[]) {
  return { memberships: [{ roles }] };
}

describe('workspace links', () => {
  it('offers a new report to every member, the inbox, the record, the alert drafts and the signals to those who document, and the review queue to reviewers only', () => {
    expect(workspaceLinks(null)).toEqual([]);
    expect(workspaceLinks({ memberships: [] })).toEqual([]);
    expect(workspaceLinks(session(['reporter'])).map((l) => l.page)).toEqual(['memberReport']);
    expect(workspaceLinks(session(['documenter'])).map((l) => l.page)).toEqual(['memberReport', 'triageInbox', 'incidentSearch', 'alertList', 'signalInbox']);
    expect(workspaceLinks(session(['reviewer'])).map((l) => l.page)).toEqual(['memberReport', 'triageInbox', 'incidentSearch', 'reviewQueue', 'alertList', 'signalInbox']);
  });

  it('offers the early-warning rules to administrators of an organization or of the instance only', () => {
    expect(workspaceLinks(session(['administrator'])).map((l) => l.page)).toEqual(['memberReport', 'triageInbox', 'incidentSearch', 'alertList', 'signalInbox', 'alertRules']);
    expect(workspaceLinks({ user: { isInstanceAdmin: true }, memberships: [] }).map((l) => l.page)).toEqual(['alertRules']);
    expect(workspaceLinks({ user: { isInstanceAdmin: false }, ...session(['documenter', 'reviewer']) }).map((l) => l.page)).not.toContain('alertRules');
    const labels = workspaceLinks(session(['administrator'])).map((l) => l.label);
    expect(labels.slice(-3)).toEqual(['nav.alerts', 'nav.signals', 'nav.rules']);
  });
});

describe('unredacted exports', () => {
  it('are offered for an organization where the person documents, reviews or administers, and nowhere else', () => {
    const session = {
      memberships: [
        { organization: { id: 'albergue' }, roles: ['documenter'] },
        { organization: { id: 'red' }, roles: ['reporter'] },
      ],
    };
    expect(mayExportUnredacted(session, 'albergue')).toBe(true);
    expect(mayExportUnredacted(session, 'red')).toBe(false);
    expect(mayExportUnredacted(session, 'otra')).toBe(false);
  });
});
