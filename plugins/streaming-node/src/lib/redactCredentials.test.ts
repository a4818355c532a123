import { redactCredentials } from './redactCredentials';

describe('redactCredentials', () => {
  it.each([
    [
      'URL userinfo',
      'Failed to connect to jdbc:postgresql://etl:s3cr3t-Pw@db.internal:5432/orders',
      'Failed to connect to jdbc:postgresql://***@db.internal:5432/orders',
      's3cr3t-Pw',
    ],
    [
      'a user without password in a URL',
      'GET https://deploy-token-77@git.example.com/repo.git failed',
      'GET https://***@git.example.com/repo.git failed',
      'deploy-token-77',
    ],
    [
      'a bearer token',
      'HTTP 401 with header Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl',
      'HTTP 401 with header Authorization: Bearer ***',
      'eyJhbGciOi',
    ],
    [
      'password= in a JAAS config',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="etl" password="hunter2";',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="etl" password=***;',
      'hunter2',
    ],
    [
      'key-values of settings',
      'bad options: es.net.http.auth.pass=hunter3, spark.hadoop.fs.s3a.secret.key=AKIAXYZ, token=abc123&user=me',
      'bad options: es.net.http.auth.pass=***, spark.hadoop.fs.s3a.secret.key=***, token=***&user=me',
      'AKIAXYZ',
    ],
    [
      'JSON-style secrets',
      'config {"client_secret": "0xdeadbeef", "apiKey":"k-123"} refused',
      'config {"client_secret": ***, "apiKey":***} refused',
      '0xdeadbeef',
    ],
  ])('masks %s', (_label, message, expected, secret) => {
    const redacted = redactCredentials(message);
    expect(redacted).toBe(expected);
    expect(redacted).not.toContain(secret);
  });

  it('leaves messages without credentials as they are', () => {
    const message =
      'driver container failed with ExitCode: 1, Reason: Error; see https://spark.example.com/history/app-1';
    expect(redactCredentials(message)).toBe(message);
  });
});
