/**
 * Hostile inputs: each edits a valid spec. `rejected` ones must fail
 * validation with a message matching `message` at `path`; `inert` ones are
 * legitimately free text (or string literals inside an expression) and must
 * be carried as data without changing the meaning of generated code or YAML.
 */
export interface HostileInput {
  name: string;
  edit: (pipeline: any) => void;
  expect:
    | { rejected: { path: string; message: RegExp } }
    | { inert: { text: string; literalIn?: 'condition' } };
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
];
