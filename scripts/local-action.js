/**
 * `npm run local-action`: runs @github/local-action on src/main.ts with the inputs of `.env`
 * (or the file given). local-action replaces @actions/core and prints outputs itself, but sets no
 * GITHUB_OUTPUT or GITHUB_ENV, and the action refuses to run without them (outside a runner it
 * would otherwise print the token); empty files in a temp folder stand in for the runner's.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const envFile = process.argv[2] ?? '.env'
const bin = fileURLToPath(
  new URL('../node_modules/@github/local-action/bin/local-action.js', import.meta.url)
)
const dir = mkdtempSync(join(tmpdir(), 'local-action-files-'))
const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_ENV: join(dir, 'env') }
for (const file of Object.values(files)) writeFileSync(file, '')
try {
  const result = spawnSync(process.execPath, [bin, '.', 'src/main.ts', envFile], {
    stdio: 'inherit',
    env: { ...process.env, ...files }
  })
  process.exitCode = result.status ?? 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
