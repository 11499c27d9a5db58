/**
 * One thing wrong with the project, as `npm run validate` reports it: a stable code that names the kind of problem
 * (tests and people grep for it), where it is, and a sentence saying what is wrong.
 */
export interface Problem {
  code: ProblemCode;
  /** `Resources.<LogicalId>...`, a file path, or a definition path such as `statemachine/x.asl.json#/States/A`. */
  location: string;
  message: string;
  /** Warnings are printed but do not fail validation (only the engine reports any). */
  severity?: 'warning';
}

export type ProblemCode =
  | 'TemplateUnreadable'
  | 'TemplateStructure'
  | 'SchemaViolation'
  | 'DefinitionUnreadable'
  | 'AslInvalid'
  | 'AslSchemaViolation'
  | 'EngineRejected'
  | 'EngineWarning'
  | 'SubstitutionMissing'
  | 'SubstitutionUnused'
  | 'HandlerMissing'
  | 'HandlerNotExported'
  | 'HandlerMismatch'
  | 'BuildPropertiesInvalid'
  | 'RefTargetMissing'
  | 'GetAttTargetMissing'
  | 'ConditionMissing'
  | 'PolicyTemplateUnknown'
  | 'PolicyTemplateParameters'
  // What AWS refuses at deploy time (local/template/aws-rules/): the local cloud refuses the same at start.
  | 'MethodResponseMissing'
  | 'MethodResponseHeaderMissing'
  | 'NameTooLong'
  | 'NameInvalid'
  | 'NameUnbounded'
  | 'GlobalNameWithoutRegion'
  | 'SyncIntegrationTimeout'
  | 'ApiGatewayTrustCondition'
  | 'RoomsHashStale';

export function problem(code: ProblemCode, location: string, message: string): Problem {
  return { code, location, message };
}

/** The one-line form printed by `npm run validate`. */
export function formatProblem(p: Problem): string {
  return `${p.severity === 'warning' ? 'warning: ' : ''}${p.code} ${p.location}: ${p.message}`;
}
