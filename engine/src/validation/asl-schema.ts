/**
 * asl-validator's JSON schemas for the Amazon States Language, compiled once with ajv. asl-validator's own
 * entry point builds a new Ajv and recompiles every schema on each call (~100 ms), too slow to validate
 * on every CreateStateMachine and in tests; its schemas and formats are what we want from it.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { registerAll } from 'asl-path-validator';
import jsonata from 'jsonata';
import { isIntrinsic } from '../intrinsics/parser';
import baseStateMachine from 'asl-validator/dist/src/schemas/base-state-machine.json';
import choice from 'asl-validator/dist/src/schemas/choice.json';
import common from 'asl-validator/dist/src/schemas/common.json';
import errors from 'asl-validator/dist/src/schemas/errors.json';
import fail from 'asl-validator/dist/src/schemas/fail.json';
import jsonataSchema from 'asl-validator/dist/src/schemas/jsonata.json';
import map from 'asl-validator/dist/src/schemas/map.json';
import parallel from 'asl-validator/dist/src/schemas/parallel.json';
import pass from 'asl-validator/dist/src/schemas/pass.json';
import paths from 'asl-validator/dist/src/schemas/paths.json';
import stateMachine from 'asl-validator/dist/src/schemas/state-machine.json';
import state from 'asl-validator/dist/src/schemas/state.json';
import succeed from 'asl-validator/dist/src/schemas/succeed.json';
import task from 'asl-validator/dist/src/schemas/task.json';
import wait from 'asl-validator/dist/src/schemas/wait.json';

function parsesAsJsonata(value: string): boolean {
  const trimmed = value.trim();
  try {
    jsonata(trimmed.replace(/^\{%/, '').replace(/%\}$/, ''));
    return true;
  } catch {
    return false;
  }
}

let compiled: ((definition: unknown) => ErrorObject[]) | undefined;

function compile(): (definition: unknown) => ErrorObject[] {
  const ajv = new Ajv({
    schemas: [
      common,
      paths,
      jsonataSchema,
      choice,
      fail,
      parallel,
      pass,
      baseStateMachine,
      stateMachine,
      state,
      succeed,
      task,
      wait,
      map,
      errors,
    ],
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addFormat('jsonata_string', parsesAsJsonata);
  ajv.addFormat('maybe_jsonata_string', (value: string) => !/^\s*\{%|%\}\s*$/.test(value) || parsesAsJsonata(value));
  registerAll(ajv);
  // asl-path-validator's grammar also fixes each intrinsic's argument count and literal types, which AWS only checks
  // at run time ("Invalid arguments in States.MathAdd" for States.MathAdd(1) or States.MathAdd('a', 1)); the syntax
  // of intrinsic calls is checked by fields.ts with the engine's own parser instead.
  const payloadTemplate = ajv.formats.asl_payload_template as (value: string) => boolean;
  ajv.addFormat('asl_payload_template', (value: string) => isIntrinsic(value) || payloadTemplate(value));
  // Resource ARNs are checked with AWS's wording in resources.ts.
  ajv.addFormat('asl_arn', () => true);
  const validate = ajv.getSchema('http://asl-validator.cloud/state-machine.json#')!;
  return (definition) => (validate(definition) ? [] : [...(validate.errors ?? [])]);
}

/**
 * The schema errors worth reporting, selected as asl-validator does: the deepest instance paths only, and
 * where a oneOf failed there, only the oneOf error (its alternatives' errors are noise).
 */
export function aslSchemaErrors(definition: unknown): ErrorObject[] {
  compiled ??= compile();
  const all = compiled(definition);
  const deepest = Math.max(0, ...all.map((e) => e.instancePath.split('/').length));
  const selected = all.filter((e) => e.instancePath.split('/').length === deepest);
  const oneOfPaths = new Set(selected.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  return selected.filter((e) => e.keyword === 'oneOf' || !oneOfPaths.has(e.instancePath));
}
