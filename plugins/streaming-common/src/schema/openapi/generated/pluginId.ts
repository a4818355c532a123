export const pluginId = 'streaming';
