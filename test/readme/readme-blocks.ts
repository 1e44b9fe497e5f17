// Reads README.md the way the README test runs it: its fenced code blocks, the shell commands in them, and the
// output blocks that show what a command prints.

/** A fenced code block: where it starts (1-based line), its language, its text, and why it is not run, if it says. */
export interface Block { line: number; lang: string; text: string; notRun?: string }

/** One shell command of a block: continuation lines joined, the trailing comment cut off; `exit N` in it is the expected status. */
export interface Command { line: number; cmd: string; exit: number }

/** An output block: a `$ command` line, then what README shows it printing (`…` stands for any lines). */
export interface Shown { line: number; command: string; lines: string[] }

const NOT_RUN = /^\s*<!--\s*not run:\s*(.+?)\s*-->\s*$/

/** Every fenced block, indented ones (inside lists) included; `<!-- not run: why -->` on the line before marks one skipped. */
export function readmeBlocks(md: string): Block[] {
  const lines = md.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i])
    if (!open) continue
    const indent = open[1]
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !new RegExp(`^${indent}\`\`\`\\s*$`).test(lines[j]); j++) body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j])
    let k = i - 1
    while (k >= 0 && lines[k].trim() === '') k--
    const marker = k >= 0 ? NOT_RUN.exec(lines[k]) : null
    blocks.push({ line: i + 1, lang: open[2], text: body.join('\n'), notRun: marker?.[1] })
    i = j
  }
  return blocks
}

/** Where a trailing `# comment` starts outside quotes, or -1. */
function commentStart(s: string): number {
  let quote: string | null = null
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (quote) {
      if (c === quote) quote = null
    } else if (c === "'" || c === '"') quote = c
    else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]))) return i
  }
  return -1
}

/** The commands of a shell block, in order. */
export function shellCommands(block: Block): Command[] {
  const out: Command[] = []
  const lines = block.text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let text = lines[i]
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + lines[++i].trim()
    const c = commentStart(text)
    const comment = c >= 0 ? text.slice(c) : ''
    const cmd = (c >= 0 ? text.slice(0, c) : text).trim()
    if (!cmd) continue
    const exit = /\bexit (\d+)\b/.exec(comment)
    out.push({ line: block.line + 1 + start, cmd, exit: exit ? Number(exit[1]) : 0 })
  }
  return out
}

/** The output blocks: plain fences whose first line is `$ <command>`. */
export function shownOutputs(blocks: Block[]): Shown[] {
  return blocks.filter((b) => b.lang === '' && b.text.startsWith('$ ')).map((b) => {
    const [first, ...lines] = b.text.split('\n')
    return { line: b.line, command: first.slice(2).trim(), lines }
  })
}

/** A line's shape: numbers as #, runs of spaces as one; what a table keeps when its values change. */
export const shape = (line: string): string => line.replace(/[+-]?\d[\d,]*(\.\d+)?(e[+-]?\d+)?/gi, '#').replace(/\s+/g, ' ').trim()

/** Lines of `actual` that do not have the shapes README shows, in order (`…` matches any run of lines). */
export function shapeMismatches(shown: string[], actual: string[]): string[] {
  const want = shown.filter((l) => l.trim() !== '')
  const got = actual.filter((l) => l.trim() !== '')
  const problems: string[] = []
  let g = 0
  for (let w = 0; w < want.length; w++) {
    if (/^\s*(…|\.\.\.)\s*$/.test(want[w])) {
      const next = want[w + 1]
      if (next === undefined) return problems
      while (g < got.length && shape(got[g]) !== shape(next)) g++
      continue
    }
    if (g >= got.length) {
      problems.push(`README shows '${want[w].trim()}', the output ended`)
      continue
    }
    if (shape(got[g]) !== shape(want[w])) problems.push(`README shows '${want[w].trim()}', the output has '${got[g].trim()}'`)
    g++
  }
  if (g < got.length) problems.push(`the output goes on after what README shows: '${got[g].trim()}'`)
  return problems
}
