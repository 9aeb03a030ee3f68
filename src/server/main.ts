import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { openConfiguredDatabase, type Database } from '../db/client.js';
import { prepareDatabase } from '../db/bootstrap.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import { startControlSocket, type ControlSocket } from '../backup/control-socket.js';
import { buildApp, evidenceDirFor, evidenceStoreFor } from './app.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { createOutboxWorker } from '../jobs/run.js';
import type { OutboxWorker } from '../jobs/worker.js';

/** A listening Vigía server and what it owns, so it can be stopped in order. */
export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  /** Stops taking requests, lets in-flight ones finish, stops the worker, closes the database. */
  stop(): Promise<void>;
}

/**
 * Opens and prepares the database (a failed migration throws and stops the start), builds the app,
 * listens, and starts the inline outbox worker unless VIGIA_WORKER=off.
 */
export async function startServer(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  // Before anything else: without its master key the server could seal nothing and open nothing.
  const masterKeys = loadMasterKeys(config);
  const keyring = new Keyring(masterKeys);
  const database = await openConfiguredDatabase(config, (error) =>
    logger.warn({ err: error.message }, 'database connection error'),
  );
  let app: FastifyInstance | undefined;
  let worker: OutboxWorker | undefined;
  let control: ControlSocket | undefined;
  try {
    const prepared = await prepareDatabase(database);
    if (prepared.migrations.length > 0) logger.info({ applied: prepared.migrations }, 'migrations applied');
    // Half-created and half-removed uploads a crash left behind, cleared before any request can start one.
    const evidenceStore = evidenceStoreFor(config);
    await evidenceStore.sweepLeftovers();
    app = await buildApp({ config, database, keyring, evidenceStore });
    // Only this process can open the embedded database: `vigia backup create` asks it over a local socket.
    // A socket that cannot be made (e.g. a data directory path beyond the 107 bytes a unix socket allows)
    // must not keep the server from serving: backups then need the server stopped, and the log says so.
    if (database.engine === 'pglite') {
      control = await startControlSocket({
        dataDir: config.dataDir,
        database,
        evidenceDir: evidenceDirFor(config),
        masterKey: masterKeys.current,
        logger,
      }).catch((error: unknown) => {
        logger.warn({ err: (error as Error).message }, 'no backup control socket: stop the server to run `vigia backup create`');
        return undefined;
      });
    }
    const address = await app.listen({ host: config.host, port: config.port });
    if (config.worker === 'inline') {
      worker = createOutboxWorker({ config, database, logger });
      worker.start();
    }
    const running: RunningServer = {
      app,
      database,
      url: address.replace('[::1]', 'localhost'),
      stop: async () => {
        // Requests first (they may enqueue jobs), then the worker, then the database they both use.
        await app!.close();
        await control?.close();
        await worker?.stop();
        await database.close();
      },
    };
    return running;
  } catch (error) {
    await app?.close();
    await control?.close();
    await database.close();
    throw error;
  }
}

/**
 * Stops the server on SIGTERM or SIGINT: in-flight requests finish, then the process exits 0.
 * A second signal, or a stop that takes longer than `graceMs`, exits 1 at once.
 */
export function stopOnSignals(server: RunningServer, logger: Logger, graceMs = 25_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    server.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
