/** CreateActivity, DescribeActivity, ListActivities, DeleteActivity and GetActivityTask (activities.ts). */
import type { OperationHandler } from '../context';
import type { ActivityRecord } from '../model';
import { listPage } from '../pagination';
import { epochSeconds } from '../wire-format';

export const createActivity: OperationHandler = ({ activities }, request) => {
  const activity = activities.create(request as unknown as Parameters<typeof activities.create>[0]);
  return { activityArn: activity.activityArn, creationDate: epochSeconds(activity.creationDate) };
};

/** AWS describes an activity without a key of its own as encrypted with an AWS-owned key. */
const describeActivity = (activity: ActivityRecord) => ({
  activityArn: activity.activityArn,
  name: activity.name,
  creationDate: epochSeconds(activity.creationDate),
  encryptionConfiguration: activity.encryptionConfiguration ?? { type: 'AWS_OWNED_KEY' },
});

export const describeActivityOperation: OperationHandler = ({ activities }, request) =>
  describeActivity(activities.get(request.activityArn as string));

export const listActivities: OperationHandler = ({ activities }, request) =>
  listPage(
    activities.list(),
    (activity) => activity.activityArn,
    request,
    'ListActivities',
    'activities',
    (activity) => ({
      activityArn: activity.activityArn,
      name: activity.name,
      creationDate: epochSeconds(activity.creationDate),
    }),
  );

export const deleteActivity: OperationHandler = ({ activities }, request) => {
  activities.delete(request.activityArn as string);
  return {};
};

/** The long poll: a task's token and input, or `{}` once 60 s pass on the clock with none (AWS's null token). */
export const getActivityTask: OperationHandler = async ({ activities }, request, signal) => {
  const task = await activities.poll(request.activityArn as string, request.workerName as string | undefined, signal);
  return task ? { taskToken: task.taskToken, input: task.input } : {};
};
