import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TadamonFunction } from '#infra/stack/tadamon-function.ts';

type Json = Record<string, unknown>;

/**
 * The stack's template with the nested stacks that hold functions folded back in: their resources beside the
 * main stack's, each parameter replaced by what the parent binds it to and each output by its value. Tests
 * then read one function's resources and wiring the same way wherever the function is built (the nested
 * stacks exist only to keep each template under CloudFormation's 500 resources).
 */
export function flatTemplate(stack: Stack): Template {
  const main = Template.fromStack(stack).toJSON() as { Resources: Record<string, Json> };
  const holders = stack.node
    .findAll()
    .filter((construct): construct is NestedStack => construct instanceof NestedStack && construct.node.findAll().some((child) => child instanceof TadamonFunction));
  for (const nested of holders) {
    const resourceId = stack.getLogicalId(nested.nestedStackResource!);
    const bound = ((main.Resources[resourceId]?.Properties as Json | undefined)?.Parameters ?? {}) as Json;
    const inner = Template.fromStack(nested).toJSON() as { Resources: Record<string, Json>; Outputs?: Record<string, { Value: unknown }> };
    const resources = replace(inner.Resources, (value) => (isRef(value) && value.Ref in bound ? bound[value.Ref] : undefined)) as Record<string, Json>;
    const outputs = replace(inner.Outputs ?? {}, (value) => (isRef(value) && value.Ref in bound ? bound[value.Ref] : undefined)) as Record<string, { Value: unknown }>;
    const others = Object.fromEntries(Object.entries(main.Resources).filter(([id]) => id !== resourceId));
    main.Resources = replace(others, (value) => {
      const getAtt = (value as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'];
      if (getAtt?.[0] === resourceId && getAtt[1].startsWith('Outputs.')) return outputs[getAtt[1].slice('Outputs.'.length)]?.Value;
      return undefined;
    }) as Record<string, Json>;
    // Depending on a nested stack is depending on every resource in it (a route the stage names, say).
    for (const resource of Object.values(main.Resources)) {
      if (Array.isArray(resource.DependsOn)) resource.DependsOn = (resource.DependsOn as string[]).flatMap((id) => (id === resourceId ? Object.keys(resources) : [id]));
    }
    Object.assign(main.Resources, resources);
  }
  return Template.fromJSON(main);
}

const isRef = (value: unknown): value is { Ref: string } => typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { Ref?: unknown }).Ref === 'string';

/** A deep copy of `value`, with every node `swap` returns something for replaced by that. */
function replace(value: unknown, swap: (value: unknown) => unknown): unknown {
  const swapped = swap(value);
  if (swapped !== undefined) return swapped;
  if (Array.isArray(value)) return value.map((item) => replace(item, swap));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replace(item, swap)]));
  return value;
}
