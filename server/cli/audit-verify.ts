import { runCli, say } from './cli-support';

/** `npm run audit:verify`: walks the hash chain; exit code 0 when intact, 3 when tampering is found. */
void runCli(async (haven) => {
  const result = await haven.audit.verify();
  if (result.ok) {
    say(`audit trail intact: ${result.rowsChecked} rows verified (last row ${result.lastSeq})`);
    return 0;
  }
  say(`AUDIT TRAIL BROKEN: ${result.problem}`);
  say(`${result.rowsChecked} rows verified before the problem.`);
  return 3;
});
