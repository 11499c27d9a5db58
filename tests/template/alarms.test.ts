/**
 * The alarms of template.yaml (docs/security.md section 7): every one reaches the administrators and only through
 * the topic CloudWatch may publish to, every function and table is watched, and the metrics the alarms read are the
 * ones the functions, the log filters and AWS publish, under the same names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';
import {
  FUNCTION_NAME_DIMENSION,
  UNEXPECTED_ERRORS_METRIC,
} from '../../functions/shared/infrastructure/unexpected-errors';

const template = loadTemplate();
const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const idsOf = (type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);
const alarms = idsOf('AWS::CloudWatch::Alarm');

interface MetricQuery {
  Id: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace: unknown; MetricName: string; Dimensions?: Array<{ Name: string; Value: unknown }> };
    Period: number;
    Stat: string;
  };
}
const queriesOf = (alarm: string): MetricQuery[] => resources[alarm].Properties.Metrics ?? [];
const statsOf = (alarm: string) => queriesOf(alarm).filter((query) => query.MetricStat);
const dimension = (query: MetricQuery, name: string) =>
  query.MetricStat!.Metric.Dimensions?.find((d) => d.Name === name)?.Value;

describe('template.yaml: the alarm topic', () => {
  test('emails AdminEmail', () => {
    const [subscription] = idsOf('AWS::SNS::Subscription');
    expect(idsOf('AWS::SNS::Subscription')).toHaveLength(1);
    expect(resources[subscription].Properties).toEqual({
      TopicArn: { Ref: 'AlarmTopic' },
      Protocol: 'email',
      Endpoint: { Ref: 'AdminEmail' },
    });
  });

  test('lets only CloudWatch publish, for this account and for exactly the alarms of the stack', () => {
    const policy = resources.AlarmTopicPolicy.Properties;
    expect(policy.Topics).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(policy.PolicyDocument.Statement).toEqual([
      {
        Sid: expect.any(String),
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'AlarmTopic' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': expect.any(Array) },
        },
      },
    ]);
    // An alarm missing from the list could not deliver; one listed but gone would be a stale grant.
    const listed = policy.PolicyDocument.Statement[0].Condition.ArnLike['aws:SourceArn'].map(
      (arn: { 'Fn::GetAtt': string[] }) => arn['Fn::GetAtt'],
    );
    expect(listed.map(([id]: string[]) => id).sort()).toEqual([...alarms].sort());
    expect(listed.every(([, attribute]: string[]) => attribute === 'Arn')).toBe(true);
  });

  test('is not encrypted with the AWS managed SNS key, which CloudWatch cannot publish with', () => {
    expect(resources.AlarmTopic.Properties.KmsMasterKeyId).toBeUndefined();
  });
});

describe('template.yaml: every alarm', () => {
  test.each(alarms)('%s notifies the topic on ALARM only, says what to do, and counts missing data as fine', (id) => {
    const properties = resources[id].Properties;
    expect(properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(properties.OKActions).toBeUndefined();
    expect(properties.InsufficientDataActions).toBeUndefined();
    expect(properties.TreatMissingData).toBe('notBreaching');
    expect(properties.AlarmDescription['Fn::Sub'] ?? properties.AlarmDescription).toMatch(/First open/);
    // CloudFormation generates a name that starts with the stack name; one written here must carry it too.
    if (properties.AlarmName !== undefined) expect(JSON.stringify(properties.AlarmName)).toContain('${AWS::StackName}');
  });

  test.each(alarms.filter((id) => resources[id].Properties.Metrics))(
    '%s returns one expression over all its metrics, at most the 10 a metric math alarm may read',
    (id) => {
      const queries = queriesOf(id);
      const returned = queries.filter((query) => query.ReturnData !== false);
      expect(returned).toHaveLength(1);
      const used = new Set(returned[0].Expression!.match(/\b[a-z]\w*\b/g));
      expect(
        statsOf(id)
          .filter((query) => !used.has(query.Id))
          .map((query) => query.Id),
      ).toEqual([]);
      expect(statsOf(id).length).toBeLessThanOrEqual(10);
    },
  );
});

describe('template.yaml: function alarms', () => {
  const functionAlarms = alarms.filter((id) =>
    statsOf(id).some((query) => query.MetricStat!.Metric.MetricName === UNEXPECTED_ERRORS_METRIC),
  );
  const watched = (metricName: string) =>
    functionAlarms.flatMap((id) =>
      statsOf(id)
        .filter((query) => query.MetricStat!.Metric.MetricName === metricName)
        .map((query) => dimension(query, FUNCTION_NAME_DIMENSION)),
    );
  const functions = idsOf('AWS::Serverless::Function').map((id) => ({ Ref: id }));

  test('each function is watched once for UnexpectedErrors and once for Lambda Throttles', () => {
    expect(watched(UNEXPECTED_ERRORS_METRIC)).toEqual(expect.arrayContaining(functions));
    expect(watched(UNEXPECTED_ERRORS_METRIC)).toHaveLength(functions.length);
    expect(watched('Throttles')).toEqual(expect.arrayContaining(functions));
    expect(watched('Throttles')).toHaveLength(functions.length);
  });

  test('UnexpectedErrors is read where the functions publish it: their metrics namespace, by FunctionName alone', () => {
    const environment = template.Globals!.Function.Environment as { Variables: Record<string, string> };
    const namespace = environment.Variables.POWERTOOLS_METRICS_NAMESPACE;
    for (const query of functionAlarms.flatMap(statsOf)) {
      const metric = query.MetricStat!.Metric;
      expect(metric.Dimensions!.map((d) => d.Name)).toEqual([FUNCTION_NAME_DIMENSION]);
      expect(metric.Namespace).toBe(metric.MetricName === UNEXPECTED_ERRORS_METRIC ? namespace : 'AWS/Lambda');
    }
  });
});

describe('template.yaml: call-centre alarm', () => {
  const filters = idsOf('AWS::Logs::MetricFilter').map((id) => resources[id].Properties);
  const filterOf = (metricName: string) =>
    filters.find((filter) => filter.MetricTransformations[0].MetricName === metricName)!;
  const stats = statsOf('CallCentreFailuresAlarm');

  test('reads the two metrics its filters publish, from the call-centre execution log', () => {
    const destination =
      resources.CallCentreStateMachine.Properties.Logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn;
    expect(destination).toEqual({ 'Fn::GetAtt': ['CallCentreStateMachineLogGroup', 'Arn'] });
    for (const query of stats) {
      const filter = filterOf(query.MetricStat!.Metric.MetricName);
      expect(filter.LogGroupName).toEqual({ Ref: 'CallCentreStateMachineLogGroup' });
      expect(filter.MetricTransformations[0].MetricNamespace).toEqual(query.MetricStat!.Metric.Namespace);
    }
    expect(queriesOf('CallCentreFailuresAlarm').find((query) => query.ReturnData)!.Expression).toBe(
      'FILL(failed, 0) - FILL(ordinary, 0)',
    );
  });

  test('counts failed and timed-out executions', () => {
    const failed = filterOf(stats.find((query) => query.Id === 'failed')!.MetricStat!.Metric.MetricName).FilterPattern;
    expect(failed).toBe('{ ($.type = "ExecutionFailed") || ($.type = "ExecutionTimedOut") }');
  });

  test("subtracts exactly the Fail states of ordinary outcomes: the definition's Fail states POST /reservations answers 4xx", () => {
    const ordinary: string = filterOf(
      stats.find((query) => query.Id === 'ordinary')!.MetricStat!.Metric.MetricName,
    ).FilterPattern;
    expect(ordinary).toMatch(/^\{ \(\$\.type = "FailStateEntered"\) && \(/);
    const counted = Array.from(ordinary.matchAll(/\$\.details\.name = "(\w+)"/g), (match) => match[1]).sort();

    const definition = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'statemachine/call-centre.asl.json'), 'utf8'));
    const failStates = Object.entries(definition.States as Record<string, { Type: string }>)
      .filter(([, state]) => state.Type === 'Fail')
      .map(([name]) => name);
    expect(failStates).toContain('ServiceUnavailable');
    expect(counted).toEqual(failStates.filter((name) => name !== 'ServiceUnavailable').sort());

    // The response template of POST /reservations: each `$error == 'X'` branch and the status it sets.
    const responseTemplate: string =
      resources.Api.Properties.DefinitionBody.paths['/reservations'].post['x-amazon-apigateway-integration'].responses
        .default.responseTemplates['application/json'];
    const statusOf: Record<string, number> = {};
    let pending: string[] = [];
    for (const line of responseTemplate.split('\n')) {
      const names = Array.from(line.matchAll(/\$error == '(\w+)'/g), (match) => match[1]);
      if (names.length > 0) pending = names;
      const status = line.match(/responseOverride\.status = (\d+)/);
      if (status && pending.length > 0) {
        for (const name of pending) statusOf[name] = Number(status[1]);
        pending = [];
      }
    }
    expect(
      Object.keys(statusOf)
        .filter((name) => statusOf[name] < 500)
        .sort(),
    ).toEqual(counted);
  });
});

describe('template.yaml: workflow, API and table alarms', () => {
  test('the plagiarism alarm reads failed and timed-out executions of the plagiarism state machine', () => {
    expect(
      statsOf('PlagiarismFailuresAlarm').map((query) => [
        query.MetricStat!.Metric.Namespace,
        query.MetricStat!.Metric.MetricName,
        dimension(query, 'StateMachineArn'),
      ]),
    ).toEqual([
      ['AWS/States', 'ExecutionsFailed', { Ref: 'PlagiarismStateMachine' }],
      ['AWS/States', 'ExecutionsTimedOut', { Ref: 'PlagiarismStateMachine' }],
    ]);
  });

  test("the API alarm reads 5XXError of the Api's name and stage", () => {
    const properties = resources.ApiServerErrorsAlarm.Properties;
    expect([properties.Namespace, properties.MetricName, properties.Statistic]).toEqual([
      'AWS/ApiGateway',
      '5XXError',
      'Sum',
    ]);
    expect(properties.Dimensions).toEqual([
      { Name: 'ApiName', Value: resources.Api.Properties.Name },
      { Name: 'Stage', Value: resources.Api.Properties.StageName },
    ]);
  });

  test('the DynamoDB alarms read read and write throttling of every table and every global secondary index', () => {
    const expected = idsOf('AWS::DynamoDB::Table').flatMap((table) =>
      [
        undefined,
        ...(resources[table].Properties.GlobalSecondaryIndexes ?? []).map(
          (index: { IndexName: string }) => index.IndexName,
        ),
      ].flatMap((index) =>
        ['ReadThrottleEvents', 'WriteThrottleEvents'].map((metric) => JSON.stringify([metric, { Ref: table }, index])),
      ),
    );
    // An alarm on metric math reads at most 10 metrics (AWS's hard limit): tables and indexes have one each.
    const alarms = ['DynamoDBThrottlingAlarm', 'DynamoDBIndexThrottlingAlarm'];
    for (const alarm of alarms)
      expect({ alarm, metrics: statsOf(alarm).length <= 10 }).toEqual({ alarm, metrics: true });
    const read = alarms
      .flatMap(statsOf)
      .map((query) =>
        JSON.stringify([
          query.MetricStat!.Metric.MetricName,
          dimension(query, 'TableName'),
          dimension(query, 'GlobalSecondaryIndexName'),
        ]),
      );
    expect(read.sort()).toEqual(expected.sort());
    expect(alarms.flatMap(statsOf).every((query) => query.MetricStat!.Metric.Namespace === 'AWS/DynamoDB')).toBe(true);
  });
});
