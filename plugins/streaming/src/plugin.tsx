import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import StreamIcon from '@material-ui/icons/Timeline';
import { rootRouteRef } from './routes';

/** The pipelines overview page at `/streaming`, with its "Streaming" nav item. */
export const streamingOverviewPage = PageBlueprint.make({
  params: {
    path: '/streaming',
    title: 'Streaming',
    icon: <StreamIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/StreamingOverviewPage').then(m => (
        <m.StreamingOverviewPage />
      )),
  },
});

/** The streaming pipelines frontend plugin. */
export const streamingPlugin = createFrontendPlugin({
  pluginId: 'streaming',
  title: 'Streaming',
  icon: <StreamIcon />,
  extensions: [streamingOverviewPage],
  routes: {
    root: rootRouteRef,
  },
});
