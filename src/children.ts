/**
 * The child processes the action has running (name lookups), so that cancellation can end them:
 * process.exit does not, and a lookup waiting on a silent resolver would outlive the step.
 */
import type { ChildProcess } from 'node:child_process'

const running = new Set<ChildProcess>()

/** Keeps `child` on the list until it exits. */
export function trackChild(child: ChildProcess): void {
  running.add(child)
  child.once('exit', () => running.delete(child))
  child.once('error', () => running.delete(child))
}

/** Kills every child still running (SIGKILL: a lookup has nothing to clean up); synchronous. */
export function endChildren(): void {
  for (const child of running) {
    child.kill('SIGKILL')
    running.delete(child)
  }
}

/** How many children are running, for tests. */
export function runningChildren(): number {
  return running.size
}
