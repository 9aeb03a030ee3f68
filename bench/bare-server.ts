/**
 * The baseline of bench/load.bench.ts: a bare Fastify route answering a small JSON document, in a
 * process of its own as the real server is. Prints the port it listens on.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ status: 'ok', data: [{ code: '01', name: 'Aguascalientes' }] }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${new URL(address).port}\n`);
