import t from 'tap'
import { createRng } from '../stats/rng.ts'
import { normQuantile } from '../stats/normal.ts'
import { flipRate } from './flip-rate.ts'
import { classify, DEFAULT_THRESHOLDS, pairStrengths, voterScales, type Voter } from './strength.ts'

const voter = (name: string, m: Record<string, number>): Voter => ({ name, margins: new Map(Object.entries(m)) })

t.test('strength: margins over each model\'s SD, their mean, SD, t interval, votes and class, by hand', async (t) => {
  // Model a's margins 2, -2, 0 have SD 2; model b's 10, 10, -20 have SD 17.3205…
  const a = voter('a', { p: 2, q: -2, r: 0 })
  const b = voter('b', { p: 10, q: 10, r: -20 })
  const sb = Math.sqrt(300)
  t.same(voterScales([a, b]), [2, sb])
  const [p, q, r] = pairStrengths([{ id: 'p', group: 'g' }, { id: 'q', group: 'g' }, { id: 'r', group: 'h' }], [a, b])
  t.same(p.z, [1, 10 / sb])
  t.equal(p.strength, (1 + 10 / sb) / 2)
  t.equal(p.sd, Math.abs(1 - 10 / sb) / Math.SQRT2)
  // t(0.975, df 1) = 12.7062…: the interval of two votes is wide, as it should be.
  t.ok(Math.abs(p.ci[1] - p.strength - 12.706204736174694 * p.sd / Math.SQRT2) < 1e-9)
  t.same(p.votes, { chosen: 2, rejected: 0, tie: 0 })
  t.equal(p.class, 'consistent')
  t.equal(q.class, 'ambiguous', 'split votes')
  t.same(r.votes, { chosen: 0, rejected: 1, tie: 1 })
  t.equal(r.shareChosen, 0.25)
  t.equal(r.class, 'suspect', '¾ prefer the rejected (a tie counts half) and the strength is −0.58 SD')
  t.equal(pairStrengths([{ id: 'x', group: 'g' }], [a, b])[0].class, 'unrated', 'no votes')
})

t.test('classify follows the declared thresholds', async (t) => {
  const th = { ...DEFAULT_THRESHOLDS, strength: 1, majority: 0.75 }
  t.equal(classify(1.2, 1, 3, th), 'consistent')
  t.equal(classify(0.9, 1, 3, th), 'ambiguous', 'too weak')
  t.equal(classify(1.2, 2 / 3, 3, th), 'ambiguous', 'majority under ¾')
  t.equal(classify(-1.5, 0, 4, th), 'suspect')
  t.equal(classify(-1.5, 0, 1, th), 'unrated')
})

t.test('a model with one margin for every pair is refused, naming it', async (t) => {
  t.throws(() => voterScales([voter('flat', { p: 1, q: 1 })]), { code: 'E_AUDIT', message: /flat: every pair has the same margin/ })
})

t.test('ε recovered from synthetic votes with flips planted at known rates (within ±0.03 at n = 2,000)', async (t) => {
  const rng = createRng(11)
  const normal = () => normQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rng.next())))
  for (const eps of [0.02, 0.05, 0.1, 0.2]) {
    const n = 2000
    const ids = Array.from({ length: n }, (_, i) => `p${i}`)
    const truth = ids.map(() => 1.5 + 0.5 * normal())
    const flipped = ids.map(() => rng.next() < eps)
    // Three models on their own scales, each seeing the true strength through its own noise; a flipped label
    // swaps chosen and rejected, so every model's margin changes sign.
    const voters = [3, 0.2, 40].map((scale, k) => voter(`m${k}`, Object.fromEntries(ids.map((id, i) => [id, (flipped[i] ? -1 : 1) * scale * (truth[i] + 0.6 * normal())]))))
    const ps = pairStrengths(ids.map((id) => ({ id, group: 'g' })), voters)
    const planted = flipped.filter(Boolean).length / n
    const f = flipRate(ps.map((p) => p.strength), { resamples: 50, seed: 1 })
    t.ok(Math.abs(f.epsilon - planted) <= 0.03, `planted ${planted.toFixed(3)}: estimated ${f.epsilon.toFixed(3)} [${f.ci.map((x) => x.toFixed(3))}]`)
    t.ok(f.ci[0] <= planted + 0.03 && f.ci[1] >= planted - 0.03, 'its interval covers the planted rate')
    const suspect = ps.filter((p) => p.class === 'suspect')
    const hits = suspect.filter((p) => flipped[Number(p.id.slice(1))]).length
    t.ok(hits / suspect.length > 0.9, `suspects are the flipped pairs: precision ${(hits / suspect.length).toFixed(3)}`)
  }
})
