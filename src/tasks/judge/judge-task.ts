import { RmbenchError } from '../../errors.ts'
import type { Task } from '../types.ts'
import { judgePairwiseTask } from './judge-pairwise-task.ts'
import { judgeRatingTask } from './judge-rating-task.ts'
import { judgeStyleMatrixTask } from './judge-style-matrix-task.ts'

/** How each benchmark kind is run with an LLM judge in place of a reward model. */
const JUDGED: Record<string, (base: Task) => Task> = {
  pairwise: judgePairwiseTask,
  'style-matrix': judgeStyleMatrixTask,
  'best-of-n': judgeRatingTask,
  // Self-preference is a judge task already.
  'self-preference': (base) => base,
}

const made = new WeakMap<Task, Task>()

/** The task as an LLM judge runs it (pairwise verdicts in both orders, or ratings); an error for kinds a judge cannot run. */
export function judgeTask(base: Task): Task {
  const make = JUDGED[base.name]
  if (!make) throw new RmbenchError('E_MODEL_SPEC', `an LLM judge gives verdicts, and task '${base.name}' needs ${base.name === 'ranking-accuracy' ? "a policy LM's log-probabilities of the responses" : 'rewards'}: run it with a reward model or an LM, not a judge.`)
  let t = made.get(base)
  if (!t) made.set(base, (t = make(base)))
  return t
}

/** The task a finished run computed its metrics with: the judge form when its results say an LLM judge ran. */
export function taskOfRun(base: Task, judge: { mode: string } | undefined): Task {
  return judge && judge.mode !== 'self-preference' ? judgeTask(base) : base
}
