import { loadCsiRoot } from '../../src/grpc/csi-proto';
import { REDACTED, SecretRedactor } from '../../src/grpc/redact';
import { createLogger } from '../../src/log';

describe('secret redaction by proto reflection', () => {
  const redactor = new SecretRedactor(loadCsiRoot());

  it('finds every field csi.proto marks with (csi_secret), including nested-service and new ones', () => {
    const names = redactor.secretFieldNames();
    for (const expected of [
      'csi.v1.CreateVolumeRequest.secrets',
      'csi.v1.DeleteVolumeRequest.secrets',
      'csi.v1.ControllerPublishVolumeRequest.secrets',
      'csi.v1.ControllerUnpublishVolumeRequest.secrets',
      'csi.v1.ValidateVolumeCapabilitiesRequest.secrets',
      'csi.v1.CreateSnapshotRequest.secrets',
      'csi.v1.ListSnapshotsRequest.secrets',
      'csi.v1.ControllerExpandVolumeRequest.secrets',
      'csi.v1.ControllerModifyVolumeRequest.secrets',
      'csi.v1.NodeStageVolumeRequest.secrets',
      'csi.v1.NodePublishVolumeRequest.secrets',
      'csi.v1.NodeExpandVolumeRequest.secrets',
      'csi.v1.GetMetadataDeltaRequest.secrets',
    ]) {
      expect(names).toContain(expected);
    }
    expect(names).not.toContain('csi.v1.CreateVolumeRequest.parameters');
  });

  it('masks secret values but keeps their keys and every other field', () => {
    const request = {
      volumeId: 'vol-1',
      stagingTargetPath: '/stage',
      secrets: { password: 'hunter2', token: 'tok-1' },
      volumeContext: { fsType: 'ext4' },
    };
    expect(redactor.redact('csi.v1.NodeStageVolumeRequest', request)).toEqual({
      volumeId: 'vol-1',
      stagingTargetPath: '/stage',
      secrets: { password: REDACTED, token: REDACTED },
      volumeContext: { fsType: 'ext4' },
    });
    // The caller's object is not modified.
    expect(request.secrets.password).toBe('hunter2');
  });

  it('leaves messages without secret fields untouched', () => {
    const request = { name: 'pvc', parameters: { type: 'ssd' } };
    expect(redactor.redact('csi.v1.ListVolumesRequest', request)).toBe(request);
  });

  it('redacts secret-looking keys in any logged object as a second line of defence', () => {
    const chunks: string[] = [];
    const logger = createLogger({ verbosity: 2, format: 'json', destination: { write: (s: string) => void chunks.push(s) } });
    logger.info({ auth: { password: 'Hidden-1', 'X-Auth-Token': 'Hidden-2', applicationCredentialSecret: 'Hidden-3', user: 'alice' }, nextToken: 'page-2' }, 'keystone request');
    const text = chunks.join('');
    expect(text).not.toContain('Hidden-');
    expect(text).toContain('alice');
    expect(text).toContain('page-2');
  });
});

describe('text log format', () => {
  it('writes one human-readable line per event with key=value fields, still redacted', () => {
    const chunks: string[] = [];
    const logger = createLogger({ verbosity: 2, format: 'text', destination: { write: (s: string) => void chunks.push(s) } });
    logger.info({ method: 'Probe', durationMs: 3, password: 'Quiet-Secret' }, 'call finished');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ INFO call finished method=Probe durationMs=3 password=\*\*\*\n$/);
  });
});
