import { lengthAccuracyChart } from './length-accuracy.ts'
import { marginDistributionChart } from './margin-distribution.ts'
import { matrixHeatmapChart } from './matrix-heatmap.ts'
import { rankingBetaChart } from './ranking-beta.ts'
import { rewardLengthChart } from './reward-length.ts'
import { subsetAccuracyChart } from './subset-accuracy.ts'
import type { Chart, ChartInput } from './chart-types.ts'

type Builder = (i: ChartInput) => Chart | null

const subsets = (i: ChartInput, chance?: number) => subsetAccuracyChart(i.metrics, { prefix: 'accuracy/', name: 'subset-accuracy', title: 'Accuracy by subset', axis: 'accuracy', chance, confidence: i.confidence })
const sections = (i: ChartInput) => subsetAccuracyChart(i.metrics, { prefix: 'section/', name: 'section-score', title: 'Score by section', axis: 'score', confidence: i.confidence })
const margins: Builder = (i) => marginDistributionChart(i.task, i.rows)
const rewardLength: Builder = (i) => rewardLengthChart(i.rows)
const lengthSplit: Builder = (i) => lengthAccuracyChart(i.metrics, i.rows)

/** The charts that fit each task, in page order (a task missing here gets the pairwise set). */
const CHARTS: Record<string, Builder[]> = {
  pairwise: [sections, (i) => subsets(i, 0.5), margins, rewardLength, lengthSplit],
  'best-of-n': [(i) => subsets(i), margins, rewardLength, lengthSplit],
  'style-matrix': [(i) => matrixHeatmapChart(i.metrics), (i) => subsetAccuracyChart(i.metrics, { prefix: 'domain/', name: 'domain-accuracy', title: 'Accuracy by domain (mean of the matrix)', axis: 'accuracy', chance: 0.5, confidence: i.confidence }), margins, rewardLength, lengthSplit],
  'self-preference': [
    (i) => subsetAccuracyChart(i.metrics, { prefix: 'win-rate/', name: 'self-win-rate', title: "Win rate of the judge's own responses: judge vs gold", axis: 'win rate', confidence: i.confidence }),
    (i) => subsetAccuracyChart(i.metrics, { prefix: 'agreement/', name: 'judge-agreement', title: 'Judge–gold agreement on its own and on other pairs', axis: 'agreement', confidence: i.confidence }),
  ],
  'ranking-accuracy': [
    (i) => subsetAccuracyChart(i.metrics, { prefix: 'ranking/R/', name: 'ranking-subsets', title: 'Ranking accuracy R by subset', axis: 'R', chance: 0.5, confidence: i.confidence }),
    (i) => rankingBetaChart(i.metrics),
  ],
}

/** How a judge decides: unreadable verdicts, position consistency, first-position picks, ties, with their intervals. */
const judgeBehaviour: Builder = (i) => subsetAccuracyChart(i.metrics, { prefix: 'judge/', name: 'judge-behaviour', title: 'How the judge decides (first-position 50%: no position bias)', axis: 'share', confidence: i.confidence })

/**
 * A judge's charts: the task's accuracy charts, then its behaviour. Margin and reward-vs-length charts are left out
 * for pairwise verdicts: a verdict has no reward scale (ratings keep them, a rating being one).
 */
const JUDGE_CHARTS: Record<string, Builder[]> = {
  pairwise: [sections, (i) => subsets(i, 0.5), judgeBehaviour],
  'style-matrix': [CHARTS['style-matrix'][0], CHARTS['style-matrix'][1], judgeBehaviour],
}

/** Every chart that has data for this run, built by pure functions from its metrics and rows. */
export function reportCharts(input: ChartInput): Chart[] {
  const builders = (input.judge === 'pairwise' ? JUDGE_CHARTS[input.task] : undefined) ?? CHARTS[input.task] ?? CHARTS.pairwise
  return builders.map((b) => b(input)).filter((c): c is Chart => c !== null)
}
