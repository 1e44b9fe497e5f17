import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { RmbenchError } from '../errors.ts'
import type { Memo } from '../util/memo.ts'
import { assertRegularFile } from '../util/regular-file.ts'
import { importConfig } from './import-config.ts'
import { configDefaults, type ResolvedConfig, type UserConfig } from './types.ts'

const NAMES = ['bench.config.ts', 'bench.config.mjs', 'bench.config.js']

/** Finds bench.config.* in `cwd` (or the explicit file) and resolves it with defaults; a memo keeps a TypeScript config's build. */
export async function loadConfig(cwd: string, explicit?: string, memo?: Memo): Promise<ResolvedConfig> {
  const file = explicit ? resolve(cwd, explicit) : NAMES.map((n) => resolve(cwd, n)).find(existsSync)
  if (explicit && !existsSync(file!)) throw new RmbenchError('E_CONFIG', `config file ${explicit} not found.`)
  let user: UserConfig = {}
  if (file) {
    assertRegularFile(file, 'E_CONFIG', 'config file')
    try {
      const mod = (await importConfig(file, memo)) as { default?: UserConfig }
      user = mod.default ?? {}
    } catch (e) {
      throw new RmbenchError('E_CONFIG', `${file}: cannot load config (${(e as Error).message.split('\n')[0]}).`, { file })
    }
    if (typeof user !== 'object' || user === null) throw new RmbenchError('E_CONFIG', `${file}: the default export must be defineConfig({...}).`, { file })
    const known = ['defaultModel', 'models', 'reportsDir', 'device']
    for (const k of Object.keys(user)) if (!known.includes(k)) throw new RmbenchError('E_CONFIG', `${file}: unknown config field '${k}'. Valid: ${known.join(', ')}.`, { file })
    for (const [name, entry] of Object.entries(user.models ?? {})) {
      if (typeof entry !== 'object' || entry === null || !('spec' in entry)) continue
      const keys = ['spec', 'options', 'endpoints', 'apiKeyEnv']
      for (const k of Object.keys(entry)) if (!keys.includes(k)) throw new RmbenchError('E_CONFIG', `${file}: models.${name}: unknown field '${k}'. Valid: ${keys.join(', ')}.`, { file })
      if (entry.endpoints !== undefined && (!Array.isArray(entry.endpoints) || entry.endpoints.some((u) => typeof u !== 'string'))) throw new RmbenchError('E_CONFIG', `${file}: models.${name}.endpoints must be a list of URLs.`, { file })
    }
  }
  return {
    defaultModel: user.defaultModel,
    models: { ...configDefaults.models, ...user.models },
    reportsDir: user.reportsDir ?? configDefaults.reportsDir,
    device: user.device ?? configDefaults.device,
    file: file ?? null,
    root: file ? dirname(file) : cwd,
  }
}
