/**
 * Preload (`node --import`) that gives the process Windows' `os.EOL` (`\r\n`), so that on any OS
 * the tests see the line endings @actions/core writes on a Windows runner.
 */
import { syncBuiltinESMExports } from 'node:module'
import os from 'node:os'

// The property is configurable but not writable; redefining it reaches `require('os').EOL`, and
// the sync reaches `import { EOL } from 'node:os'` too.
Object.defineProperty(os, 'EOL', { value: '\r\n', enumerable: true, configurable: true })
syncBuiltinESMExports()
