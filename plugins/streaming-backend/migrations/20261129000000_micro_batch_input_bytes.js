// @ts-check

/**
 * Input bytes of each micro-batch (the generated job's observed metrics), a
 * column so that the bytes of a day are summed in the database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('micro_batches', table => {
    table
      .bigInteger('input_bytes')
      .nullable()
      .comment('observedMetrics.pipeline.input_bytes; null when not reported');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('micro_batches', table => {
    table.dropColumn('input_bytes');
  });
};
