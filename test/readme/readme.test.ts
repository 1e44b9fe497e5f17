import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, tmp } from '../e2e/helpers.ts'
import { readmeBlocks, shapeMismatches, shellCommands, shownOutputs } from './readme-blocks.ts'

// Every shell command of README.md, run in order, as written, in a copy of the checkout: exit codes as README says
// (0 unless a comment says `exit N`), and every output README shows (a block starting `$ command`) still has the
// output's shape: the same rows and columns, numbers aside. A block is skipped only when README says why, with
// `<!-- not run: why -->` above it (the network, a GPU server, Python). Two commands are never run here:
const NEVER = new Map([
  ['npm install', 'the copy shares the installed node_modules of the checkout under test'],
  ['npm test', 'this test is part of npm test'],
])

/** A copy of the checkout with its built dist/ (modification times kept, so bin/rmbench.js runs the build). */
function copyCheckout(): string {
  const d = tmp()
  execFileSync('bash', ['-c', `tar cf - --exclude=./node_modules --exclude=./.git --exclude=./reports --exclude=./.tap --exclude=./bench/.work . | tar xf - -C ${JSON.stringify(d)}`], { cwd: ROOT })
  // Hard links: fast and complete (npx cannot run a project's own bin through a symlinked node_modules); a full
  // copy where the temp folder is on another file system.
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(d, 'node_modules')])
  if (linked.status !== 0) execFileSync('cp', ['-a', join(ROOT, 'node_modules'), join(d, 'node_modules')])
  return d
}

t.test("README's commands run as written, and its outputs have the output's shape", { timeout: 280_000 }, async (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const blocks = readmeBlocks(readme)
  const d = copyCheckout()
  const env: NodeJS.ProcessEnv = { ...process.env, RMBENCH_CACHE_DIR: join(d, '.rmbench-cache'), HF_HOME: join(d, '.hf'), HF_HUB_OFFLINE: '1', npm_config_update_notifier: 'false' }
  for (const k of ['RMBENCH_NO_CACHE', 'GITHUB_STEP_SUMMARY', 'HF_TOKEN', 'HF_ENDPOINT']) delete env[k]
  const printed = new Map<string, string>()
  const run = (cmd: string) => {
    const r = spawnSync('bash', ['-c', cmd], { cwd: d, env, encoding: 'utf8', timeout: 120_000 })
    printed.set(cmd, r.stdout)
    return r
  }
  let ran = 0
  const skipped: string[] = []
  for (const b of blocks) {
    if (b.lang === 'sh' || b.lang === 'bash') {
      if (b.notRun) {
        skipped.push(`line ${b.line}: ${b.notRun}`)
        continue
      }
      for (const c of shellCommands(b)) {
        if (NEVER.has(c.cmd)) {
          skipped.push(`line ${c.line}: ${c.cmd} (${NEVER.get(c.cmd)})`)
          continue
        }
        const r = run(c.cmd)
        ran++
        t.equal(r.status, c.exit, `README.md:${c.line} exits ${c.exit}: ${c.cmd}${r.status === c.exit ? '' : `\n${r.stderr.slice(-2000)}`}`)
      }
    }
    for (const shown of shownOutputs([b])) {
      const stdout = printed.get(shown.command) ?? run(shown.command).stdout
      t.same(shapeMismatches(shown.lines, stdout.split('\n')), [], `README.md:${shown.line}: the output shown for '${shown.command}' has the shape it prints`)
    }
  }
  t.ok(ran >= 15, `${ran} commands run`)
  t.comment(`not run:\n  ${skipped.join('\n  ')}`)
  t.ok(blocks.filter((b) => b.lang === 'sh' && b.notRun).every((b) => b.notRun!.length > 8), 'every skipped block says why')

  // What README claims of the files those commands made.
  const results = (dir: string) => JSON.parse(readFileSync(join(d, dir, 'results.json'), 'utf8'))
  t.same(results('reports/merged').metrics, results('reports/tour-rm').metrics, 'shards merged: the metrics of the unsharded run')
  t.equal(readFileSync(join(d, 'reports/merged/scores.jsonl'), 'utf8'), readFileSync(join(d, 'reports/tour-rm/scores.jsonl'), 'utf8'), 'and its scores.jsonl, byte for byte')
  t.ok(existsSync(join(d, 'reports/site/index.html')), 'the tour wrote a leaderboard')
  t.ok(existsSync(join(d, 'reports/tour-rm/charts/subset-accuracy.png')), 'report --png wrote PNG charts')
})
