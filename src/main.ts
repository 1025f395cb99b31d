/** Reads the inputs, gets the token, sets outputs: the only place that fails the step. */
import * as core from '@actions/core'
import { missingScopesMessage } from './hints.js'
import { parseSettings } from './settings.js'
import { summaryMarkdown } from './summary.js'
import { requestToken } from './token.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The action's entry point; never rejects. */
export async function run(): Promise<void> {
  try {
    // Masked before anything else runs, so no later line can print it.
    const secret = core.getInput('app-secret')
    if (secret) core.setSecret(secret)

    const settings = parseSettings((name) => core.getInput(name, { trimWhitespace: false }))
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
    if (result.missingScopes.length > 0) {
      core.warning(missingScopesMessage(result.missingScopes, settings, false))
    }

    core.setOutput('access-token', result.accessToken)
    core.setOutput('token-type', result.tokenType)
    core.setOutput('expires-in', result.expiresIn === undefined ? '' : String(result.expiresIn))
    core.setOutput('expires-at', result.expiresAt ?? '')
    core.setOutput('scope', result.scope)
    core.setOutput('audience', result.audience)
    if (settings.exportEnv) core.exportVariable(settings.envName, result.accessToken)

    core.info(
      `Got a ${result.tokenType} token for ${result.audience}` +
        (result.scope ? ` with scope "${result.scope}"` : ' with no scope') +
        (result.expiresAt ? `, expiring ${result.expiresAt}` : '') +
        `${settings.exportEnv ? `; exported as ${settings.envName}` : ''}.`
    )
    if (settings.summary) await writeSummary(summaryMarkdown(settings, result))
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
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
