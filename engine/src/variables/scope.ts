/**
 * Workflow variables (Assign). Top-level states share one scope; each Parallel branch and Map iteration gets an
 * inner scope that reads outer variables and assigns its own (a distributed Map's iterations see no outer scope).
 */
import { setOwn } from '../json/objects';

export class VariableScope {
  private readonly values = new Map<string, unknown>();

  constructor(private readonly parent?: VariableScope) {}

  has(name: string): boolean {
    return this.values.has(name) || (this.parent?.has(name) ?? false);
  }

  get(name: string): unknown {
    if (this.values.has(name)) return this.values.get(name);
    return this.parent?.get(name);
  }

  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  /** All visible variables, inner names over outer ones (JSONata bindings). */
  bindings(into: Record<string, unknown> = {}): Record<string, unknown> {
    this.parent?.bindings(into);
    for (const [name, value] of this.values) setOwn(into, name, value);
    return into;
  }
}
