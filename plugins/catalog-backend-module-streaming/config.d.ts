export interface Config {
  catalog?: {
    processors?: {
      /** The streaming pipeline processor of `catalogModuleStreaming`. */
      streamingPipeline?: {
        /**
         * Largest pipeline spec or schema file read, in bytes. A larger file
         * is an error on the pipeline entity; a URL read stops at this many
         * bytes. Default: 1048576 (1 MiB).
         */
        maxFileBytes?: number;
      };
    };
  };
}
