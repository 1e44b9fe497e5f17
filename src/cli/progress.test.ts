import t from 'tap'
import { progressLine, shortDuration } from './progress.ts'

t.test('durations', async (t) => {
  t.equal(shortDuration(42_400), '42s')
  t.equal(shortDuration(65_000), '1m05s')
  t.equal(shortDuration(3_725_000), '1h02m')
})

t.test('progress line: bar, counts, rate and ETA of fresh work only, reused, errors', async (t) => {
  // 100 of 400 done, 20 of them reused: 80 scored in 4 s = 20/s; 300 left → 15 s.
  t.equal(progressLine({ phase: 'score', done: 100, total: 400, cached: 20, errors: 3, elapsedMs: 4000 }, 8), 'scoring [##......] 100/400 20/s, ETA 15s, 20 reused, 3 errors')
  t.equal(progressLine({ phase: 'score', done: 400, total: 400, cached: 0, errors: 0, elapsedMs: 8000 }, 4), 'scoring [####] 400/400 50/s')
  t.equal(progressLine({ phase: 'score', done: 10, total: 10, cached: 10, errors: 0, elapsedMs: 5 }, 2), 'scoring [##] 10/10, 10 reused', 'all reused: no rate')
})
