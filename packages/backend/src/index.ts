/*
 * The streaming platform's backend: Backstage's core plugins with the
 * streaming backend plugin and its catalog and scaffolder modules (see
 * packages/backend/README.md).
 */

import { createBackend } from '@backstage/backend-defaults';
import { prometheusExporterServiceFactory } from '@internal/plugin-streaming-backend';
import { streamingPermissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

// The backend's OpenTelemetry metrics in Prometheus format (streaming.prometheus)
backend.add(prometheusExporterServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// events plugin: the event bus that carries signals and notifications to the
// browsers connected to every replica (on PostgreSQL; in memory otherwise)
backend.add(import('@backstage/plugin-events-backend'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// The platform's policy: streaming.pipeline.operate for the pipeline's owners, the rest allowed
backend.add(streamingPermissionPolicyModule);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@internal/plugin-streaming-backend'));
backend.add(import('@internal/plugin-catalog-backend-module-streaming'));
backend.add(import('@internal/plugin-scaffolder-backend-module-streaming'));
backend.start();
