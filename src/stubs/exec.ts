/**
 * Stand-in for @actions/exec in the bundle. @actions/core imports it only for platform.getDetails(),
 * which this action never calls; loading it would pull in child_process, timers and @actions/io.
 */
export function getExecOutput(): never {
  throw new Error('@actions/exec is not bundled: core.platform.getDetails() is not available')
}
