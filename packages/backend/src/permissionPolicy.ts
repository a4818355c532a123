import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { streamingPipelineOperatePermission } from '@internal/plugin-streaming-common';

/**
 * The platform's permission policy: pausing, resuming and restarting a
 * pipeline (`streaming.pipeline.operate`) only for the pipeline entity's
 * owners (the catalog's `isEntityOwner` rule over the caller's ownership
 * refs: the user and their groups); everything else allowed, as before.
 */
export class StreamingPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, streamingPipelineOperatePermission)) {
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link StreamingPermissionPolicy} in the permission backend. */
export const streamingPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'streaming-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new StreamingPermissionPolicy());
      },
    });
  },
});
