import { Condition } from './builders';
import { Expr, LoopVar, Ref, TemplateNode } from './model';
import { makeLoopRef } from './ref';

/** One Kubernetes object (or one per list element) described once for both backends. */
export interface ObjectTemplate {
  /** Helm template file name without extension (templates/<file>.yaml); unique within a chart; [a-z0-9-]. */
  readonly file: string;
  /** The object exists only when this is truthy. */
  readonly enabledWhen?: Condition;
  /** When set, one object per element of this list; `item` is bound to the loop variable. */
  readonly forEach?: { readonly list: Expr<readonly unknown[]>; readonly item: LoopVar };
  /** The object: a map with apiVersion, kind, metadata, ... */
  readonly body: TemplateNode;
}

export interface ObjectTemplateOptions<T> {
  readonly file: string;
  readonly enabledWhen?: Condition;
  readonly forEach?: Expr<readonly T[]> | Expr<T[]>;
  /** Builds the object; receives the element ref when `forEach` is set. */
  readonly body: (item: Ref<T>) => TemplateNode;
}

const FILE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function objectTemplate<T = never>(options: ObjectTemplateOptions<T>): ObjectTemplate {
  if (!FILE_NAME.test(options.file)) {
    throw new Error(`objectTemplate: file "${options.file}" must match ${FILE_NAME} (it names templates/<file>.yaml)`);
  }
  if (options.forEach === undefined) {
    return Object.freeze({
      file: options.file,
      enabledWhen: options.enabledWhen,
      body: options.body(undefined as never),
    });
  }
  const item = new LoopVar('item');
  return Object.freeze({
    file: options.file,
    enabledWhen: options.enabledWhen,
    forEach: { list: options.forEach as Expr<readonly unknown[]>, item },
    body: options.body(makeLoopRef<T>(item)),
  });
}
