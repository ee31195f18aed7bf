import { Condition } from './builders';
import { Expr, LoopVar, Ref, TemplateNode } from './model';
import { makeLoopRef } from './ref';

/** One Kubernetes object (or one per list element) described once for both backends. */
export interface ObjectTemplate {
  /**
   * Name of the template, unique within a chart ([a-z0-9-]): the construct id of its object and, unless `chartFile`
   * says otherwise, the Helm template file (templates/<file>.yaml).
   */
  readonly file: string;
  /**
   * The Helm template file this object is written into, when it shares one with the templates next to it in the
   * chart's list (e.g. a ClusterRole and its binding): templates/<chartFile>.yaml, one document each, in order.
   */
  readonly chartFile?: string;
  /** The object exists only when this is truthy. */
  readonly enabledWhen?: Condition;
  /** When set, one object per element of this list; `item` is bound to the loop variable. */
  readonly forEach?: { readonly list: Expr<readonly unknown[]>; readonly item: LoopVar };
  /** The object: a map with apiVersion, kind, metadata, ... */
  readonly body: TemplateNode;
}

export interface ObjectTemplateOptions<T> {
  readonly file: string;
  readonly chartFile?: string;
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
  if (options.chartFile !== undefined && !FILE_NAME.test(options.chartFile)) {
    throw new Error(`objectTemplate: chartFile "${options.chartFile}" must match ${FILE_NAME} (it names templates/<chartFile>.yaml)`);
  }
  const chartFile = options.chartFile === undefined ? {} : { chartFile: options.chartFile };
  if (options.forEach === undefined) {
    return Object.freeze({
      file: options.file,
      ...chartFile,
      enabledWhen: options.enabledWhen,
      body: options.body(undefined as never),
    });
  }
  const item = new LoopVar('item');
  return Object.freeze({
    file: options.file,
    ...chartFile,
    enabledWhen: options.enabledWhen,
    forEach: { list: options.forEach as Expr<readonly unknown[]>, item },
    body: options.body(makeLoopRef<T>(item)),
  });
}
