import * as protobuf from 'protobufjs';

export const REDACTED = '***';

/** The field option csi.proto puts on every field that may carry credentials. */
const SECRET_OPTION = '(csi_secret)';

type FieldPlan =
  | { readonly name: string; readonly kind: 'secret' }
  | { readonly name: string; readonly kind: 'nested'; readonly type: protobuf.Type; readonly map: boolean; readonly repeated: boolean };

/**
 * Copies decoded CSI messages with every value of a field marked `[(csi_secret) = true]` replaced by "***",
 * at any depth. The plan comes from the proto's options, so a secret field added to csi.proto is covered
 * without a code change. Map keys are kept (they name the secret, e.g. "password"); values are not.
 */
export class SecretRedactor {
  private readonly plans = new Map<protobuf.Type, readonly FieldPlan[]>();

  constructor(private readonly root: protobuf.Root) {}

  /** Redacted copy of `message`, a decoded instance of the proto type `typeName` (e.g. "csi.v1.CreateVolumeRequest"). */
  redact(typeName: string, message: unknown): unknown {
    const type = this.root.lookupType(typeName);
    return this.redactMessage(type, message);
  }

  /** Names of all fields (as "Type.field") that carry the secret option, for diagnostics and tests. */
  secretFieldNames(): string[] {
    const names: string[] = [];
    const visit = (ns: protobuf.NamespaceBase): void => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Type) {
          for (const field of nested.fieldsArray) {
            if (isSecret(field)) names.push(`${nested.fullName.replace(/^\./, '')}.${field.name}`);
          }
        }
        if (nested instanceof protobuf.Namespace) visit(nested);
      }
    };
    visit(this.root);
    return names.sort();
  }

  private redactMessage(type: protobuf.Type, message: unknown): unknown {
    if (message === null || typeof message !== 'object') return message;
    const plan = this.planFor(type, new Set());
    if (plan.length === 0) return message;
    const copy: Record<string, unknown> = { ...(message as Record<string, unknown>) };
    for (const field of plan) {
      const value = copy[field.name];
      if (value === undefined || value === null) continue;
      if (field.kind === 'secret') {
        copy[field.name] = maskValue(value);
      } else if (field.map) {
        copy[field.name] = mapValues(value, (v) => this.redactMessage(field.type, v));
      } else if (field.repeated && Array.isArray(value)) {
        copy[field.name] = value.map((v) => this.redactMessage(field.type, v));
      } else {
        copy[field.name] = this.redactMessage(field.type, value);
      }
    }
    return copy;
  }

  /** Fields of `type` that are secret or lead to a message containing one; cycles are cut by `visiting`. */
  private planFor(type: protobuf.Type, visiting: Set<protobuf.Type>): readonly FieldPlan[] {
    const cached = this.plans.get(type);
    if (cached) return cached;
    if (visiting.has(type)) return [];
    visiting.add(type);
    const plan: FieldPlan[] = [];
    for (const field of type.fieldsArray) {
      field.resolve();
      if (isSecret(field)) {
        plan.push({ name: field.name, kind: 'secret' });
        continue;
      }
      const nested = field.resolvedType;
      if (nested instanceof protobuf.Type && this.planFor(nested, visiting).length > 0) {
        plan.push({ name: field.name, kind: 'nested', type: nested, map: field.map, repeated: field.repeated });
      }
    }
    visiting.delete(type);
    this.plans.set(type, plan);
    return plan;
  }
}

function isSecret(field: protobuf.Field): boolean {
  return field.options?.[SECRET_OPTION] === true;
}

function maskValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(() => REDACTED);
  if (typeof value === 'object' && value !== null) return mapValues(value, () => REDACTED);
  return REDACTED;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fn(v);
  return out;
}
