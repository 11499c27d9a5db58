/**
 * The Amazon States Language's states, one interface per `Type`, their union, and the blocks of states that
 * Parallel and Map states nest (a machine's own States are one too). Each lists the fields the
 * engine reads, for both query languages: the JSONPath ones (InputPath, Parameters, *Path, ...) and the JSONata
 * ones (Arguments, Output, expressions in place of numbers); a definition mixes them only as validation allows.
 */
import type { ChoiceRule } from './choice-rule';
import type {
  AssignField,
  ErrorHandlingFields,
  InputOutputPaths,
  JsonataValue,
  OutputField,
  PayloadTemplate,
  ResultFields,
  StateCommon,
  TransitionFields,
} from './common';
import type { QueryLanguage } from './query-language';

export interface PassState extends StateCommon<'Pass'>, TransitionFields, InputOutputPaths, OutputField, AssignField {
  /** JSONPath: the state's result, in place of its (effective) input. */
  Result?: unknown;
  Parameters?: PayloadTemplate;
  ResultPath?: string | null;
}

export interface TaskState
  extends StateCommon<'Task'>,
    TransitionFields,
    InputOutputPaths,
    ResultFields,
    OutputField,
    AssignField,
    ErrorHandlingFields {
  Resource: string;
  Parameters?: PayloadTemplate;
  /** JSONata: the integration's parameters. */
  Arguments?: unknown;
  TimeoutSeconds?: JsonataValue<number>;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: JsonataValue<number>;
  HeartbeatSecondsPath?: string;
  Credentials?: unknown;
}

export interface ChoiceState extends StateCommon<'Choice'>, InputOutputPaths, OutputField, AssignField {
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends StateCommon<'Wait'>, TransitionFields, InputOutputPaths, OutputField, AssignField {
  Seconds?: JsonataValue<number>;
  SecondsPath?: string;
  /** RFC 3339; JSONata: may be an expression. */
  Timestamp?: string;
  TimestampPath?: string;
}

export interface SucceedState extends StateCommon<'Succeed'>, InputOutputPaths, OutputField {}

export interface FailState extends StateCommon<'Fail'> {
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export interface ParallelState
  extends StateCommon<'Parallel'>,
    TransitionFields,
    InputOutputPaths,
    ResultFields,
    OutputField,
    AssignField,
    ErrorHandlingFields {
  Branches: StateBlock[];
  Parameters?: PayloadTemplate;
  Arguments?: unknown;
}

/** ItemBatcher (distributed Map): groups items into `{Items, BatchInput}`. */
export interface ItemBatcher {
  MaxItemsPerBatch?: JsonataValue<number>;
  MaxItemsPerBatchPath?: string;
  BatchInput?: unknown;
}

export interface MapState
  extends StateCommon<'Map'>,
    TransitionFields,
    InputOutputPaths,
    ResultFields,
    OutputField,
    AssignField,
    ErrorHandlingFields {
  ItemProcessor?: ItemProcessor;
  /** The legacy name of ItemProcessor. */
  Iterator?: ItemProcessor;
  ItemsPath?: string;
  /** JSONata: the items (an array or an expression). */
  Items?: JsonataValue<unknown[]>;
  ItemSelector?: PayloadTemplate;
  /** The legacy name of ItemSelector. */
  Parameters?: PayloadTemplate;
  ItemBatcher?: ItemBatcher;
  ItemReader?: unknown;
  ResultWriter?: unknown;
  MaxConcurrency?: JsonataValue<number>;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: JsonataValue<number>;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: JsonataValue<number>;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
}

export type StateDefinition =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;

export type StateType = StateDefinition['Type'];

/** The state interface of one `Type`: `StateOfType<'Map'>` is MapState. */
export type StateOfType<T extends StateType> = Extract<StateDefinition, { Type: T }>;

/** States run one after another from StartAt: the machine itself, a Parallel branch, a Map's processor. */
export interface StateBlock {
  StartAt: string;
  States: Record<string, StateDefinition>;
  QueryLanguage?: QueryLanguage;
  Comment?: string;
}

export interface ItemProcessor extends StateBlock {
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}
