/**
 * One rule for tests that need a service or binary this machine may lack: skip locally, with the
 * reason shown; fail in CI (CI=true), where `.ci/run` promises everything is installed and a skip
 * would pass a suite that proved nothing.
 */

/**
 * The value for `describe(name, { skip })`: `false` when `missing` is null (the test runs), the
 * reason when it is not; with CI=true a missing requirement throws instead, naming `remedy`.
 */
export function skipLocally(missing: string | null, remedy: string): string | false {
  if (missing === null) return false;
  if (process.env.CI === 'true') throw new Error(`${missing}: CI=true forbids skipping (${remedy})`);
  return `${missing} (${remedy})`;
}
