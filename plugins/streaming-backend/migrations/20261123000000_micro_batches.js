// @ts-check

/**
 * Micro-batches (one row per StreamingQueryProgress) and the last alert state
 * per pipeline.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('micro_batches', table => {
    table.bigIncrements('id').primary();
    table.string('query_name', 255).notNullable();
    table.string('run_id', 64).notNullable().defaultTo('');
    table.bigInteger('batch_id').notNullable();
    table.bigInteger('batch_time').notNullable().comment('epoch milliseconds');
    table.bigInteger('num_input_rows').notNullable();
    table.text('payload').notNullable().comment('MicroBatch JSON');
    table.unique(['query_name', 'run_id', 'batch_id']);
    table.index(['query_name', 'batch_time']);
    table.index(['batch_time']);
  });
  await knex.schema.createTable('alert_states', table => {
    table.string('entity_ref', 512).primary();
    table.string('health', 16).notNullable();
    table.text('reasons').notNullable();
    table.bigInteger('changed_at').notNullable().comment('epoch milliseconds');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('alert_states');
  await knex.schema.dropTable('micro_batches');
};
