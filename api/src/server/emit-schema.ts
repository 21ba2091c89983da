import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSchema, printPublicSchema } from './schema.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_PATH, printPublicSchema(await createSchema()));
  console.log(`Wrote ${SCHEMA_PATH}`);
}
