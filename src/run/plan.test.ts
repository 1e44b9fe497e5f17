import t from 'tap'
import type { TaskRequest } from '../tasks/types.ts'
import { requestKey } from './plan.ts'

const task = (request: Partial<TaskRequest['request']>, lm?: string): TaskRequest =>
  ({ exampleId: 'x', role: 'chosen', request: { prompt: [{ role: 'user', content: 'Hi' }], response: 'Hello', ...request }, ...(lm ? { lm } : {}) }) as TaskRequest

t.test('requestKey: what the model sees and how it is read, nothing else', async (t) => {
  const base = requestKey(task({}))
  t.match(base, /^[0-9a-f]{16}$/)
  t.equal(requestKey({ ...task({}), exampleId: 'other', role: 'rejected' }), base, 'example id and role are not part of it: duplicates are scored once')
  t.equal(requestKey(task({ turnRole: 'assistant' })), base, 'the default turn role is the assistant')
  t.not(requestKey(task({ turnRole: 'user' })), base, 'a user turn renders differently')
  t.not(requestKey(task({ response: 'Hello ' })), base)
  t.not(requestKey(task({ prompt: [{ role: 'system', content: 'Hi' }] })), base, 'the role of a message')
  t.not(requestKey(task({ prompt: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '' }] })), base, 'an empty message')
  t.not(requestKey(task({ prompt: [], response: 'user' })), requestKey(task({ prompt: [{ role: 'user', content: '' }], response: '' })), 'message boundaries')
  t.not(requestKey(task({}, 'judge')), base, 'a named LM')
  t.not(requestKey(task({ choices: ['A', 'B'] })), requestKey(task({ choices: ['B', 'A'] })), "a judge's labels")
})
