/**
 * Preload (`node --import`) that writes, at exit, the Node built-in modules the process loaded to
 * the file named by RECORD_BUILTINS_FILE. process.moduleLoadList sees every way a built-in gets
 * loaded (import, require, createRequire as ncc's bundle uses), which module hooks do not.
 */
import { writeFileSync } from 'node:fs'

const file = process.env.RECORD_BUILTINS_FILE
if (file) {
  process.on('exit', () => {
    const list = /** @type {{ moduleLoadList: string[] }} */ (/** @type {unknown} */ (process))
      .moduleLoadList
    const builtins = list
      .filter((entry) => entry.startsWith('NativeModule '))
      .map((entry) => entry.slice('NativeModule '.length))
    writeFileSync(file, JSON.stringify(builtins))
  })
}
