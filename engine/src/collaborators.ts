/**
 * The engine modules another engineer builds in parallel (intrinsic functions, AWS's JSONata functions,
 * definition validation), reached through this one file so the interpreter has a single seam to them.
 */
export { isIntrinsic, evaluateIntrinsic } from './intrinsics';
export { bindStepFunctionsFunctions } from './jsonata/functions';
export { validateDefinition, DefinitionError, type Diagnostic } from './validation';
