// Copies what the compiled server reads at run time but tsc does not emit: the SQL migrations.
import fs from 'node:fs';

fs.cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
