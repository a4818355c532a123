module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Tests and their utilities use the shared test utilities of
  // @internal/plugin-streaming-node/testUtils (a devDependency: the real
  // Kafka broker, waiting, repository scripts); the library itself imports no
  // node package.
  testRules: { '@backstage/no-mixed-plugin-imports': 'off' },
});
