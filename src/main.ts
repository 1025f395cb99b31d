/** Reads the inputs, gets the token, sets outputs: the only place that fails the step. */
import * as core from '@actions/core'
import { exitOnCancel } from './cancel.js'
import { missingScopesMessage } from './hints.js'
import { oneLine } from './log-text.js'
import { checkRunnerFiles, probeFile } from './runner-files.js'
import { writeAllOrNothing } from './runner-writes.js'
import { parseSettings } from './settings.js'
import { summaryMarkdown } from './summary.js'
import { requestToken } from './token.js'
import { secretForms } from './token-request.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The action's entry point; never rejects. */
export async function run(): Promise<void> {
  let handedOver = false
  const stopWatching = exitOnCancel(
    (message) => core.info(message),
    () => handedOver
  )
  try {
    // Before masking: outside a runner, ::add-mask:: itself would print the secret in clear.
    const files = checkRunnerFiles(process.env, (name) => core.getInput(name), probeFile)
    if (files.error) throw new Error(files.error)
    for (const warning of files.warnings) core.warning(warning)

    // Masked before anything else that could print it.
    const secret = core.getInput('app-secret')
    if (secret) core.setSecret(secret)

    const settings = parseSettings((name) => core.getInput(name))
    // The encoded forms that go on the wire, before any request can echo one back.
    for (const form of secretForms(settings)) if (form !== secret) core.setSecret(form)
    for (const warning of settings.warnings) core.warning(warning)

    const result = await requestToken(settings, {
      mask: (value) => core.setSecret(value),
      debug: (message) => core.debug(message),
      now: () => Date.now(),
      random: Math.random,
      sleep,
      onRetry: (attempt, attempts, reason, delayMs) =>
        core.info(
          `Attempt ${attempt} of ${attempts} failed (${reason}); retrying in ` +
            `${(delayMs / 1000).toFixed(1)} s.`
        )
    })
    for (const warning of result.warnings) core.warning(warning)
    if (result.missingScopes.length > 0) {
      core.warning(missingScopesMessage(result.missingScopes, settings, false))
    }

    const outputs: [string, string][] = [
      ['access-token', result.accessToken],
      ['token-type', result.tokenType],
      ['expires-in', result.expiresIn === undefined ? '' : String(result.expiresIn)],
      ['expires-at', result.expiresAt ?? ''],
      ['scope', result.scope],
      ['audience', result.audience]
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
    handedOver = true

    core.info(
      `Got a ${oneLine(result.tokenType)} token for ${oneLine(result.audience)}` +
        (result.scope ? ` with scope "${oneLine(result.scope)}"` : ' with no scope') +
        (result.expiresAt ? `, expiring ${result.expiresAt}` : '') +
        (settings.exportEnv ? `; exported as ${settings.envName}` : '') +
        '.'
    )
    if (settings.summary && !files.skipSummary)
      await writeSummary(summaryMarkdown(settings, result))
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  } finally {
    stopWatching()
  }
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('No GITHUB_STEP_SUMMARY file; skipping the job summary.')
    return
  }
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    // The token is already handed over; a summary that cannot be written must not fail the step.
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}
