/**
 * `migration:create [name]` writes a migration for the difference between the entities and a
 * scratch database that has every committed migration applied; `migration:check` fails when
 * that difference is not empty. Both use TEST_DATABASE_URL / DATABASE_URL's server, or an
 * embedded PostgreSQL when neither is set.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrm } from './orm.js';
import { withScratchDatabase } from './scratch.js';

const [command, name] = process.argv.slice(2);
const migrationsDir = join(fileURLToPath(new URL('.', import.meta.url)), '../../migrations');

await withScratchDatabase(async (url) => {
  const orm = await createOrm({ url });
  try {
    const migrator = orm.migrator;
    await migrator.up();
    if (command === 'create') {
      const result = await migrator.create(migrationsDir, false, false, name);
      if (!result.diff.up.length) console.log('No changes: entities match the migrations.');
      else console.log(`Wrote ${result.fileName}; add it to api/src/migrations/index.ts.`);
    } else if (command === 'check') {
      const { diff } = await migratorDiff(orm);
      if (diff.length) {
        console.error('Entities and migrations disagree. Run `npm run migration:create`. Missing SQL:\n' + diff.join('\n'));
        process.exitCode = 1;
      } else console.log('Entities and migrations agree.');
    } else {
      console.error('usage: migration-cli create [name] | check');
      process.exitCode = 2;
    }
  } finally {
    await orm.close(true);
  }
});

async function migratorDiff(orm: Awaited<ReturnType<typeof createOrm>>) {
  const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false });
  return { diff: sql.split('\n').filter((line) => line.trim()) };
}
