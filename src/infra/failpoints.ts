/**
 * Crash points for the exactly-once tests: with SO_FAILPOINT=<name> the process dies right there
 * (exit 137, as if killed), so a test can prove the retry recovers. Unset in production: one
 * string compare.
 */
export function failpoint(name: string) {
  if (process.env.SO_FAILPOINT === name) {
    process.stderr.write(`failpoint ${name}: exiting\n`);
    process.exit(137);
  }
}
