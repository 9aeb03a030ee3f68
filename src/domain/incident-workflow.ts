import type { IncidentStatus } from '../db/schema.js';

/**
 * The review workflow: reported → in review → verified | rejected | needs information. A step names the
 * states it may start from; anything else is refused with the state it is in, so the client can say why.
 */
export const WORKFLOW_STEPS = {
  /** A documenter sends the record for review (also after answering a request for information). */
  submit: { from: ['reported', 'needs_information'], to: 'in_review' },
  /** A reviewer asks for something missing, with a note saying what. */
  request_information: { from: ['in_review', 'reported'], to: 'needs_information' },
  /** A reviewer who did not make the last change confirms the record. */
  verify: { from: ['in_review'], to: 'verified' },
  /** A reviewer rejects it (not credible, out of scope, a duplicate), with a reason. */
  reject: { from: ['reported', 'in_review', 'needs_information'], to: 'rejected' },
  /** A rejected or verified record goes back to review (new facts, a mistake found). */
  reopen: { from: ['rejected', 'verified'], to: 'in_review' },
} as const satisfies Record<string, { from: readonly IncidentStatus[]; to: IncidentStatus }>;

export type WorkflowStep = keyof typeof WORKFLOW_STEPS;
export const WORKFLOW_STEP_NAMES = Object.keys(WORKFLOW_STEPS) as WorkflowStep[];

/** Steps that need a note saying why. */
export const STEPS_NEEDING_NOTE: readonly WorkflowStep[] = ['request_information', 'reject', 'reopen'];

/** The state after `step` from `status`, or null when the step does not start there. */
export function nextStatus(status: IncidentStatus, step: WorkflowStep): IncidentStatus | null {
  const rule = WORKFLOW_STEPS[step];
  return (rule.from as readonly IncidentStatus[]).includes(status) ? rule.to : null;
}
