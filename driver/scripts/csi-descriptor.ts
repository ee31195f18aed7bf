/**
 * Generates src/gen/csi-descriptor.json: csi.proto parsed once, here, into protobufjs's JSON form (messages, enums,
 * services and field options such as `(csi_secret)`), so the driver loads a ready descriptor at start-up instead of
 * parsing the proto text. Usage, from driver/ (also part of `npm run gen`):
 *
 *   node -r ./test/helpers/ts-register.js scripts/csi-descriptor.ts
 *
 * test/core/csi-descriptor.test.ts fails when the committed file is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

export const CSI_PROTO_PATH = path.resolve(__dirname, '../proto/csi.proto');
export const CSI_DESCRIPTOR_PATH = path.resolve(__dirname, '../src/gen/csi-descriptor.json');

/** csi.proto parsed with camelCase field names (as the driver's messages spell them), every type resolved. */
export function parseCsiProto(protoPath: string = CSI_PROTO_PATH): protobuf.Root {
  const root = new protobuf.Root();
  const protoDir = path.dirname(protoPath);
  root.resolvePath = (_origin: string, target: string): string => {
    if (target.startsWith('google/protobuf/')) {
      // descriptor.proto ships as a file; timestamp/wrappers are bundled in protobufjs under their bare names.
      try {
        return require.resolve(`protobufjs/${target}`);
      } catch {
        return target;
      }
    }
    return path.isAbsolute(target) ? target : path.join(protoDir, target);
  };
  root.loadSync(protoPath, { keepCase: false });
  root.resolveAll();
  return root;
}

type JsonNamespace = { nested?: Record<string, JsonNamespace & { extend?: string }> };

/**
 * What the driver needs of the parsed proto: the csi package without its option extensions (their values stay on
 * the fields, e.g. `(csi_secret)`, which is all the redactor reads) and of google.protobuf only the types csi's
 * fields use (Timestamp, wrappers), not descriptor.proto, which the extensions alone pulled in.
 */
export function runtimeDescriptor(root: protobuf.Root): JsonNamespace {
  const used = new Set<string>();
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) {
        for (const field of nested.fieldsArray) {
          const fullName = field.resolvedType?.fullName ?? '';
          if (fullName.startsWith('.google.protobuf.')) used.add(fullName.slice('.google.protobuf.'.length));
        }
      }
      if (nested instanceof protobuf.Namespace) visit(nested);
    }
  };
  visit(root.lookup('csi') as protobuf.Namespace);
  const json = root.toJSON() as JsonNamespace;
  const google = json.nested?.google?.nested?.protobuf?.nested ?? {};
  for (const name of Object.keys(google)) if (!used.has(name)) delete google[name];
  const csi = json.nested?.csi?.nested?.v1?.nested ?? {};
  for (const [name, entry] of Object.entries(csi)) if (entry.extend !== undefined) delete csi[name];
  return json;
}

/** The descriptor file's text: stable, pretty-printed JSON ending in a newline. */
export function csiDescriptorText(protoPath: string = CSI_PROTO_PATH): string {
  return `${JSON.stringify(runtimeDescriptor(parseCsiProto(protoPath)), null, 1)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(CSI_DESCRIPTOR_PATH, csiDescriptorText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), CSI_DESCRIPTOR_PATH)}\n`);
}
