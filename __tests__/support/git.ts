/** git in a repository a test made, with a fixed identity, failing loudly. */
import { spawnSync } from 'node:child_process'

/** Runs git in `cwd` with a test identity and returns its standard output; throws on failure. */
export function runGit(cwd: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args],
    { cwd, encoding: 'utf8' }
  )
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}
