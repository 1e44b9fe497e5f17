import { RmbenchError } from '../../errors.ts'
import { Hub } from '../../hub/hub-client.ts'
import { fetchModelFolder } from '../../hub/hub-model.ts'
import { parseHubModel } from '../../hub/hub-uri.ts'
import { hubSettings } from '../../hub/settings.ts'
import { onnxRunner } from '../onnx/onnx-runner.ts'
import type { Runner, RunnerFactory } from '../types.ts'

/** `hf:<org>/<name>[@<revision>][/<subfolder>]`: an ONNX export on the hub, fetched into the shared cache and run by the ONNX runner. */
export const hubRunner: RunnerFactory = {
  name: 'hf',
  usage: 'hf:<org>/<name>[@rev][/sub]  an ONNX export on the Hugging Face Hub, run like onnx:',
  options: onnxRunner.options,
  async create(target, options, ctx) {
    if (!target) throw new RmbenchError('E_MODEL_SPEC', `hf: needs a repository, e.g. hf:onnx-community/reward-model@<revision>.`)
    const loc = parseHubModel(target)
    const hub = ctx.hub?.() ?? new Hub(hubSettings())
    const folder = await fetchModelFolder(hub, loc, { file: options.file === undefined ? undefined : String(options.file) })
    const inner = await onnxRunner.create(folder.dir, { ...options, file: folder.graph }, ctx)
    // Same scoring; named after the repository (not the snapshot sha) and carrying where it came from.
    const runner: Runner = Object.create(inner)
    Object.defineProperties(runner, {
      id: { value: loc.repo.name.split('/')[1] },
      source: { value: folder.source },
      info: { value: { ...inner.info, hubRepo: loc.repo.name, hubRevision: loc.revision, hubCommit: folder.source.commit } },
    })
    return runner
  },
}
