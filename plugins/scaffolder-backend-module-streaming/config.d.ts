export interface Config {
  streaming?: {
    /**
     * Settings of the streaming scaffolder actions. The Kafka and Kubernetes
     * clusters the actions use are the ones in `streaming.kafka.clusters`
     * and `streaming.kubernetes.clusters`.
     */
    scaffolder?: {
      /**
       * `streaming:publish:local`: local git repositories for development
       * without a GitHub or GitLab account.
       */
      localPublish?: {
        /**
         * Folder that holds the repositories, absolute or relative to the
         * root of the Backstage app's repository. The catalog may read
         * `file:` URLs inside it (and nowhere else).
         *
         * Default: `.cache/local-repos`
         */
        baseDir?: string;
      };
    };
  };
}
