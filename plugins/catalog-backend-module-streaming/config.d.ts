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
        /**
         * Owner of the Resources that pipelines only read and none writes
         * (a topic fed from outside, a CDC source table): an entity ref,
         * kind `group` and namespace `default` when left out. A reader never
         * becomes their owner; what a pipeline writes takes that pipeline's
         * owner. Default: `group:default/unknown`.
         */
        inputOwner?: string;
        /**
         * Seconds a pipeline's claim on its checkpoint lasts without being
         * renewed by a processing of the pipeline. Two pipelines claiming
         * one checkpoint are both errors; a deleted pipeline, or one that
         * moved its checkpoint, stops conflicting within this time. Must
         * exceed the catalog's processing interval. Default: 900.
         */
        checkpointClaimSeconds?: number;
      };
    };
  };
}
