/**
 * Field groups that several state types share. A JSONata field's value may be a literal or a `{% expression %}`
 * string; a JSONPath payload template is any JSON value whose `<key>.$` entries hold paths or intrinsic calls.
 * Which fields a state may carry in which query language is checked when the definition is loaded
 * (validation/), so a state type lists the fields of both languages.
 */
import type { QueryLanguage } from './query-language';

/** A JSONata field: a literal of type T or a `{% expression %}` string. */
export type JsonataValue<T> = T | string;

/** Parameters, ResultSelector, ItemSelector, Assign (JSONPath): JSON whose `<key>.$` entries are evaluated. */
export type PayloadTemplate = unknown;

/** Assign: variable names to values (JSONPath: a payload template; JSONata: values with expressions). */
export type Assign = Record<string, unknown>;

export interface StateCommon<T extends string> {
  Type: T;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

/** Next or End (exactly one; checked at load). */
export interface TransitionFields {
  Next?: string;
  End?: boolean;
}

/** JSONPath: InputPath and OutputPath (null: an empty object). */
export interface InputOutputPaths {
  InputPath?: string | null;
  OutputPath?: string | null;
}

/** JSONPath: where a state's result goes, after ResultSelector shapes it. */
export interface ResultFields {
  ResultSelector?: PayloadTemplate;
  /** null: the result is discarded. */
  ResultPath?: string | null;
}

/** JSONata: the state's output (default: its input or result). */
export interface OutputField {
  Output?: unknown;
}

export interface AssignField {
  Assign?: Assign;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Assign;
  Comment?: string;
}

/** Task, Parallel and Map: Retry and Catch. */
export interface ErrorHandlingFields {
  Retry?: Retrier[];
  Catch?: Catcher[];
}
