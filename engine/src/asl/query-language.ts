/** The two languages a state evaluates its fields with: its own QueryLanguage, else the machine's (JSONPath by default). */
export type QueryLanguage = 'JSONPath' | 'JSONata';
