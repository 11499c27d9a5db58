import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../local/cli-config';
import { checkEnvVarsFile, environmentOverrides } from '../../local/env-vars-file';
import { declaredVariableNames } from '../../local/lambda-runner/function-config';
import { loadTemplate } from '../../local/template/load';

const declared = new Map([
  ['ReserveRoomFunction', new Set(['ROOMS_TABLE', 'SENDER_EMAIL', 'AWS_ENDPOINT_URL_DYNAMODB'])],
  ['GetReservationFunction', new Set(['RESERVATIONS_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB'])],
]);

const read = (values: unknown) => checkEnvVarsFile(values, 'env.json', declared);

describe('an env-vars file, as sam local invoke reads it', () => {
  it("gives a function its own entry's value over Parameters', for the variables it declares only", () => {
    const values = read({
      Parameters: {
        SENDER_EMAIL: 'everyone@example.com',
        ROOMS_TABLE: 'RoomsTable',
        RESERVATIONS_TABLE: 'ReservationsTable',
      },
      ReserveRoomFunction: { SENDER_EMAIL: 'front-desk@example.com' },
    });

    expect(environmentOverrides(values, 'ReserveRoomFunction', declared.get('ReserveRoomFunction')!)).toEqual({
      SENDER_EMAIL: 'front-desk@example.com',
      ROOMS_TABLE: 'RoomsTable',
    });
    // SAM passes a function no variable its template does not declare, whatever Parameters holds.
    expect(environmentOverrides(values, 'GetReservationFunction', declared.get('GetReservationFunction')!)).toEqual({
      RESERVATIONS_TABLE: 'ReservationsTable',
    });
  });

  it('passes numbers and booleans as SAM does: as strings, true and false in lower case', () => {
    const values = read({ ReserveRoomFunction: { ROOMS_TABLE: 7, SENDER_EMAIL: true } });

    expect(environmentOverrides(values, 'ReserveRoomFunction', declared.get('ReserveRoomFunction')!)).toEqual({
      ROOMS_TABLE: '7',
      SENDER_EMAIL: 'true',
    });
  });

  it("reads host.docker.internal (the host, from sam local invoke's container) as 127.0.0.1, where npm run invoke runs functions", () => {
    const endpoint = (value: string) =>
      environmentOverrides(
        read({ Parameters: { AWS_ENDPOINT_URL_DYNAMODB: value } }),
        'GetReservationFunction',
        declared.get('GetReservationFunction')!,
      ).AWS_ENDPOINT_URL_DYNAMODB;

    expect(endpoint('http://host.docker.internal:8000')).toBe('http://127.0.0.1:8000');
    expect(endpoint('https://host.docker.internal/path')).toBe('https://127.0.0.1/path');
    expect(endpoint('http://host.docker.internal.example.com:8000')).toBe(
      'http://host.docker.internal.example.com:8000',
    );
    expect(endpoint('http://localhost:8000')).toBe('http://localhost:8000');
  });

  it.each<[string, unknown, string]>([
    ['a list', [], 'the env-vars file env.json must be a JSON object'],
    [
      'an entry that is not an object',
      { Parameters: 'ROOMS_TABLE=RoomsTable' },
      'env.json: "Parameters" must be an object of variable names and values',
    ],
    [
      'a value SAM would blank',
      { ReserveRoomFunction: { ROOMS_TABLE: null } },
      'env.json: ReserveRoomFunction.ROOMS_TABLE must be a string, number or boolean, got null',
    ],
    [
      'a function the template does not have',
      { ReserveRoom: { ROOMS_TABLE: 'RoomsTable' } },
      'env.json: template.yaml has no function ReserveRoom; name functions by logical id: ReserveRoomFunction, GetReservationFunction',
    ],
    [
      'a variable its function does not declare',
      { GetReservationFunction: { ROOMS_TABLE: 'RoomsTable', RESERVATIONS_TABLE: 'ReservationsTable' } },
      'env.json: GetReservationFunction does not declare ROOMS_TABLE in its template Environment (sam local invoke would ignore it); it declares RESERVATIONS_TABLE, AWS_ENDPOINT_URL_DYNAMODB',
    ],
    [
      'a Parameters variable no function declares',
      { Parameters: { ROOMS_TABEL: 'RoomsTable', AWS_ENDPOINT_URL_SES: 'http://host.docker.internal:8005' } },
      'env.json: Parameters sets ROOMS_TABEL, AWS_ENDPOINT_URL_SES, which no function of template.yaml declares in its Environment (sam local invoke would ignore them)',
    ],
  ])('is a usage error when it is %s', (_case, contents, message) => {
    expect(() => read(contents)).toThrow(UsageError);
    expect(() => read(contents)).toThrow(message);
  });
});

describe('the variables a function declares', () => {
  it("are its template Environment's names and Globals', resolvable locally or not", () => {
    const names = declaredVariableNames(loadTemplate(path.join(__dirname, 'fixtures', 'runner', 'template.yaml')));

    expect(names.get('EchoFunction')).toEqual(
      new Set([
        'POWERTOOLS_SERVICE_NAME',
        'SENDER_EMAIL',
        'ITEMS_TABLE',
        'THROW_ARN',
        'WORKFLOW_ARN',
        'URL',
        'MODE',
        'JOINED',
        'GONE',
        'TESTING_CENTRE_URL',
        'AWS_ENDPOINT_URL_SES',
      ]),
    );
    expect(names.get('BrokenEnvironmentFunction')).toEqual(
      new Set(['POWERTOOLS_SERVICE_NAME', 'SENDER_EMAIL', 'SITE']),
    );
    expect(names.get('ThrowFunction')).toEqual(new Set(['POWERTOOLS_SERVICE_NAME', 'SENDER_EMAIL']));
    expect(names.has('ItemsTable')).toBe(false);
  });

  it('events/env.json is valid against template.yaml: every variable it sets is declared by some function', () => {
    const file = path.join(__dirname, '../../events/env.json');
    const values = checkEnvVarsFile(
      JSON.parse(readFileSync(file, 'utf8')),
      'events/env.json',
      declaredVariableNames(loadTemplate()),
    );
    expect(
      environmentOverrides(
        values,
        'ReserveRoomFunction',
        declaredVariableNames(loadTemplate()).get('ReserveRoomFunction')!,
      ),
    ).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:8005',
      ROOMS_TABLE: 'RoomsTable',
    });
  });
});
