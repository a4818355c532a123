/**
 * One file of a rendered pipeline repository.
 *
 * @public
 */
export interface GeneratedFile {
  /** Relative POSIX path inside the repository (no `..`, no leading `/`). */
  path: string;
  content: string;
  /** Whether the file should be written with the executable bit. */
  executable?: boolean;
}
