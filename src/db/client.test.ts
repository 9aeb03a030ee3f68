import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';

describeEachEngine(
  'database',
  (getDatabase, engine) => {
    it('returns the same JavaScript types on both engines', async () => {
      const { rows } = await sql<{ big: number; day: string; num: string; at: Date; doc: unknown }>`
        select 9007199254740991::int8 as big, '2019-07-20'::date as day, 1.50::numeric as num,
               now() as at, '{"a":[1]}'::jsonb as doc`.execute(getDatabase().db);
      expect(rows[0]).toMatchObject({ big: 9007199254740991, day: '2019-07-20', num: '1.50', doc: { a: [1] } });
      expect(rows[0]!.at).toBeInstanceOf(Date);
    });

    it('refuses an int8 beyond safe integers rather than rounding it', async () => {
      await expect(sql`select 9007199254740993::int8 as big`.execute(getDatabase().db)).rejects.toThrow(
        /beyond JavaScript's safe integers/,
      );
    });

    it('never interleaves two transactions', async () => {
      const database = getDatabase();
      await sql`create table tx_probe (step text, at serial)`.execute(database.db);
      const run = (name: string) =>
        database.transaction(async (trx) => {
          await sql`insert into tx_probe (step) values (${`${name}:begin`})`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, 30));
          await sql`insert into tx_probe (step) values (${`${name}:end`})`.execute(trx);
        });
      await Promise.all([run('a'), run('b'), run('c')]);
      const { rows } = await sql<{ step: string }>`select step from tx_probe order by at`.execute(database.db);
      const steps = rows.map((r) => r.step);
      // On PostgreSQL the transactions really run at once; each still commits all of its own steps.
      if (engine === 'pglite') {
        for (let i = 0; i < steps.length; i += 2) {
          expect(steps[i]!.split(':')[0]).toBe(steps[i + 1]!.split(':')[0]);
        }
      }
      expect(steps.sort()).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
    });

    it('rolls a failed transaction back completely', async () => {
      const database = getDatabase();
      await sql`create table tx_rollback (n int)`.execute(database.db);
      await expect(
        database.transaction(async (trx) => {
          await sql`insert into tx_rollback values (1)`.execute(trx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from tx_rollback`.execute(database.db);
      expect(rows[0]!.n).toBe(0);
      // and the connection is usable afterwards
      await database.ping();
    });

    if (engine === 'pglite') {
      it('throws instead of deadlocking when a transaction uses the database handle', async () => {
        const database = getDatabase();
        await expect(
          database.transaction(async () => {
            await sql`select 1`.execute(database.db);
          }),
        ).rejects.toThrow(/run queries on the transaction object/);
        await database.ping();
      });
    }
  },
  { prepared: false },
);
