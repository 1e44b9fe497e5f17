// Prints the reliability figures the test groups recorded (npm's posttest step).
import { readFigures } from './figures.ts'

const groups = readFigures()
if (groups.length) {
  const rows = groups.flatMap((g) => Object.entries(g.figures).map(([k, v]) => [g.group, k, v.toLocaleString('en-US')]))
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), ['group', 'figure', 'count'][i].length))
  const line = (r: (string | number)[]) => `${String(r[0]).padEnd(w[0])}  ${String(r[1]).padEnd(w[1])}  ${String(r[2]).padStart(w[2])}`
  console.log('\nReliability figures (test/reliability)')
  console.log(line(['group', 'figure', 'count']))
  console.log(line(w.map((n) => '-'.repeat(n))))
  for (const r of rows) console.log(line(r))
}
