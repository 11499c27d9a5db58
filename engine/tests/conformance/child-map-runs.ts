/**
 * A Distributed Map's map run for the conformance runner, as AWS runs one (engine/src/integration/map-runs.ts): each
 * input is a child execution of the ItemProcessor on an engine of its own (the same clock), its output (or its error
 * and cause) the result in item order; failed children past ToleratedFailureCount/Percentage fail the run with
 * States.ExceedToleratedFailureThreshold. The parent's history then holds what AWS records there: MapRunStarted and
 * MapRunSucceeded (or MapRunFailed), no iteration events. MaxConcurrency only orders the children here: they call
 * no service, so running them one after another gives the same results.
 */
import { Engine, type Integrations, type MapRunHost, type MapRunOutcome, type VirtualClock } from '../../src';

export function childMapRuns(clock: VirtualClock, integrations: Integrations): MapRunHost {
  const engine = new Engine({ clock, integrations });
  return {
    async run(request): Promise<MapRunOutcome> {
      const results: unknown[] = [];
      let failed = 0;
      for (const [index, input] of request.inputs.entries()) {
        const name = `${request.label}-${index}`;
        const child = engine.start({
          definition: request.definition,
          stateMachineArn: `${request.stateMachineArn}/${request.label}`,
          stateMachineName: `${request.stateMachineName}/${request.label}`,
          executionArn: `${request.executionArn}/${name}`,
          name,
          input,
          type: request.executionType,
        });
        const info = await child.done;
        if (info.status === 'SUCCEEDED') results.push(info.output);
        else {
          failed++;
          results.push({ Error: info.error ?? null, Cause: info.cause ?? null });
        }
      }
      const total = request.inputs.length;
      const tolerated =
        failed === 0 ||
        failed <= request.toleratedFailureCount ||
        (total > 0 && (failed / total) * 100 <= request.toleratedFailurePercentage);
      return tolerated
        ? { ok: true, results }
        : {
            ok: false,
            error: 'States.ExceedToleratedFailureThreshold',
            cause: 'The specified tolerated failure threshold was exceeded',
          };
    },
  };
}
