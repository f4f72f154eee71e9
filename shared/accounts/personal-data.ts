import type { PersonalDataExport } from './account-response-schemas';

/** Whose data a part erases, and the stand-in that replaces their uid on what is kept. */
export interface DataSubject {
  readonly uid: string;
  readonly pseudonym: string;
}

/** The sections of the export; each part fills the ones of its domain. */
export type ExportSections = Partial<Omit<PersonalDataExport, 'exportedAt'>>;

/**
 * What one domain stores about a person, and how it gives it out and erases it. The account service runs
 * every part's `erase` in order; each must be idempotent (a failed deletion is retried from the start) and
 * must only touch what it finds under the uid, so a retry after a crash half-way finishes the job.
 */
export interface PersonalDataPart {
  /** For logs: which part failed. */
  readonly name: string;
  /** The part's sections of the export. */
  exportOf(uid: string): Promise<ExportSections>;
  /** Erases or pseudonymises what the part stores about `subject.uid`. */
  erase(subject: DataSubject): Promise<void>;
}
