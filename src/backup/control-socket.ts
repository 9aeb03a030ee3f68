import { chmodSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MasterKey } from '../crypto/master-keys.js';
import type { Database } from '../db/client.js';
import { createBackup } from './backup.js';

/**
 * The embedded database is one process's: while a server holds a data directory, `vigia backup create`
 * cannot open it, so it asks the server through this unix socket, `<dataDir>/vigia.sock`, to write the
 * backup for it. The socket is local only and readable and writable by the server's owner only (mode
 * 0600); what it answers is the encrypted backup, no more readable than the file it becomes.
 *
 * Protocol: the client sends one line `backup`; the server answers `OK\n` followed by the backup's bytes
 * and closes, or `ERR <message>\n`.
 */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'vigia.sock');
}

export interface ControlSocket {
  close(): Promise<void>;
}

export async function startControlSocket(options: {
  dataDir: string;
  database: Database;
  evidenceDir: string;
  masterKey: MasterKey;
  logger: Logger;
}): Promise<ControlSocket> {
  const path = controlSocketPath(options.dataDir);
  // A socket left by a server that was killed; only one server holds a data directory at a time.
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const server = net.createServer((socket) => {
    let request = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (text: string) => {
      request += text;
      if (!request.includes('\n')) {
        if (request.length > 64) socket.end('ERR request too long\n');
        return;
      }
      socket.removeAllListeners('data');
      if (request.trim() !== 'backup') {
        socket.end('ERR unknown request; the only one is "backup"\n');
        return;
      }
      void serveBackup(socket, options);
    });
  });
  const previousUmask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(previousUmask);
  }
  chmodSync(path, 0o600);
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function serveBackup(
  socket: net.Socket,
  options: { database: Database; evidenceDir: string; masterKey: MasterKey; logger: Logger },
): Promise<void> {
  const write = (chunk: Buffer | string) =>
    new Promise<void>((resolve, reject) => {
      if (socket.destroyed) reject(new Error('the backup client went away'));
      else socket.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  try {
    await write('OK\n');
    const summary = await createBackup({ ...options, sink: write });
    options.logger.info({ tables: Object.keys(summary.rows).length, files: summary.files }, 'backup written to the control socket');
    socket.end();
  } catch (error) {
    // The client sees a file that ends early, which it refuses as incomplete.
    options.logger.error({ err: (error as Error).message }, 'backup over the control socket failed');
    socket.destroy();
  }
}

/**
 * Asks a running server for a backup; resolves with its bytes as a stream, or undefined when no server
 * answers on the socket (none runs, or one was killed and left the file behind).
 */
export async function requestBackup(dataDir: string): Promise<AsyncIterable<Buffer> | undefined> {
  const socket = net.createConnection(controlSocketPath(dataDir));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return undefined;
    throw error;
  }
  socket.write('backup\n');
  return (async function* () {
    let head = Buffer.alloc(0);
    let headerRead = false;
    for await (const chunk of socket as AsyncIterable<Buffer>) {
      if (headerRead) {
        yield chunk;
        continue;
      }
      head = Buffer.concat([head, chunk]);
      const newline = head.indexOf(0x0a);
      if (newline < 0) continue;
      const status = head.toString('utf8', 0, newline);
      if (status !== 'OK') throw new Error(`the running server refused the backup: ${status.replace(/^ERR /, '')}`);
      headerRead = true;
      if (head.length > newline + 1) yield head.subarray(newline + 1);
    }
  })();
}

/** Whether a server answers on the data directory's control socket. */
export async function serverHolds(dataDir: string): Promise<boolean> {
  const socket = net.createConnection(controlSocketPath(dataDir));
  return new Promise<boolean>((resolve) => {
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
