import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// This module sits one folder below the package root in both trees (src/util/, dist/util/).
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Names of the suites that ship with rmbench (folders of suites/ holding a suite.yaml). */
export function bundledSuites(): string[] {
  const dir = `${ROOT}suites`
  return existsSync(dir) ? readdirSync(dir).filter((n) => existsSync(`${dir}/${n}/suite.yaml`)).sort() : []
}

/** The suite.yaml of a bundled suite by name, or null. */
export function bundledSuite(name: string): string | null {
  return /^[a-z0-9][a-z0-9-]*$/.test(name) && bundledSuites().includes(name) ? `${ROOT}suites/${name}/suite.yaml` : null
}

/** The models that ship with rmbench, usable by name anywhere: the quickstart reward model and the two tiny LMs. */
export const BUNDLED_MODELS = ['quickstart-rm', 'tiny-lm-policy', 'tiny-lm-ref'] as const

/** The folder of a bundled model by name, or null. */
export function bundledModel(name: string): string | null {
  const dir = `${ROOT}fixtures/${name}`
  return (BUNDLED_MODELS as readonly string[]).includes(name) && existsSync(`${dir}/model.onnx`) ? dir : null
}
