/**
 * Build stand-in for @actions/exec (tsconfig `paths`, which ncc honours). @actions/core imports it
 * only for platform.getDetails(), which this action never calls, so nothing reachable uses it and
 * ncc drops this module: in dist/index.js `exec` is an unbound name, and a call to getDetails()
 * would throw a ReferenceError. Loading the real module would pull in child_process and
 * @actions/io at start-up. __tests__/stand-ins.test.ts fails when core imports a name that is not
 * exported here.
 */
export function getExecOutput(): never {
  throw new Error('@actions/exec is not bundled: core.platform.getDetails() is not available')
}
