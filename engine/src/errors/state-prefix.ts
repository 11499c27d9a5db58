/** An evaluation error inside a state gets AWS's prefix naming the state and the id of its *StateEntered event. */
export function statePrefix(stateName: string, enteredEventId: number): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). `;
}
