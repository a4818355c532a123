// @ts-check

/**
 * Offsets shared by the backend's replicas: the replica that runs the
 * (global) offsets poll writes each cluster's snapshot, every replica answers
 * lag from it; names requests asked for are recorded so that the polling
 * replica polls them too.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kafka_offsets_snapshots', table => {
    table.comment('The latest offsets poll of each Kafka cluster');
    table.string('cluster').primary().notNullable();
    table
      .bigInteger('observed_at')
      .nullable()
      .comment('Epoch ms of the last poll that reached the cluster');
    table
      .bigInteger('written_at')
      .notNullable()
      .comment('Epoch ms the snapshot was written');
    table
      .text('snapshot')
      .notNullable()
      .comment('JSON: topics, group offsets, errors, head history');
  });
  await knex.schema.createTable('kafka_offsets_requested', table => {
    table.comment('Topics and groups requests asked for, polled until expiry');
    table.string('cluster').notNullable();
    table.string('kind', 8).notNullable().comment('topic or group');
    table.string('name').notNullable();
    table.bigInteger('asked_at').notNullable().comment('Epoch ms');
    table.primary(['cluster', 'kind', 'name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kafka_offsets_requested');
  await knex.schema.dropTable('kafka_offsets_snapshots');
};
