import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * The streaming platform's backend (`@internal/plugin-streaming-backend`).
   */
  streaming?: {
    /**
     * Topic on which every generated job publishes its `StreamingQueryProgress`
     * events (JSON, keyed by query name). Read on every Kafka cluster.
     * Default: `streaming.progress`.
     */
    progressTopic?: string;

    /**
     * Consumer group of the backend's progress consumer. Default:
     * `backstage-streaming-progress`.
     */
    progressConsumerGroup?: string;

    /*
     * `kafka.clusters` and `kubernetes.clusters` are declared (and read) by
     * `@internal/plugin-streaming-node`.
     *
     * Durations are a HumanDuration object (`{ seconds: 30 }`), a string
     * such as `'30s'` or `'5 minutes'`, or ISO 8601 (`'PT30S'`); a bad one
     * fails startup naming the key. The older number-of-units keys they
     * replaced (`pollIntervalSeconds`, ...) are still read, with a
     * deprecation warning; setting both is an error.
     */

    /** The progress consumer (micro-batch metrics). */
    progress?: {
      /**
       * Progress events larger than this many bytes are counted as
       * malformed and skipped. Default: 1048576 (1 MiB).
       */
      maxEventBytes?: number;
      /**
       * Progress events stamped more than this far ahead of the backend's
       * clock are counted as malformed and skipped (they would pin a
       * pipeline's "latest" batch and escape the retention). Default:
       * `{ minutes: 5 }`.
       */
      maxFutureSkew?: HumanDuration | string;
      /** @deprecated Use `maxFutureSkew`. */
      maxFutureSkewSeconds?: number;
      /**
       * Wait before a progress consumer that could not start (or crashed)
       * starts again; doubled after each failure in a row. Default:
       * `{ seconds: 1 }`.
       */
      restartInitial?: HumanDuration | string;
      /** @deprecated Use `restartInitial`. */
      restartInitialSeconds?: number;
      /** The longest wait between two restarts. Default: `{ minutes: 5 }`. */
      restartMax?: HumanDuration | string;
      /** @deprecated Use `restartMax`. */
      restartMaxSeconds?: number;
    };

    /** Background polling of Kafka offsets (lag). */
    lag?: {
      /**
       * Time between two polls of every cluster's offsets. One replica polls
       * per interval and shares the result through the database; it is also
       * the poll's timeout, after which another replica may take the poll
       * over. Default: `{ seconds: 30 }`.
       */
      pollInterval?: HumanDuration | string;
      /** @deprecated Use `pollInterval`. */
      pollIntervalSeconds?: number;
      /**
       * Observations of (offset, time) kept per partition to turn message lag
       * into seconds. Default: 240 (two hours at the default interval).
       */
      historySize?: number;
      /**
       * Topics of one pipeline (or one request) that are polled; the rest
       * are left out of its answer with an error naming this key. A pipeline
       * entity whose summary names more is refused. Default: 50.
       */
      maxTopicsPerPipeline?: number;
      /**
       * Consumer groups of one pipeline (`kafka.apache.org/consumer-groups`)
       * that are polled; the rest are left out with an error naming this
       * key. A pipeline entity that names more is refused. Default: 20.
       */
      maxGroupsPerPipeline?: number;
      /**
       * Topics and groups per cluster polled beyond those of the catalog's
       * pipelines (a topic page, a pipeline newer than the last catalog
       * read). Beyond this, a request for another name answers with an
       * error naming this key. Default: 200.
       */
      maxExtraNamesPerCluster?: number;
      /**
       * Pipelines whose lag answer and Spark lag history (the pipeline
       * page's chart) are kept in memory between requests; beyond it, those
       * asked for least recently are dropped and read again from the
       * database when next asked for. Bounds the memory of the lag route
       * whatever the number of pipelines. Default: 1000.
       */
      maxCachedPipelines?: number;
      /**
       * A topic or group no current catalog pipeline uses leaves the polled
       * set (with its offsets and head history) when no request asked for it
       * for this long. Default: `{ minutes: 10 }`.
       */
      expireAfter?: HumanDuration | string;
      /** @deprecated Use `expireAfter`. */
      expireAfterSeconds?: number;
    };

    /** `GET /topics?cluster=` (the Create form's topic picker). */
    topics?: {
      /**
       * How long a cluster's topic list is reused for every caller. Zero
       * (`'0s'`) asks the cluster on every request. Default: `{ minutes: 1 }`.
       */
      listCacheTtl?: HumanDuration | string;
      /** @deprecated Use `listCacheTtl`. */
      listCacheSeconds?: number;
    };

    /** `GET /pipelines/:namespace/:name/metrics`. */
    metrics?: {
      /**
       * Partition offsets (`startOffset`, `endOffset`, `latestOffset`
       * entries) in one answer at most. Beyond this, the offsets of the
       * oldest batches are left out (their other figures stay) and the
       * answer says so in `errors`. Default: 50000.
       */
      maxOffsetsPerAnswer?: number;
    };

    /**
     * The backend's OpenTelemetry metrics (the pipeline gauges among them,
     * names in the plugin README) in Prometheus format, on a port of their
     * own. Read by `prometheusExporterServiceFactory`, which
     * `packages/backend` adds. Unauthenticated, like every Prometheus
     * endpoint: keep it on loopback or a network only Prometheus reaches.
     */
    prometheus?: {
      /** Serve the endpoint. Default: true. */
      enabled?: boolean;
      /**
       * Interface to listen on. Default: `127.0.0.1` (use `0.0.0.0` in a
       * pod that Prometheus scrapes).
       */
      host?: string;
      /** Port to listen on. Default: 9464 (Prometheus' registered exporter port). */
      port?: number;
      /** Path of the endpoint. Default: `/metrics`. */
      endpoint?: string;
    };

    /**
     * Where pipeline alerts go. The backend writes an Alertmanager
     * configuration from the catalog: one route per pipeline (on the alert's
     * `pipeline` label) to the receiver its owner and
     * `monitoring.alert_channel` map to here (owner first, then channel, then
     * `defaultReceiver`; channel `none` goes nowhere). Secrets are referenced
     * by file only and never written into the generated configuration.
     */
    alerting?: {
      alertmanager?: {
        /**
         * Where to write the generated Alertmanager configuration (rewritten
         * when the catalog changes). Default: not written.
         */
        configFile?: string;
        /** Alertmanager's `/-/reload` URL, called after each change. Default: none. */
        reloadUrl?: string;
        /** `group_wait` of the routes. Default: `{ seconds: 30 }`. */
        groupWait?: HumanDuration | string;
        /** @deprecated Use `groupWait`. */
        groupWaitSeconds?: number;
        /** `group_interval` of the routes. Default: `{ minutes: 5 }`. */
        groupInterval?: HumanDuration | string;
        /** @deprecated Use `groupInterval`. */
        groupIntervalSeconds?: number;
        /** `repeat_interval` of the routes. Default: `{ hours: 4 }`. */
        repeatInterval?: HumanDuration | string;
        /** @deprecated Use `repeatInterval`. */
        repeatIntervalMinutes?: number;
      };
      /**
       * Receivers, configured once; each has exactly one of `slack`,
       * `pagerduty`, `email`, `opsgenie`, `msteams`. Default: none.
       */
      receivers?: Array<{
        /** Name referenced by `channels`, `owners` and `defaultReceiver`. */
        name: string;
        /** A Slack incoming webhook. */
        slack?: {
          /** File holding the webhook URL. */
          apiUrlFile: string;
          /** Channel to post to (else the webhook's own). */
          channel?: string;
        };
        /** PagerDuty Events API v2. */
        pagerduty?: {
          /** File holding the integration (routing) key. */
          routingKeyFile: string;
          /** Events API URL. Default: PagerDuty's. */
          url?: string;
        };
        /** E-mail over SMTP. */
        email?: {
          to: string;
          from: string;
          /** SMTP server as host:port. */
          smarthost: string;
          authUsername?: string;
          /** File holding the SMTP password. */
          authPasswordFile?: string;
          /** Require STARTTLS. Default: true. */
          requireTls?: boolean;
        };
        /** Opsgenie Alert API. */
        opsgenie?: {
          /** File holding the API key. */
          apiKeyFile: string;
          /** API URL. Default: Opsgenie's. */
          apiUrl?: string;
        };
        /**
         * A Microsoft Teams incoming webhook (or Workflows webhook), reached
         * through the backend's relay (`teamsRelay`, required): Alertmanager
         * 0.25 has no Teams integration.
         */
        msteams?: {
          /** File holding the webhook URL; read by the backend when it relays. */
          webhookUrlFile: string;
        };
      }>;
      /**
       * The relay of Teams receivers: Alertmanager posts their notifications
       * to `POST <url>/alerts/teams/<receiver>` with the token of `tokenFile`
       * (Bearer), and the backend sends them on as Adaptive Card messages.
       * Default: off (no Teams receivers).
       */
      teamsRelay?: {
        /** This backend's streaming API as Alertmanager reaches it, such as `http://backstage:7007/api/streaming`. */
        url: string;
        /** File holding the shared token; Alertmanager reads the same file. */
        tokenFile: string;
        /** Time allowed for the Teams webhook to answer. Default: 10000. */
        requestTimeoutMs?: number;
        /** Alerts listed in one message; the rest are counted. Default: 20. */
        maxAlertsPerMessage?: number;
      };
      /** Receiver of pipelines without a channel or mapping. Default: none (dropped). */
      defaultReceiver?: string;
      /** `monitoring.alert_channel` (slack, pagerduty, email, opsgenie, ...) -> receiver name. */
      channels?: { [channel: string]: string };
      /** Owner entity ref -> channel -> receiver name; wins over `channels`. */
      owners?: { [owner: string]: { [channel: string]: string } };
    };

    /** Monthly budgets of the teams that own pipelines. */
    budgets?: {
      /**
       * Owner entity ref (a group unless the ref says otherwise) -> monthly
       * budget in `streaming.cost.currency`. `GET /teams` marks a team whose
       * month's run rate (the running pipelines' monthly cost) exceeds it.
       * Default: none.
       */
      monthly?: { [owner: string]: number };
    };

    /** History of micro-batches kept in the plugin's database. */
    retention?: {
      /** Batches older than this are deleted. Default: `{ days: 7 }`. */
      maxAge?: HumanDuration | string;
      /** @deprecated Use `maxAge`. */
      maxAgeDays?: number;
      /** At most this many batches are kept per pipeline. Default: 20000. */
      maxBatchesPerPipeline?: number;
      /**
       * @deprecated Use `schedule`, whose `frequency` it was:
       * `{ frequency: { minutes: 10 }, timeout: { minutes: 10 } }`.
       */
      cleanupIntervalMinutes?: number;
      /**
       * When the clean-up runs (once across the backend's replicas): a
       * Backstage task schedule, such as `{ frequency: { cron: '0 * * * *' },
       * timeout: { minutes: 10 } }`. `frequency` and `timeout` are required.
       * Default: every 10 minutes, timeout 10 minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /** What the catalog and the permission framework answered a caller. */
    catalog?: {
      /**
       * How long a caller's catalog reads (the pipelines they may see, an
       * entity) and the cost permission decisions of their overview are
       * reused, so that a busy dashboard does not query the catalog on every
       * request. A change of the catalog or of the caller's permissions
       * shows within this time. Zero (`'0s'`) turns the reuse off. Default:
       * `{ seconds: 10 }`.
       */
      cacheTtl?: HumanDuration | string;
      /** @deprecated Use `cacheTtl`. */
      cacheSeconds?: number;
      /**
       * The backend's background work (the overview's refresh, the offsets
       * poll) reads the pipelines from the catalog in pages of this many
       * entities, and answers other requests between two pages. Default: 500.
       */
      pageSize?: number;
    };

    /** The overview of all pipelines (`GET /overview`). */
    overview?: {
      /**
       * Pipelines answered per page at most; a request without `limit` gets
       * this many. A larger `limit` is refused, naming this key.
       * Default: 500.
       */
      maxPageSize?: number;
      /**
       * The overview lists at most this many sources that could not be read
       * (with every page), then one entry saying how many more there were.
       * Default: 50.
       */
      maxErrors?: number;
      /**
       * The overview's refresh (once per `lag.pollInterval`) reads the
       * newest batch and the day's totals of this many pipelines at a time
       * and evaluates them, and the backend answers other requests between
       * two such turns; it is also the most Kubernetes reads of
       * SparkApplications it has waiting at once. Default: 100.
       */
      pipelinesPerTurn?: number;
    };

    /** Pausing, resuming and restarting pipelines from their page. */
    operations?: {
      /**
       * A restart deletes the pipeline's SparkApplication and creates it
       * again once it is gone; it waits this long for the deletion (its
       * pods' graceful stop with `Foreground` propagation, finalizers) and
       * otherwise fails without re-creating, naming this key. Keep it above
       * the driver's `terminationGracePeriodSeconds`. Default:
       * `{ minutes: 2 }`.
       */
      restartTimeout?: HumanDuration | string;
      /** @deprecated Use `restartTimeout`. */
      restartTimeoutSeconds?: number;
      /**
       * How often a restart checks whether the deleted object is gone.
       * Default: `{ milliseconds: 500 }`.
       */
      deletePollInterval?: HumanDuration | string;
      /** @deprecated Use `deletePollInterval`. */
      deletePollMilliseconds?: number;
      /**
       * How a restart deletes the SparkApplication. `Foreground` (default):
       * the object stays until the garbage collector has deleted its pods,
       * each with its own `terminationGracePeriodSeconds`, so the job
       * finishes its micro-batch before the application is created again.
       * `Background`: the object goes at once and its pods stop alongside
       * the new application's start.
       */
      restartPropagation?: 'Foreground' | 'Background';
    };

    /** Status of pipelines. */
    status?: {
      /**
       * A pipeline without a micro-batch for this long is `stale`, and locally
       * not running. Default: `{ minutes: 5 }`.
       */
      staleAfter?: HumanDuration | string;
      /** @deprecated Use `staleAfter`. */
      staleAfterSeconds?: number;
      /**
       * How long a SparkApplication read from Kubernetes is reused.
       * Default: `{ seconds: 15 }`.
       */
      cacheTtl?: HumanDuration | string;
      /** @deprecated Use `cacheTtl`. */
      cacheSeconds?: number;
    };

    /** Cost of pipelines. */
    cost?: {
      /** ISO currency code shown with every figure. Default: `USD`. */
      currency?: string;
      /**
       * Rates by Kubernetes cluster name; `default` applies to every other
       * cluster and to pipelines running outside Kubernetes.
       */
      rates?: {
        [cluster: string]: {
          /** Price of one core for one hour. */
          coreHour: number;
          /** Price of one GB of memory for one hour. */
          gbHour: number;
        };
      };
      /** OpenCost's allocation API, optional. Used before the rates when set. */
      opencost?: {
        /** Base URL of OpenCost, for example `http://opencost.opencost:9003`. */
        url: string;
        /** Allocation window. Default: `7d`. */
        window?: string;
      };
    };

    /** Alerting on pipeline health. */
    alerts?: {
      /**
       * Send a Backstage notification to the pipeline's owner on every change
       * of health. Default: false.
       */
      notify?: boolean;
      /**
       * Time between two evaluations of every pipeline. Default:
       * `{ minutes: 1 }`. Used when `schedule` is not set, and with a
       * `schedule` whose frequency is a cron expression: the pipeline
       * metrics expire after three intervals, so set it to the cron's
       * interval then.
       */
      evaluateInterval?: HumanDuration | string;
      /** @deprecated Use `evaluateInterval`. */
      evaluateIntervalSeconds?: number;
      /**
       * When the evaluation runs (once across the backend's replicas): a
       * Backstage task schedule, such as `{ frequency: { minutes: 2 },
       * timeout: { minutes: 5 } }`. `frequency` and `timeout` are required.
       * Default: every `evaluateInterval`, timeout 5 minutes, first run 5
       * seconds after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * The schema registry routes: the pipeline page's schema card and the
     * Create form's fields proposed from a topic. The registries are
     * `streaming.schemaRegistries`.
     */
    schemas?: {
      /**
       * How long the answer about a pipeline's subjects (versions,
       * compatibility) is reused. Zero (`'0s'`) asks the registry on every
       * request. Default: `{ minutes: 1 }`.
       */
      cacheTtl?: HumanDuration | string;
      /**
       * The sample of recent messages from which the Create form's fields are
       * proposed for a JSON topic without a registry subject.
       */
      sample?: {
        /** Messages read at most, split over the partitions (the newest of each). Default: 100. */
        maxMessages?: number;
        /** Bytes of message values read at most. Default: 1048576 (1 MiB). */
        maxBytes?: number;
        /** When the sample ends with what it read. Default: `{ seconds: 10 }`. */
        timeout?: HumanDuration | string;
      };
    };

    /**
     * The pipeline page's Source connector card (`GET
     * /pipelines/{namespace}/{name}/connectors`): the Kafka Connect
     * connectors of `streaming.kafkaConnect.clusters` that write a pipeline's
     * source topics.
     */
    connectors?: {
      /**
       * How long what a Connect cluster answered (its connectors, their
       * state and topics), or its failure, is reused for every pipeline. Zero
       * (`'0s'`) asks the clusters on every request. Default: `{ seconds: 15 }`.
       */
      cacheTtl?: HumanDuration | string;
    };

    /**
     * The pipeline page's Generated files card (`GET
     * /pipelines/{namespace}/{name}/drift`): the files of a pipeline's
     * repository, read at its catalog-info.yaml's location, against what the
     * current generator renders from its pipeline.yaml.
     */
    drift?: {
      /**
       * The most files one check reads: the repository root's files and
       * those under the folders the generator writes (`.github/workflows`,
       * `argocd`, `deploy`, `docs`, `job`, `tests`). A repository with more
       * is answered with an error naming this key. Default: 500.
       */
      maxFiles?: number;
      /**
       * The most bytes one check reads, those files together. Default:
       * 16777216 (16 MiB).
       */
      maxBytes?: number;
      /**
       * How long a pipeline's answer is reused (per revision of its entity).
       * Zero (`'0s'`) reads the repository on every request. Default:
       * `{ minutes: 1 }`.
       */
      cacheTtl?: HumanDuration | string;
    };

    /** Delta tables. */
    delta?: {
      /**
       * Local folders under which the backend may read a table's `_delta_log`.
       * Tables elsewhere are shown without log facts. Default: none.
       */
      allowedRoots?: string[];
      /**
       * Where table locations of the catalog live on this host: a location
       * equal to `from` or below it is read below `to` instead (the longest
       * `from` wins), then checked against `allowedRoots`. The local start
       * (`make start`) writes the example jobs' tables through the same
       * mapping, so both agree. A relative `to` is resolved from the
       * backend's working directory (`packages/backend` locally).
       * Default: none (locations are read as they are).
       */
      pathMappings?: Array<{
        /** A table location prefix as the catalog names it, e.g. `/data/delta`. */
        from: string;
        /** The local folder holding those tables, e.g. `../../.cache/demo/delta`. */
        to: string;
      }>;
      /**
       * The newest commit files of a table's `_delta_log` read at most per
       * request; beyond, file counts are left out and the answer says so.
       * Default: 2000.
       */
      maxCommits?: number;
      /**
       * A commit file larger than this many bytes is left out (and file
       * counts with it). Default: 16777216 (16 MiB).
       */
      maxCommitBytes?: number;
      /**
       * Bytes of a table's log read at most per request: the newest commits
       * that fit. Default: 67108864 (64 MiB).
       */
      maxLogBytes?: number;
      /**
       * How long the facts of a table are reused for every caller. Zero
       * (`'0s'`) reads the log on every request. Default: `{ seconds: 30 }`.
       */
      cacheTtl?: HumanDuration | string;
      /** @deprecated Use `cacheTtl`. */
      cacheSeconds?: number;
    };
  };
}
