import type * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';
import csiDescriptor from '../gen/csi-descriptor.json';

/**
 * How decoded messages look; the generated types in src/gen are produced with the same options (see the `gen` npm
 * script): camelCase fields, 64-bit integers as numbers, enums as their names, unset fields as their defaults,
 * and the name of the set member of each oneof.
 */
export const CSI_CONVERSION_OPTIONS: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export const CSI_PACKAGE = 'csi.v1';

/** The CSI services in a form grpc-js serves and dials directly, keyed by full name ("csi.v1.Node"). */
export type CsiPackageDefinition = Record<string, grpc.ServiceDefinition>;

let cachedRoot: protobuf.Root | undefined;
let cachedDefinition: CsiPackageDefinition | undefined;

/**
 * csi.proto as a protobufjs reflection root, with custom options such as `(csi_secret)` visible on fields. Built
 * from the descriptor generated from the proto (scripts/csi-descriptor.ts), so start-up parses no proto text.
 */
export function loadCsiRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = protobuf.Root.fromJSON(csiDescriptor as protobuf.INamespace);
  root.resolveAll();
  cachedRoot = root;
  return root;
}

/** The grpc-js service definitions of csi.proto's services (built once per process from the reflection root). */
export function loadCsiPackageDefinition(): CsiPackageDefinition {
  if (cachedDefinition) return cachedDefinition;
  const definition: CsiPackageDefinition = {};
  const csi = loadCsiRoot().lookup(CSI_PACKAGE);
  for (const nested of (csi as protobuf.Namespace).nestedArray) {
    if (nested instanceof protobuf.Service) {
      definition[`${CSI_PACKAGE}.${nested.name}`] = serviceDefinition(nested);
    }
  }
  cachedDefinition = definition;
  return definition;
}

function serviceDefinition(service: protobuf.Service): grpc.ServiceDefinition {
  const methods: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const requestType = method.resolvedRequestType!;
    const responseType = method.resolvedResponseType!;
    methods[method.name] = {
      path: `/${service.fullName.replace(/^\./, '')}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(requestType),
      requestDeserialize: deserializer(requestType),
      responseSerialize: serializer(responseType),
      responseDeserialize: deserializer(responseType),
      originalName: method.name.charAt(0).toLowerCase() + method.name.slice(1),
    };
  }
  return methods;
}

function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`cannot serialize an array as ${type.name}`);
    const bytes = type.encode(type.fromObject(value)).finish();
    // protobufjs hands out Buffers under Node; only wrap (never copy) when it did not.
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(type: protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), CSI_CONVERSION_OPTIONS);
}
