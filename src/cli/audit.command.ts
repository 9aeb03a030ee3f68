import { auditCheckpoint as readAuditCheckpoint, verifyAuditChain } from '../audit/audit-log.js';
import type { Config } from '../server/config.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './with-database.js';

/** Options of `vigia audit verify`, as the command line gives them. */
export interface AuditVerifyOptions {
  /** A checkpoint kept earlier, written `<seq>:<hash>` as `vigia audit checkpoint` prints it. */
  checkpoint?: string;
}

/** `vigia audit verify`: recomputes the chain; exits 1 naming the first broken entry, so monitors notice. */
export async function auditVerify(config: Config, options: AuditVerifyOptions = {}): Promise<void> {
  const checkpoint = options.checkpoint === undefined ? undefined : parseCheckpoint(options.checkpoint);
  await withDatabase(config, async (database) => {
    const report = await verifyAuditChain(database, checkpoint ? { checkpoint } : {});
    const out = process.stdout;
    if (report.ok) {
      out.write(`Audit log intact: ${report.entries} entries.\n`);
      out.write(`Head hash: ${report.headHash}\n`);
      if (checkpoint) out.write(`Checkpoint #${checkpoint.seq} matches.\n`);
      return;
    }
    const { seq, problem, message } = report.firstBroken;
    out.write(`Audit log BROKEN at entry #${seq} (${problem}): ${message}\n`);
    out.write(`${report.entries} entries before it are intact.\n`);
    throw new CliError(`the audit log has been tampered with: first broken entry #${seq} (${problem}).`);
  });
}

/** `vigia audit checkpoint`: prints the head so that someone outside the server can witness history so far. */
export async function auditCheckpoint(config: Config): Promise<void> {
  await withDatabase(config, async (database) => {
    const head = await readAuditCheckpoint(database);
    const out = process.stdout;
    out.write(`Audit log head: entry #${head.seq} at ${head.at.toISOString()}\n`);
    out.write(`Hash: ${head.hash}\n`);
    out.write(
      'Give this to someone outside this server to keep: `vigia audit verify --checkpoint ' +
        `${head.seq}:${head.hash}\` will later prove that no entry up to #${head.seq} has changed.\n`,
    );
  });
}

function parseCheckpoint(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  const seq = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(seq)) {
    throw new CliError(`--checkpoint must be <seq>:<hash> as \`vigia audit checkpoint\` prints it, not "${text}".`);
  }
  return { seq, hash: match[2]! };
}
