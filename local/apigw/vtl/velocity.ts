import { Compile, Helper, parse } from 'velocityjs';
import { javaMethodHandlers } from './java-methods';

/**
 * Renders a mapping template the way API Gateway's Apache Velocity (1.7) does, on top of velocityjs.
 * Where velocityjs departs from Apache Velocity in ways real templates notice, this subclass corrects it:
 * - a reference whose value is null prints its own source text (`$foo`), or nothing when quiet (`$!foo`),
 *   exactly like an undefined one (velocityjs prints the word "null");
 * - `#set($x = <something null>)` leaves `$x` unchanged (Velocity 1.x's directive.set.null.allowed=false),
 *   the quirk behind "my variable keeps the previous loop iteration's value";
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

class ApiGatewayVelocity extends Compile {
  protected override getReferences(ast: Ast, isVal?: boolean): string {
    const value = super.getReferences(ast, isVal) as unknown;
    if (isVal && value === null) {
      const reference = ast as { leader?: string };
      return reference.leader === '$!' ? '' : Helper.getRefText(ast as never);
    }
    return value as string;
  }

  protected override getLiteral(ast: Ast): string {
    if ((ast as unknown as EvaluatedAst).type === 'apigw-evaluated') return (ast as unknown as EvaluatedAst).value as string;
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
