/**
 * `npm run build`: bundles src/ into an emptied dist/ with ncc, so that dist/ holds only what
 * this build writes (index.js, its package.json and licenses.txt) and a file left behind by an
 * earlier build, or added by hand, shows up as a change (`git status --porcelain -- dist/`)
 * instead of shipping unnoticed. Plain Node, so it runs alike on Linux, macOS and Windows.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = fileURLToPath(new URL('../dist', import.meta.url))

rmSync(dist, { recursive: true, force: true })
const cli = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js')
const args = ['build', 'src/index.ts', '-o', 'dist', '--minify', '--license', 'licenses.txt']
const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
if (result.error) throw result.error
process.exitCode = result.status ?? 1
