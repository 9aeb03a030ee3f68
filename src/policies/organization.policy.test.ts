import { describe, expect, it } from 'vitest';
import type { Role } from '../db/schema.js';
import { tokenActor, userActor } from '../../test/organizations.js';
import { ANONYMOUS, type Actor } from './actor.js';
import { auditScope } from './audit.policy.js';
import { can, canCreateOrganization, visibleOrganizationIds, type OrganizationAction } from './organization.policy.js';

const OWN = { id: '00000000-0000-4000-8000-00000000000a', kind: 'shelter' as const };
const OTHER = { id: '00000000-0000-4000-8000-00000000000b', kind: 'shelter' as const };
const NETWORK = { id: '00000000-0000-4000-8000-00000000000c', kind: 'network' as const };
const ACTIONS: OrganizationAction[] = ['read', 'update', 'manage_members', 'manage_api_tokens', 'manage_network_members', 'read_audit'];

function member(role: Role, organizationId = OWN.id): Actor {
  return userActor('00000000-0000-4000-8000-0000000000f1', { [organizationId]: [role] });
}

/** What each role may do in its own organization (a shelter); in any other organization, nothing. */
const OWN_ORG_MATRIX: Record<Role, OrganizationAction[]> = {
  reporter: ['read'],
  documenter: ['read'],
  reviewer: ['read'],
  administrator: ['read', 'update', 'manage_members', 'manage_api_tokens', 'read_audit'],
};

describe('organization policy', () => {
  for (const role of Object.keys(OWN_ORG_MATRIX) as Role[]) {
    for (const action of ACTIONS) {
      const allowed = OWN_ORG_MATRIX[role].includes(action);
      it(`${role} ${allowed ? 'may' : 'may not'} ${action} their own organization, and never another's`, () => {
        expect(can(member(role), action, OWN)).toBe(allowed);
        expect(can(member(role), action, OTHER)).toBe(false);
      });
    }
  }

  it('lets only network administrators manage their network members', () => {
    expect(can(member('administrator', NETWORK.id), 'manage_network_members', NETWORK)).toBe(true);
    expect(can(member('documenter', NETWORK.id), 'manage_network_members', NETWORK)).toBe(false);
    expect(can(member('administrator'), 'manage_network_members', NETWORK)).toBe(false);
  });

  it('lets instance administrators manage every organization, and networks only as networks', () => {
    const admin = userActor('00000000-0000-4000-8000-0000000000f2', {}, { isInstanceAdmin: true });
    for (const action of ACTIONS.filter((a) => a !== 'manage_network_members')) expect(can(admin, action, OTHER)).toBe(true);
    expect(can(admin, 'manage_network_members', NETWORK)).toBe(true);
    expect(can(admin, 'manage_network_members', OTHER)).toBe(false);
    expect(canCreateOrganization(admin)).toBe(true);
    expect(visibleOrganizationIds(admin, [OWN.id, OTHER.id])).toEqual([OWN.id, OTHER.id]);
  });

  it('denies anonymous actors everything', () => {
    for (const action of ACTIONS) expect(can(ANONYMOUS, action, OWN)).toBe(false);
    expect(visibleOrganizationIds(ANONYMOUS, [OWN.id])).toEqual([]);
    expect(canCreateOrganization(ANONYMOUS)).toBe(false);
    expect(auditScope(ANONYMOUS)).toBeUndefined();
  });

  it('lets an API token see its own organization and administer nothing', () => {
    const token = tokenActor(OWN.id, ['incidents:read', 'incidents:write', 'reports:write', 'export:read']);
    expect(can(token, 'read', OWN)).toBe(true);
    expect(can(token, 'read', OTHER)).toBe(false);
    for (const action of ACTIONS.filter((a) => a !== 'read')) expect(can(token, action, OWN)).toBe(false);
    expect(visibleOrganizationIds(token, [OWN.id, OTHER.id])).toEqual([OWN.id]);
    expect(canCreateOrganization(token)).toBe(false);
    expect(auditScope(token)).toBeUndefined();
  });

  it('denies everything to a session that still owes its second factor', () => {
    const pending = userActor('00000000-0000-4000-8000-0000000000f3', { [OWN.id]: ['administrator'] }, { mfaVerified: false });
    for (const action of ACTIONS) expect(can(pending, action, OWN)).toBe(false);
    expect(visibleOrganizationIds(pending, [OWN.id])).toEqual([]);
    expect(auditScope(pending)).toBeUndefined();
    const pendingInstanceAdmin = userActor('00000000-0000-4000-8000-0000000000f4', {}, { isInstanceAdmin: true, mfaVerified: false });
    expect(canCreateOrganization(pendingInstanceAdmin)).toBe(false);
  });

  it('returns only the organizations a person belongs to, in the order asked', () => {
    const actor = userActor('00000000-0000-4000-8000-0000000000f5', { [OTHER.id]: ['reporter'], [NETWORK.id]: ['reviewer'] });
    expect(visibleOrganizationIds(actor, [OWN.id, NETWORK.id, OTHER.id])).toEqual([NETWORK.id, OTHER.id]);
    expect(canCreateOrganization(actor)).toBe(false);
  });

  it('scopes the audit log to the organizations a person administers', () => {
    expect(auditScope(userActor('00000000-0000-4000-8000-0000000000f6', {}, { isInstanceAdmin: true }))).toEqual({ all: true });
    expect(auditScope(member('administrator'))).toEqual({ all: false, organizationIds: [OWN.id] });
    expect(auditScope(member('reviewer'))).toBeUndefined();
    expect(auditScope(member('reporter'))).toBeUndefined();
  });
});
