/**
 * The names of every Task state of a definition, including those inside Parallel branches and Map
 * processors (a mock config test case may mock any of them).
 */
interface StatesContainer {
  States?: Record<
    string,
    { Type?: string; Branches?: StatesContainer[]; Iterator?: StatesContainer; ItemProcessor?: StatesContainer }
  >;
}

export function taskStateNamesOf(definition: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (container: StatesContainer | undefined) => {
    for (const [name, state] of Object.entries(container?.States ?? {})) {
      if (state.Type === 'Task') names.add(name);
      for (const branch of state.Branches ?? []) visit(branch);
      visit(state.Iterator);
      visit(state.ItemProcessor);
    }
  };
  visit((typeof definition === 'string' ? JSON.parse(definition) : definition) as StatesContainer);
  return names;
}
