/**
 * Choice rules. JSONPath: a boolean expression over `Variable` (one comparison operator or its `*Path` form, a type
 * test, or And/Or/Not of nested expressions). JSONata: a `Condition`. A top-level rule adds Next (and Assign/Output).
 */
import type { Assign } from './common';

type Ordered = 'String' | 'Numeric' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

/** StringEquals, NumericLessThan, ..., BooleanEquals. */
export type ComparisonOperator = `${Ordered}${Relation}` | 'BooleanEquals';

type Comparisons = { [K in ComparisonOperator]?: unknown } & { [K in `${ComparisonOperator}Path`]?: string };

interface TypeTests {
  IsPresent?: boolean;
  IsNull?: boolean;
  IsNumeric?: boolean;
  IsString?: boolean;
  IsBoolean?: boolean;
  IsTimestamp?: boolean;
  /** `*` matches any run of characters, `\*` a literal star. */
  StringMatches?: string;
}

/** A JSONPath boolean expression (a nested rule has no Next). */
export interface ChoiceExpression extends Comparisons, TypeTests {
  Variable?: string;
  And?: ChoiceExpression[];
  Or?: ChoiceExpression[];
  Not?: ChoiceExpression;
}

/** A rule of a Choice state's Choices. */
export interface ChoiceRule extends ChoiceExpression {
  Next: string;
  /** JSONata: a boolean or a `{% expression %}`. */
  Condition?: boolean | string;
  Assign?: Assign;
  Output?: unknown;
  Comment?: string;
}
