/**
 * The dist tests again with Windows' `os.EOL` (`\r\n`) in the action's process, on any OS: the
 * runner emulation must read those lines as the runner on Windows does. (messages.test.ts is left
 * out: its snapshots belong to its own file.)
 */
process.env.SIMULATE_WINDOWS_EOL = '1'
await import('./dist.test.js')
await import('./dist.hostile.test.js')
await import('./dist.runner.test.js')
