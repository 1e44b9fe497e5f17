import { defineConfig } from 'rmbench/config'

// Models named here can be used as `--model <name>`; `defaultModel` runs when --model is omitted.
export default defineConfig({
  defaultModel: 'quickstart-rm',
  models: {
    'quickstart-rm': 'onnx:./fixtures/quickstart-rm',
    length: 'baseline:length',
  },
  reportsDir: 'reports',
})
