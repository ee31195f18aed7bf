import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import { CSI_PACKAGE, loadCsiRoot } from '../../src/grpc/csi-proto';

/** One CSI RPC as the proto declares it. */
export interface CsiRpc {
  /** Identity, Controller or Node. */
  readonly service: string;
  /** e.g. CreateVolume */
  readonly method: string;
  /** The gRPC path, e.g. /csi.v1.Controller/CreateVolume */
  readonly path: string;
  readonly requestType: protobuf.Type;
  readonly responseType: protobuf.Type;
}

/** Every RPC of the given CSI services, from csi.proto by reflection (so a new RPC is covered without a list). */
export function csiRpcs(services: readonly string[] = ['Identity', 'Controller', 'Node']): CsiRpc[] {
  const root = loadCsiRoot();
  const out: CsiRpc[] = [];
  for (const service of services) {
    const svc = root.lookupService(`${CSI_PACKAGE}.${service}`);
    for (const method of svc.methodsArray) {
      method.resolve();
      if (!method.resolvedRequestType || !method.resolvedResponseType) throw new Error(`unresolved types of ${service}.${method.name}`);
      out.push({
        service,
        method: method.name,
        path: `/${CSI_PACKAGE}.${service}/${method.name}`,
        requestType: method.resolvedRequestType,
        responseType: method.resolvedResponseType,
      });
    }
  }
  return out;
}

/** How a raw call ended: a status code and details, and the response bytes when it succeeded. */
export interface RawOutcome {
  readonly code: grpc.status;
  readonly details: string;
  readonly response?: Buffer;
}

/**
 * A gRPC client that sends request *bytes* as they are (no serializer checks), so a test can send messages
 * no typed client would produce: truncated, wrong wire types, unknown fields. Answers are never rejected:
 * every outcome, including a transport failure, resolves as a status.
 */
export class RawGrpcClient {
  private readonly client: grpc.Client;

  constructor(target: string) {
    const address = target.startsWith('/') ? `unix://${target}` : target;
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
  }

  waitReady(ms: number): Promise<void> {
    return new Promise((resolve, reject) => this.client.waitForReady(Date.now() + ms, (err) => (err ? reject(err) : resolve())));
  }

  call(path: string, request: Buffer, deadlineMs: number): Promise<RawOutcome> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest<Buffer, Buffer>(
        path,
        (b) => b,
        (b) => b,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, response) => {
          if (err) resolve({ code: err.code, details: err.details });
          else resolve({ code: grpc.status.OK, details: '', response });
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
