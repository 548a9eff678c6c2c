// Regenerates the configuration table in README.md from server/config/settings.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSettingsTable } from '../server/config/settings-table';
import { PROJECT_ROOT } from '../server/shared/paths';

const file = join(PROJECT_ROOT, 'README.md');
writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8')));
process.stdout.write('README.md settings table updated\n');
