import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  streamingCostReadPermission,
  streamingPipelineOperatePermission,
} from '@internal/plugin-streaming-common';
import { StreamingPermissionPolicy } from './permissionPolicy';

const alice = {
  info: {
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: ['user:default/alice', 'group:default/data-platform'],
  },
} as PolicyQueryUser;

describe('StreamingPermissionPolicy', () => {
  const policy = new StreamingPermissionPolicy();

  it("lets only the entity's owners operate a pipeline: the catalog's isEntityOwner over the caller's ownership refs", async () => {
    expect(
      await policy.handle(
        { permission: streamingPipelineOperatePermission },
        alice,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/alice', 'group:default/data-platform'],
        },
      },
    });
  });

  it('denies operating to a caller without a user (a service)', async () => {
    expect(
      await policy.handle({ permission: streamingPipelineOperatePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows every other permission', async () => {
    expect(
      await policy.handle({ permission: streamingCostReadPermission }, alice),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
