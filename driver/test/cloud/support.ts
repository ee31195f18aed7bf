import pino from 'pino';
import type { CloudClientConfig } from '../../src/cloud/config';
import type { Emulator } from '../../test-support/emulator';
import type { CallContext } from '../../src/grpc/call-context';

/** Password credentials of the emulator's main user (its defaults: admin / secret, project admin, domain Default). */
export function passwordConfig(emu: Emulator, overrides: Partial<CloudClientConfig> = {}): CloudClientConfig {
  return {
    authUrl: emu.authUrl,
    username: 'admin',
    password: 'secret',
    userDomainName: 'Default',
    projectName: 'admin',
    projectDomainName: 'Default',
    region: emu.region,
    requestTimeoutMs: 10_000,
    // Small backoff so that retry tests do not idle; still exponential with jitter.
    ...overrides,
  };
}

/** A CallContext like the gRPC server builds, with an optional deadline and a caller-controlled abort. */
export function callContext(options: { deadlineMs?: number } = {}): CallContext & { abort: () => void } {
  const controller = new AbortController();
  const deadline = options.deadlineMs !== undefined ? Date.now() + options.deadlineMs : undefined;
  const signal = deadline !== undefined ? AbortSignal.any([controller.signal, AbortSignal.timeout(options.deadlineMs as number)]) : controller.signal;
  return { signal, deadline, log: pino({ level: 'silent' }), abort: () => controller.abort() };
}
