// Preloaded into a CLI run by the bench (node --require): writes the process's peak RSS (KB) to $BENCH_RSS_FILE
// when it exits, so the 1,000-pair run's memory is the real CLI's, native onnxruntime memory included.
const { writeFileSync } = require('node:fs')
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS))
})
