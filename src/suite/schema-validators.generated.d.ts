// Types of the generated validators (compile-schemas.ts writes the .js beside this file).
import type { ValidateFunction } from 'ajv'
export declare const suite: ValidateFunction
export declare const results: ValidateFunction
export declare const audit: ValidateFunction
