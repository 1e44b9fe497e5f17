import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { createRng } from '../src/stats/rng.ts'
import { benchWords } from './make-bench-model.ts'

/**
 * A pairwise suite with a realistic length mix: prompts of 10–60 words, responses log-uniform from 20 to 1,000
 * tokens. `bootstrap` sets the suite's resamples; without it the suite keeps rmbench's default (10,000).
 */
export function writeBenchSuite(dir: string, vocab: number, pairs: number, bootstrap?: number): void {
  const rng = createRng(11)
  const words = benchWords(vocab)
  const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(rng.next() * words.length)]).join(' ')
  const len = () => Math.round(Math.exp(Math.log(20) + rng.next() * (Math.log(1000) - Math.log(20))))
  mkdirSync(dir, { recursive: true })
  const rows = Array.from({ length: pairs }, (_, i) => {
    const p = 10 + Math.floor(rng.next() * 50)
    return { id: `b${i}`, prompt: text(p), chosen: text(Math.max(1, len() - p)), rejected: text(Math.max(1, len() - p)) }
  })
  writeFileSync(join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  writeFileSync(join(dir, 'suite.yaml'), `name: bench\ntask: pairwise\ndata: { source: data.jsonl }\n${bootstrap === undefined ? '' : `stats: { bootstrap: ${bootstrap} }\n`}`)
}

/** A large pairwise suite for the memory check: `pairs` short pairs in 8 groups, written in chunks (never held). */
export function writeStreamSuite(dir: string, pairs: number): void {
  const rng = createRng(5)
  const words = benchWords(500)
  const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(rng.next() * words.length)]).join(' ')
  mkdirSync(dir, { recursive: true })
  const fd = openSync(join(dir, 'data.jsonl'), 'w')
  for (let i = 0; i < pairs; i += 10000) {
    const lines: string[] = []
    for (let j = i; j < Math.min(pairs, i + 10000); j++)
      lines.push(JSON.stringify({ id: `s${j}`, subset: `g${j % 8}`, prompt: text(8), chosen: text(5 + Math.floor(rng.next() * 30)), rejected: text(5 + Math.floor(rng.next() * 30)) }))
    writeSync(fd, lines.join('\n') + '\n')
  }
  closeSync(fd)
  writeFileSync(join(dir, 'suite.yaml'), 'name: stream\ntask: pairwise\ndata: { source: data.jsonl, fields: { group: subset } }\nstats: { bootstrap: 200 }\n')
}
