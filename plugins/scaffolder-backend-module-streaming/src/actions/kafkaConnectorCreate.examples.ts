import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create the Debezium PostgreSQL connector of a CDC pipeline, its password read by the Connect worker from the environment',
    example: yaml.stringify({
      steps: [
        {
          id: 'create-connector',
          action: 'kafka:connector:create',
          name: 'Create the Debezium connector',
          input: {
            cluster: 'local',
            name: 'accounts-users',
            config: {
              'connector.class':
                'io.debezium.connector.postgresql.PostgresConnector',
              'database.hostname': '127.0.0.1',
              'database.port': 55432,
              'database.user': 'postgres',
              'database.password': '${env:ACCOUNTS_DB_PASSWORD}',
              'database.dbname': 'postgres',
              'topic.prefix': 'dbserver1',
              'table.include.list': 'public.users',
              'plugin.name': 'pgoutput',
              'slot.name': 'accounts_users',
              'publication.autocreate.mode': 'filtered',
            },
          },
        },
      ],
    }),
  },
];
