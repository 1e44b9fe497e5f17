import { Registry } from '../util/registry.ts'
import { bestOfNTask } from './best-of-n/best-of-n-task.ts'
import { pairwiseTask } from './pairwise/pairwise-task.ts'
import { rankingAccuracyTask } from './ranking-accuracy/ranking-accuracy-task.ts'
import { selfPreferenceTask } from './self-preference/self-preference-task.ts'
import { styleMatrixTask } from './style-matrix/style-matrix-task.ts'
import type { Task } from './types.ts'

/** Benchmark kinds by name (the suite's `task:`). */
export const tasks = new Registry<Task>('task')
for (const t of [pairwiseTask, bestOfNTask, styleMatrixTask, rankingAccuracyTask, selfPreferenceTask]) tasks.register(t.name, t)
