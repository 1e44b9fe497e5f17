import type { TopLevelSpec } from 'vega-lite'
import { packageVersion } from '../util/package-version.ts'
import type { VlSpec } from './chart-types.ts'

type Vega = typeof import('vega')

/** A loader that refuses every URL: report charts carry their data inline, and rendering must never touch the network. */
function noNetwork(vega: Vega) {
  const loader = vega.loader()
  loader.load = async (uri: string) => { throw new Error(`charts carry their data inline; refusing to load ${uri}`) }
  loader.sanitize = async (uri: string) => { throw new Error(`charts carry their data inline; refusing to load ${uri}`) }
  return loader
}

/** Vega reports dataflow errors (a failed load, a bad expression) to its logger and draws on: collect them instead. */
function collectingLogger(vega: Vega, errors: string[]) {
  const logger = vega.logger(vega.Warn)
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')
  logger.error = (...args: unknown[]) => { errors.push(text(args)); return logger }
  // Vega only warns when data fails to load; a chart without its data is an error here. Other warnings (e.g. an
  // empty extent when every value is equal) are expected for small runs and not the user's concern.
  logger.warn = (...args: unknown[]) => { if (String(args[0]).startsWith('Loading failed')) errors.push(text(args)); return logger }
  return logger
}

/** The vega and vega-lite versions that draw (part of a remembered chart's key), read without loading either. */
export function rendererVersion(): string {
  return ['vega', 'vega-lite'].map((p) => `${p}@${packageVersion(p)}`).join(' ')
}

/** Renders a vega-lite spec to an SVG string with vega's headless renderer (no canvas, no DOM); any vega error throws. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  // Loaded on first use: half a second of imports that commands without charts should not pay.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')])
  const errors: string[] = []
  const vg = compile(spec as unknown as TopLevelSpec, { logger: collectingLogger(vega, errors) as never }).spec
  const view = new vega.View(vega.parse(vg), { renderer: 'none', loader: noNetwork(vega) as never, logger: collectingLogger(vega, errors) as never })
  try {
    const svg = await view.toSVG()
    if (errors.length) throw new Error(errors.join('; '))
    return svg
  } finally {
    view.finalize()
  }
}
