/**
 * Tags of state machines and activities (TagResource, UntagResource, ListTagsForResource, `tags` at creation), with
 * AWS's rules: at most 50 tags on a resource (TooManyTags), a key appears once (a later value replaces an earlier
 * one), keys and values of Unicode letters, digits, white space and `_ . : / = + - @`, and no key in the `aws:`
 * namespace, which AWS keeps for its own tags ("Tagging best practices": the prefix is reserved). Lengths (key 1-128,
 * value 0-256) are the request schemas'.
 */
import { tooManyTags, validationException } from './errors';
import type { Tag } from './model';

/** "Maximum tags per resource: 50" (Step Functions service quotas, "Quotas related to tagging"). */
export const MAX_TAGS = 50;

const allowed = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The tags of a request, checked: ValidationException naming the first bad one. */
export function checkedTags(tags: ReadonlyArray<{ key?: string; value?: string }>): Tag[] {
  return tags.map(({ key, value }, index) => {
    if (key === undefined) throw validationException(`Tag key at 'tags.${index + 1}.member.key' must not be null`);
    if (!allowed.test(key) || !allowed.test(value ?? '')) {
      throw validationException(
        `Tag '${key}' may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw validationException(`Tag key '${key}' uses the aws: prefix, which is reserved for AWS use`);
    }
    return { key, value: value ?? '' };
  });
}

/** `current` with `added` merged in (a key already there takes the new value); TooManyTags past 50. */
export function mergedTags(resourceArn: string, current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  if (merged.size > MAX_TAGS) throw tooManyTags(resourceArn, MAX_TAGS);
  return [...merged].map(([key, value]) => ({ key, value }));
}

export function withoutTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys);
  return current.filter((tag) => !removed.has(tag.key));
}
