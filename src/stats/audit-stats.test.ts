import { readFileSync } from 'node:fs'
import t from 'tap'
import { fleissKappa } from './fleiss-kappa.ts'
import { studentTQuantile } from './student-t.ts'
import { wilsonInterval } from './wilson.ts'

// Expected values from scipy and statsmodels themselves: fixtures/audit-reference/make-reference.py wrote them.
const ref = JSON.parse(readFileSync(new URL('../../fixtures/audit-reference/reference.json', import.meta.url), 'utf8'))

t.test('Student t quantiles equal scipy.stats.t.ppf', async (t) => {
  for (const { p, df, q } of ref.t_quantiles) t.ok(Math.abs(studentTQuantile(p, df) - q) < 1e-9 * Math.max(1, Math.abs(q)), `t(${p}, df ${df}) = ${q}`)
  t.ok(Number.isNaN(studentTQuantile(0.975, 0)), 'no degrees of freedom: NaN')
})

t.test('Wilson intervals equal statsmodels proportion_confint(method="wilson")', async (t) => {
  for (const { k, n, lo, hi } of ref.wilson) {
    const [a, b] = wilsonInterval(k, n)
    t.ok(Math.abs(a - lo) < 1e-8 && Math.abs(b - hi) < 1e-8, `${k}/${n}: [${lo}, ${hi}] (got [${a}, ${b}])`)
  }
})

t.test("Fleiss' kappa equals statsmodels fleiss_kappa (incl. Fleiss 1971's 0.210)", async (t) => {
  for (const { name, counts, kappa } of ref.fleiss) t.ok(Math.abs(fleissKappa(counts) - kappa) < 1e-12, `${name}: ${kappa} (got ${fleissKappa(counts)})`)
  t.ok(Number.isNaN(fleissKappa([[3, 0], [3, 0]])), 'every vote in one category: undefined, not 1')
})
