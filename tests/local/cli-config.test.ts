import {
  staffPasswordFromEnvironment,
  DEFAULT_PORTS,
  mockConfigFromEnvironment,
  portsFromEnvironment,
  UsageError,
} from '../../local/cli-config';

describe('the local cloud settings from the environment', () => {
  it('uses the contract ports unless overridden', () => {
    expect(portsFromEnvironment({})).toEqual({ api: 3000, sfn: 8083, dynamodb: 8000, ses: 8005, cognito: 9229 });
    expect(
      portsFromEnvironment({
        LOCAL_API_PORT: '4000',
        SFN_PORT: '4083',
        DDB_PORT: '4001',
        SES_PORT: '4005',
        COGNITO_PORT: '4229',
      }),
    ).toEqual({
      api: 4000,
      sfn: 4083,
      dynamodb: 4001,
      ses: 4005,
      cognito: 4229,
    });
    expect(DEFAULT_PORTS.api).toBe(3000);
  });

  it.each([['abc'], ['0'], ['70000'], ['80.5'], ['-1']])('rejects the port %s with a named error', (value) => {
    expect(() => portsFromEnvironment({ DDB_PORT: value })).toThrow(
      new UsageError(`DDB_PORT must be a port number from 1 to 65535, got "${value}"`),
    );
  });

  it('rejects two parts on one port', () => {
    expect(() => portsFromEnvironment({ SES_PORT: '3000' })).toThrow('LOCAL_API_PORT and SES_PORT are both 3000');
  });

  it('takes the local staff password from LOCAL_STAFF_PASSWORD, Local-dev-password-1 by default, held to the pool policy', () => {
    expect(staffPasswordFromEnvironment({})).toBe('Local-dev-password-1');
    expect(staffPasswordFromEnvironment({ LOCAL_STAFF_PASSWORD: 'Another-password-2' })).toBe('Another-password-2');
    for (const weak of ['Short-1a', 'no-upper-case-1', 'NO-LOWER-CASE-1', 'No-digits-at-all', 'NoSymbols12345'])
      expect(() => staffPasswordFromEnvironment({ LOCAL_STAFF_PASSWORD: weak })).toThrow(UsageError);
  });

  it('checks that SFN_MOCK_CONFIG names an existing file', () => {
    expect(mockConfigFromEnvironment({})).toBeUndefined();
    expect(mockConfigFromEnvironment({ SFN_MOCK_CONFIG: 'package.json' })).toMatch(/package\.json$/);
    expect(() => mockConfigFromEnvironment({ SFN_MOCK_CONFIG: 'no/such/file.json' })).toThrow(
      'SFN_MOCK_CONFIG names no/such/file.json, which does not exist',
    );
  });
});
