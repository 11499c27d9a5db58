import { Compile, Helper, parse } from 'velocityjs';
import { javaToString } from './java-format';
import { javaMethodHandlers } from './java-methods';

/**
 * Renders a mapping template the way API Gateway's Apache Velocity (1.7) does, on top of velocityjs.
 * Where velocityjs departs from Apache Velocity in ways real templates notice, this subclass corrects it:
 * - a reference whose value is null prints its own source text (`$foo`), or nothing when quiet (`$!foo`),
 *   exactly like an undefined one (velocityjs prints the word "null");
 * - `#set($x = <something null>)` leaves `$x` unchanged (Velocity 1.x's directive.set.null.allowed=false),
 *   the quirk behind "my variable keeps the previous loop iteration's value";
 * - `/` of two integers is Java's integer division (and a division by zero gives null);
 * - a Map or List prints as Java's toString does (`{a=1, b=[x, y]}`), whatever its keys: velocityjs calls the
 *   value's own `toString`, which a client's JSON key of that name replaces and a name map (../name-map.ts)
 *   does not have;
 * - a non-integer number prints as a Java Double does (`1.5`, but `1.7000000005E9`), since JSON decimals are
 *   Doubles to API Gateway: a template printing StartExecution's `startDate` shows that;
 * - Java methods on strings, maps and lists (see java-methods.ts).
 */

type Ast = Parameters<Compile['renderAstList']>[0] extends (infer A)[] | undefined ? A : never;

export class MappingTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingTemplateError';
  }
}

/** An AST node carrying an already evaluated value, so a #set right-hand side is evaluated only once. */
interface EvaluatedAst {
  type: 'apigw-evaluated';
  value: unknown;
}

/** Java's Double.toString: plain between 10^-3 and 10^7, else computerized scientific notation. */
export function javaDouble(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

class ApiGatewayVelocity extends Compile {
  protected override getReferences(ast: Ast, isVal?: boolean): string {
    const value = super.getReferences(ast, isVal) as unknown;
    if (isVal && value === null) {
      const reference = ast as { leader?: string };
      return reference.leader === '$!' ? '' : Helper.getRefText(ast as never);
    }
    if (isVal && typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value))
      return javaDouble(value);
    // Left to velocityjs: an object with a toString function of its own, which its `setX()` handler gives the
    // map it returns so that it prints nothing.
    if (
      isVal &&
      typeof value === 'object' &&
      value !== null &&
      !(Object.hasOwn(value, 'toString') && typeof (value as { toString: unknown }).toString === 'function')
    ) {
      return javaToString(value);
    }
    return value as string;
  }

  protected override getExpression(ast: Ast): string {
    const math = ast as unknown as { type: string; operator?: string; expression?: Ast[] };
    if (math.type !== 'math' || math.operator !== '/') return super.getExpression(ast);
    const operands = math.expression!;
    const [left, right] = operands.map((operand) => this.getExpression(operand) as unknown);
    // A decimal literal (7.0) is a Double even when its value is whole.
    const decimal = operands.some((operand) => (operand as { type: string }).type === 'decimal');
    if (
      !decimal &&
      typeof left === 'number' &&
      typeof right === 'number' &&
      Number.isInteger(left) &&
      Number.isInteger(right)
    ) {
      return (right === 0 ? null : Math.trunc(left / right)) as unknown as string;
    }
    return ((left as number) / (right as number)) as unknown as string;
  }

  protected override getLiteral(ast: Ast): string {
    if ((ast as unknown as EvaluatedAst).type === 'apigw-evaluated')
      return (ast as unknown as EvaluatedAst).value as string;
    return super.getLiteral(ast);
  }

  protected override setValue(ast: Parameters<Compile['setValue']>[0]): void {
    const [target, source] = ast.equal;
    if (source.type === 'math') {
      super.setValue(ast);
      return;
    }
    const value = this.getLiteral(source) as unknown;
    if (value === null || value === undefined) return;
    const evaluated: EvaluatedAst = { type: 'apigw-evaluated', value };
    super.setValue({ ...ast, equal: [target, evaluated as never] });
  }
}

const parsed = new Map<string, ReturnType<typeof parse>>();

function compile(template: string): ApiGatewayVelocity {
  let asts = parsed.get(template);
  if (!asts) {
    try {
      asts = parse(template);
    } catch (error) {
      throw new MappingTemplateError(`the mapping template does not parse: ${(error as Error).message.split('\n')[0]}`);
    }
    parsed.set(template, asts);
  }
  return new ApiGatewayVelocity(asts, { customMethodHandlers: javaMethodHandlers });
}

/** Renders `template` with the given variables (`input`, `context`, `util`, `stageVariables`). */
export function renderVelocity(template: string, variables: Record<string, unknown>): string {
  const compiled = compile(template);
  try {
    return compiled.render(variables);
  } catch (error) {
    throw new MappingTemplateError(`the mapping template failed: ${(error as Error).message}`);
  }
}
