import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';

/** Absolute path of csi.proto; works from src/ under ts-jest and from build/src/ after tsc. */
export const CSI_PROTO_PATH = resolveProtoPath();

/** Loader options; the generated types in src/gen are produced with the same ones (see the `gen` npm script). */
export const CSI_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export const CSI_PACKAGE = 'csi.v1';

function resolveProtoPath(): string {
  // src/grpc -> ../../proto ; build/src/grpc -> ../../../proto
  const candidates = [path.resolve(__dirname, '../../proto/csi.proto'), path.resolve(__dirname, '../../../proto/csi.proto')];
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate);
      return candidate;
    } catch {
      // try the next layout
    }
  }
  return candidates[0];
}

let cachedDefinition: protoLoader.PackageDefinition | undefined;
let cachedRoot: protobuf.Root | undefined;

/** The grpc-js package definition of csi.proto (parsed once per process). */
export function loadCsiPackageDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync(CSI_PROTO_PATH, CSI_LOADER_OPTIONS);
  return cachedDefinition;
}

/**
 * csi.proto as a protobufjs reflection root, with custom options such as `(csi_secret)` visible on fields.
 * proto-loader's descriptors drop extension options, hence this second, reflection-only load.
 */
export function loadCsiRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = new protobuf.Root();
  const protoDir = path.dirname(CSI_PROTO_PATH);
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
  root.loadSync(CSI_PROTO_PATH, { keepCase: false });
  root.resolveAll();
  cachedRoot = root;
  return root;
}
