import type { ErrorObject, ValidateFunction } from 'ajv'
import type { SchemaName } from './schema-files.ts'
import * as generated from './schema-validators.generated.js'

export { schemaPath } from './schema-files.ts'

/**
 * The validator for a published schema: precompiled by compile-schemas.ts (ajv 2020, allErrors, strict, verbose),
 * so no run compiles a schema.
 */
export function validatorFor(name: SchemaName): ValidateFunction {
  return generated[name] as ValidateFunction
}

/** Validates `value`; returns ajv's errors (empty when valid). */
export function schemaErrors(name: SchemaName, value: unknown): ErrorObject[] {
  const v = validatorFor(name)
  return v(value) ? [] : [...(v.errors ?? [])]
}
