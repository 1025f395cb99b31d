/**
 * Stops the action at once when the runner cancels the step. The runner sends SIGINT, then
 * SIGTERM 7.5 s later, then kills the process tree. Node would die on either signal by itself,
 * but asynchronously to the JavaScript running, so possibly between two output lines; a listener
 * runs only between tasks, so the synchronous block that writes the outputs and the variable is
 * never cut in half, and the log says what happened.
 */
import { constants } from 'node:os'
import { endChildren } from './children.js'

/** The signals a runner sends to cancel a step. */
export const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** A cancellation signal. */
export type CancelSignal = (typeof CANCEL_SIGNALS)[number]

/** The line logged on cancellation; never carries anything but the signal and the phase. */
export function cancelMessage(signal: CancelSignal, handedOver: boolean): string {
  return (
    `The runner cancelled the step (${signal}); stopped ` +
    (handedOver
      ? 'after the outputs were set, before the job summary.'
      : 'before any output or variable was set.')
  )
}

/** The exit status a shell reports for a process ended by `signal` (130 for SIGINT). */
export function cancelExitCode(signal: CancelSignal): number {
  return 128 + constants.signals[signal]
}

/**
 * Logs, ends the action's child processes (a name lookup) and exits on the first SIGINT or
 * SIGTERM. `handedOver` tells whether the outputs were already set. Returns a function that
 * removes the listeners.
 */
export function exitOnCancel(
  log: (message: string) => void,
  handedOver: () => boolean,
  exit: (code: number) => never = (code) => process.exit(code)
): () => void {
  const listeners = CANCEL_SIGNALS.map((signal) => {
    const listener = (): void => {
      log(cancelMessage(signal, handedOver()))
      endChildren()
      exit(cancelExitCode(signal))
    }
    process.on(signal, listener)
    return [signal, listener] as const
  })
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener)
  }
}
