/**
 * JSON schema of Step Functions Local's mock configuration file (docs/stepfunctions-local.md §5.1),
 * checked with ajv. Rules a schema cannot say (consecutive invocation numbers, references between
 * test cases and responses, state names) are checked by mock-config.ts.
 */
export const invocationKeyPattern = '^(0|[1-9][0-9]*)(-(0|[1-9][0-9]*))?$';

export const mockConfigSchema = {
  type: 'object',
  required: ['StateMachines', 'MockedResponses'],
  additionalProperties: false,
  properties: {
    StateMachines: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['TestCases'],
        additionalProperties: false,
        properties: {
          TestCases: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              // state name → mocked response name
              additionalProperties: { type: 'string', minLength: 1 },
            },
          },
        },
      },
    },
    MockedResponses: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: invocationKeyPattern },
        additionalProperties: {
          type: 'object',
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: false,
          properties: {
            Return: {},
            Throw: {
              type: 'object',
              required: ['Error'],
              additionalProperties: false,
              properties: { Error: { type: 'string', minLength: 1 }, Cause: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;
