/**
 * Turns a pipeline spec into the files of a pipeline repository: the PySpark
 * job, its SparkApplication, alert rules, TechDocs and catalog-info.yaml.
 *
 * @packageDocumentation
 */

export { toYaml } from './yaml';
