/** Reads the inputs, gets the token, sets outputs: the only place that fails the step. */
import * as core from '@actions/core'
import { exitOnCancel } from './cancel.js'
import { InputError } from './errors.js'
import { missingScopesMessage } from './hints.js'
import { asLine, line } from './log-text.js'
import { breaksMaskCommand } from './mask-command.js'
import { checkRunnerFiles, probeFile } from './runner-files.js'
import { writeAllOrNothing } from './runner-writes.js'
import { checkSecretExpiry } from './secret-check.js'
import { parseSettings } from './settings.js'
import { summaryMarkdown } from './summary.js'
import { requestToken } from './token.js'
import { formEncode, secretForms } from './token-request.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The one place a line reaches the log: whatever built it, the line is neutralised as a whole
 * (one line, no workflow command), so a message that forgot to neutralise a value cannot print it.
 */
const log = {
  info: (message: string): void => core.info(asLine(message)),
  warning: (message: string): void => core.warning(asLine(message)),
  debug: (message: string): void => core.debug(asLine(message)),
  failed: (message: string): void => core.setFailed(asLine(message))
}

/** What is left to do once the outputs are set: built before, so it cannot fail the step. */
interface AfterHandOver {
  readonly info: readonly string[]
  readonly warnings: readonly string[]
  /** The job summary's Markdown; undefined when none is written. */
  readonly summary: string | undefined
}

/** The action's entry point; never rejects. */
export async function run(): Promise<void> {
  let handedOver = false
  let after: AfterHandOver | undefined
  const stopWatching = exitOnCancel(
    (message) => log.info(message),
    () => handedOver
  )
  try {
    after = await getAndHandOver(() => {
      handedOver = true
    })
  } catch (error) {
    log.failed(error instanceof Error ? error.message : String(error))
  }
  try {
    if (after) await finish(after)
  } finally {
    stopWatching()
  }
}

/**
 * Everything up to the hand-over, which is the last thing that can fail: every line and the
 * summary are built before the outputs and the variable are written.
 */
async function getAndHandOver(handOver: () => void): Promise<AfterHandOver> {
  // Before masking: outside a runner, ::add-mask:: itself would print the secret in clear.
  const files = checkRunnerFiles(process.env, (name) => core.getInput(name), probeFile)
  if (files.error) throw new Error(files.error)
  for (const warning of files.warnings) log.warning(warning)

  // Masked before anything else that could print it; refused unread if the mask would print it.
  const secret = core.getInput('app-secret')
  // Its form encoding is masked before the request too (a line break in it is %0A or %0D).
  if ([secret, formEncode(secret)].some(breaksMaskCommand)) {
    throw new InputError(
      'app-secret',
      'Input app-secret holds "::", "%0A", "%0D" or a line break (which its form encoding writes ' +
        'as %0A or %0D), or starts with ":", which act-based runners cannot mask: they would ' +
        "print it, or mask another value. Logto's app secrets never do: check that app-secret " +
        'is the secret shown for the app in the Logto Console.'
    )
  }
  if (secret) core.setSecret(secret)

  const settings = parseSettings((name) => core.getInput(name))
  // The encoded forms that go on the wire, before any request can echo one back.
  for (const form of secretForms(settings)) if (form !== secret) core.setSecret(form)
  for (const warning of settings.warnings) log.warning(warning)

  const result = await requestToken(settings, {
    mask: (value) => core.setSecret(value),
    debug: (message) => log.debug(message),
    now: () => Date.now(),
    random: Math.random,
    sleep,
    onRetry: (attempt, attempts, reason, delayMs) =>
      log.info(
        line`Attempt ${attempt} of ${attempts} failed (${reason}); retrying in ` +
          line`${(delayMs / 1000).toFixed(1)} s.`
      )
  })
  for (const warning of result.warnings) log.warning(warning)
  if (result.missingScopes.length > 0) {
    log.warning(missingScopesMessage(result.missingScopes, settings, false))
  }
  // Never throws and takes at most one timeout; the values it reads are masked inside.
  const expiry = await checkSecretExpiry(settings, result, {
    mask: (value) => core.setSecret(value),
    debug: (message) => log.debug(message),
    now: () => Date.now()
  })

  const scope = result.scope ? line` with scope "${result.scope}"` : ' with no scope'
  const expiring = result.expiresAt ? line`, expiring ${result.expiresAt}` : ''
  const exported = settings.exportEnv ? line`; exported as ${settings.envName}` : ''
  const after: AfterHandOver = {
    info: [
      line`Got a ${result.tokenType} token for ${result.audience}` +
        `${scope}${expiring}${exported}.`,
      ...expiry.info
    ],
    warnings: expiry.warnings,
    summary:
      settings.summary && !files.skipSummary
        ? summaryMarkdown(settings, result, expiry.summary)
        : undefined
  }

  const outputs: [string, string][] = [
    ['access-token', result.accessToken],
    ['token-type', result.tokenType],
    ['expires-in', result.expiresIn === undefined ? '' : String(result.expiresIn)],
    ['expires-at', result.expiresAt ?? ''],
    ['scope', result.scope],
    ['audience', result.audience],
    ['secret-expires-at', expiry.expiresAt ?? '']
  ]
  const variables: [string, string][] = settings.exportEnv
    ? [[settings.envName, result.accessToken]]
    : []
  // All or nothing: a file that refuses a write leaves every output and variable unset.
  writeAllOrNothing(
    [
      ...outputs.map(([name, value]) => ({ file: 'GITHUB_OUTPUT' as const, name, value })),
      ...variables.map(([name, value]) => ({ file: 'GITHUB_ENV' as const, name, value }))
    ],
    {
      env: process.env,
      write: ({ file, name, value }) =>
        file === 'GITHUB_OUTPUT' ? core.setOutput(name, value) : core.exportVariable(name, value)
    }
  )
  handOver()
  return after
}

/**
 * Prints what was built and writes the summary. Nothing here can fail the step: the token is
 * handed over, so a line or a summary that cannot be written is at most a warning.
 */
async function finish(after: AfterHandOver): Promise<void> {
  const attempt = async (what: () => void | Promise<void>, failure: string): Promise<void> => {
    try {
      await what()
    } catch (error) {
      try {
        log.warning(`${failure}: ${(error as Error | undefined)?.message ?? String(error)}`)
      } catch {
        // Even the warning could not be written: there is nowhere left to say it.
      }
    }
  }
  for (const info of after.info) await attempt(() => log.info(info), 'Could not write a log line')
  for (const warning of after.warnings) {
    await attempt(() => log.warning(warning), 'Could not write a warning')
  }
  if (after.summary === undefined) return
  const markdown = after.summary
  if (!process.env.GITHUB_STEP_SUMMARY) {
    await attempt(
      () => log.debug('No GITHUB_STEP_SUMMARY file; skipping the job summary.'),
      'Could not write a log line'
    )
    return
  }
  await attempt(async () => {
    await core.summary.addRaw(markdown).write()
  }, 'Could not write the job summary')
}
