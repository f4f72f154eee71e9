/** Deletes Firebase Auth accounts. */
export interface AuthAccounts {
  /**
   * Deletes the account, which invalidates its refresh tokens and makes every ID token of it fail the
   * revocation check. An account already gone counts as deleted, so a retried deletion succeeds.
   */
  delete(uid: string): Promise<void>;
}
