// @ts-check

/**
 * The audit trail of pipeline operations: every pause, resume and restart
 * asked through the backend (who, when, what, and what came of it),
 * including refused ones.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pipeline_operations', table => {
    table.comment('Pauses, resumes and restarts of pipelines');
    table.increments('id').primary();
    table.string('entity_ref').notNullable();
    table.string('action', 16).notNullable().comment('pause, resume, restart');
    table
      .string('actor')
      .notNullable()
      .comment("The caller's user entity ref or service subject");
    table.bigInteger('at').notNullable().comment('Epoch ms');
    table
      .string('result', 16)
      .notNullable()
      .comment('done, unchanged, refused, failed');
    table.text('message').nullable();
    table
      .text('target')
      .nullable()
      .comment('JSON: cluster, namespace and name of the SparkApplication');
    table.index(['entity_ref', 'id'], 'pipeline_operations_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pipeline_operations');
};
