import { status } from '@grpc/grpc-js';
import { requireVolumeAccess } from '../../src/grpc/request-validation';
import type { VolumeCapability__Output } from '../../src/grpc/csi-types';

// Mount flags become one `-o` argument of mount(8): a comma in a flag would add options this check never saw. The
// exception is the SELinux label the kubelet passes for a CSIDriver with seLinuxMount: double-quoted, and with
// commas between its MCS categories, which container runtimes assign by default.
function codeOf(flags: string[]): number | 'accepted' {
  try {
    const capability: VolumeCapability__Output = {
      accessType: 'mount', mount: { fsType: 'ext4', mountFlags: flags, volumeMountGroup: '' }, accessMode: { mode: 'SINGLE_NODE_WRITER' },
    };
    requireVolumeAccess('volume_capability', capability);
    return 'accepted';
  } catch (e) {
    return (e as { code: number }).code;
  }
}

describe('mount_flags', () => {
  it('accepts the SELinux context labels the kubelet passes, with one or two MCS categories', () => {
    expect(codeOf(['context="system_u:object_r:container_file_t:s0:c1,c2"'])).toBe('accepted');
    expect(codeOf(['context="system_u:object_r:container_file_t:s0:c5"', 'noatime'])).toBe('accepted');
    expect(codeOf(['rootcontext="system_u:object_r:container_file_t:s0:c1,c2"'])).toBe('accepted');
  });

  it('refuses any other flag holding a comma: it would smuggle options past the check', () => {
    for (const flags of [['ro,exec'], ['noatime,suid'], ['context="a,b",dev'], ['context="a"b,c"'], ['context=s0:c1,c2'], ['x\0y']]) {
      expect({ flags, code: codeOf(flags) }).toEqual({ flags, code: status.INVALID_ARGUMENT });
    }
  });
});
