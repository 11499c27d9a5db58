/**
 * TagResource, UntagResource and ListTagsForResource, for state machines and activities (tags.ts). Any other ARN
 * (a version, an alias, an execution, an unknown resource) is ResourceNotFound "Resource not found: '<arn>'", as AWS
 * answers for a version ARN (LocalStack's AWS-validated test_tag_state_machine_version).
 */
import { parseStatesArn } from '../arns';
import type { OperationHandler, SfnApiContext } from '../context';
import { resourceNotFound } from '../errors';
import type { Tag } from '../model';
import { checkedTags, mergedTags, withoutTags } from '../tags';

interface Tagged {
  tags: Tag[];
  setTags(tags: Tag[]): void;
}

function taggedResource({ stateMachines, activities }: SfnApiContext, arn: string): Tagged {
  const { resourceType, parts } = parseStatesArn(arn);
  if (resourceType === 'stateMachine' && parts.length === 1) {
    const machine = stateMachines.list().find((record) => record.stateMachineArn === arn);
    if (machine) return { tags: machine.tags, setTags: (tags) => stateMachines.setTags(arn, tags) };
  }
  if (resourceType === 'activity' && activities.has(arn)) {
    return { tags: activities.get(arn).tags, setTags: (tags) => activities.setTags(arn, tags) };
  }
  throw resourceNotFound(`Resource not found: '${arn}'`);
}

export const tagResource: OperationHandler = (context, request) => {
  const arn = request.resourceArn as string;
  const resource = taggedResource(context, arn);
  resource.setTags(mergedTags(arn, resource.tags, checkedTags(request.tags as Tag[])));
  return {};
};

export const untagResource: OperationHandler = (context, request) => {
  const resource = taggedResource(context, request.resourceArn as string);
  resource.setTags(withoutTags(resource.tags, request.tagKeys as string[]));
  return {};
};

export const listTagsForResource: OperationHandler = (context, request) => ({
  tags: taggedResource(context, request.resourceArn as string).tags,
});
