import type { RunProgress } from '../report/types.ts'
import type { CliIO } from './output.ts'

/** "1m05s" / "42s": a duration short enough for a progress line. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

/** One progress line: a bar, counts, rate of newly scored requests, ETA, and errors. */
export function progressLine(p: RunProgress, width = 24): string {
  const frac = p.total ? p.done / p.total : 1
  const filled = Math.round(frac * width)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
  // Rate and ETA count only requests scored in this process: reused ones cost nothing.
  const fresh = Math.max(0, p.done - p.cached)
  const rate = p.elapsedMs > 0 && fresh > 0 ? (1000 * fresh) / p.elapsedMs : 0
  const eta = rate > 0 && p.done < p.total ? `, ETA ${shortDuration((1000 * (p.total - p.done)) / rate)}` : ''
  const cached = p.cached ? `, ${p.cached} reused` : ''
  return `scoring ${bar} ${p.done}/${p.total}${rate ? ` ${rate.toFixed(rate < 10 ? 1 : 0)}/s` : ''}${eta}${cached}${p.errors ? `, ${p.errors} errors` : ''}`
}

/** Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise. */
export function progressPrinter(io: CliIO, quiet: boolean): (p: RunProgress) => void {
  let last = 0
  return (p) => {
    if (quiet || p.phase !== 'score' || (p.done === 0 && !io.isTTY)) return
    const now = Date.now()
    const final = p.done === p.total
    if (!final && now - last < (io.isTTY ? 100 : 5000)) return
    last = now
    const line = progressLine(p)
    io.err(io.isTTY ? `\r${line}${final ? '\n' : ''}` : `${line}\n`)
  }
}
