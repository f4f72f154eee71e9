/** Where the server records which accounts are being deleted. */
export interface ClosingAccounts {
  /**
   * Whether the account's deletion has started (or finished within the last ID token's lifetime): every
   * call of it but `deleteAccount` itself is then refused, reads included.
   */
  isClosing(uid: string): Promise<boolean>;
}
